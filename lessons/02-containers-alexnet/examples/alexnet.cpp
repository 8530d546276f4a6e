// Lesson 2: AlexNet layer by layer — the shape after every layer of features for a
// 224×224 image, the parameter count, and TenCrop test-time augmentation on a photo.
#include <chrono>
#include <iostream>

#include "nnkit/image.hpp"
#include "nnkit/models/alexnet.hpp"
#include "nnkit/transforms.hpp"

using namespace nnkit;

int main() {
    auto net = std::make_shared<models::AlexNet>(1000);
    net->eval();
    NoGradGuard no_grad;

    std::size_t count = 0;
    for (const auto& p : net->parameters()) count += p.numel();
    std::cout << "AlexNet: " << count << " parameters\n";  // 61100840
    if (count != 61100840) return 1;

    // Shapes through features, one layer at a time.
    Tensor x = zeros({1, 3, 224, 224});
    std::cout << "input " << to_string(x.shape()) << "\n";
    for (const auto& [name, layer] : net->features->named_children()) {
        x = (*layer)(x);
        std::cout << "features." << name << " " << layer->type_name() << " -> " << to_string(x.shape()) << "\n";
    }
    x = (*net->avgpool)(x);
    std::cout << "avgpool -> " << to_string(x.shape()) << "  (flatten: 256*6*6 = 9216)\n";

    // TenCrop: ten 224×224 views of the 256×256 astronaut, one batch, logits averaged.
    const Tensor img = load_image(datasets_dir() + "/images/astronaut.png");
    const Tensor crops = transforms::stack(transforms::TenCrop(224)(img));  // (10, 3, 224, 224)
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor logits = (*net)(crops);                                    // (10, 1000)
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "TenCrop batch " << to_string(crops.shape()) << " -> logits " << to_string(logits.shape()) << " in "
              << ms << " ms\n";
    return logits.shape() == Shape{10, 1000} ? 0 : 1;
}
