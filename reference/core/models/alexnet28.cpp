#include "nnkit/models/alexnet28.hpp"

#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/init.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/normalization.hpp"
#include "nnkit/nn/pooling.hpp"

namespace nnkit::models {

using std::make_shared;

namespace {

std::shared_ptr<nn::Conv2d> conv3x3(std::size_t in, std::size_t out) {
    return make_shared<nn::Conv2d>(nn::Conv2dOptions(in, out, 3).padding(1));
}

// Overlapping pooling, as AlexNet's: 3×3 windows two apart.
std::shared_ptr<nn::MaxPool2d> pool() { return make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(3).stride(2)); }

// The paper's LRN written in PyTorch's terms (PyTorch divides alpha by the window's size).
std::shared_ptr<nn::LocalResponseNorm> lrn() {
    return make_shared<nn::LocalResponseNorm>(nn::LocalResponseNormOptions(5).alpha(5e-4).beta(0.75).k(2.0));
}

}  // namespace

AlexNet28::AlexNet28(std::size_t classes, double dropout) : Module("AlexNet28") {
    features = register_module("features", make_shared<nn::Sequential>(nn::NamedModules{
                                               {"conv1", conv3x3(1, 16)},
                                               {"relu1", make_shared<nn::ReLU>(true)},
                                               {"norm1", lrn()},
                                               {"pool1", pool()},  // 28 -> 13
                                               {"conv2", conv3x3(16, 32)},
                                               {"relu2", make_shared<nn::ReLU>(true)},
                                               {"norm2", lrn()},
                                               {"pool2", pool()},  // 13 -> 6
                                               {"conv3", conv3x3(32, 48)},
                                               {"relu3", make_shared<nn::ReLU>(true)},
                                               {"conv4", conv3x3(48, 48)},
                                               {"relu4", make_shared<nn::ReLU>(true)},
                                               {"conv5", conv3x3(48, 32)},
                                               {"relu5", make_shared<nn::ReLU>(true)},
                                               {"pool5", pool()},  // 6 -> 2
                                           }));
    classifier = register_module("classifier", make_shared<nn::Sequential>(nn::NamedModules{
                                                   {"drop6", make_shared<nn::Dropout>(dropout)},
                                                   {"fc6", make_shared<nn::Linear>(32 * 2 * 2, 256)},
                                                   {"relu6", make_shared<nn::ReLU>(true)},
                                                   {"drop7", make_shared<nn::Dropout>(dropout)},
                                                   {"fc7", make_shared<nn::Linear>(256, 256)},
                                                   {"relu7", make_shared<nn::ReLU>(true)},
                                                   {"fc8", make_shared<nn::Linear>(256, classes)},
                                               }));
    // He initialisation (lesson 1, "Weight init"), as torchvision does for its deeper nets: with
    // PyTorch's default each of the eight layers shrinks the signal's variance about sixfold and
    // the first few hundred steps do not move the loss from log(10) = 2.30.
    for (const auto& m : modules()) {
        if (auto conv = std::dynamic_pointer_cast<nn::Conv2d>(m)) {
            nn::init::kaiming_normal_(conv->weight, 0.0, "fan_out", "relu");
            nn::init::zeros_(conv->bias);
        } else if (auto fc = std::dynamic_pointer_cast<nn::Linear>(m)) {
            nn::init::kaiming_normal_(fc->weight, 0.0, "fan_in", "relu");
            nn::init::zeros_(fc->bias);
        }
    }
}

Tensor AlexNet28::forward(const Tensor& x) {
    return classifier->forward(F::flatten(features->forward(x), 1));
}

}  // namespace nnkit::models
