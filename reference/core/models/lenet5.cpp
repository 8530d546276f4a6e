#include "nnkit/models/lenet5.hpp"

#include "nnkit/nn/functional.hpp"

namespace nnkit::models {

LeNet5::LeNet5(std::size_t classes) : Module("LeNet5") {
    conv1 = register_module("conv1", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(1, 6, 5).padding(2)));
    conv2 = register_module("conv2", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(6, 16, 5)));
    fc1 = register_module("fc1", std::make_shared<nn::Linear>(16 * 5 * 5, 120));
    fc2 = register_module("fc2", std::make_shared<nn::Linear>(120, 84));
    fc3 = register_module("fc3", std::make_shared<nn::Linear>(84, classes));
}

Tensor LeNet5::forward(const Tensor& x) {
    Tensor out = F::max_pool2d(F::relu((*conv1)(x)), nn::MaxPool2dOptions(2));
    out = F::max_pool2d(F::relu((*conv2)(out)), nn::MaxPool2dOptions(2));
    out = F::flatten(out, 1);
    out = F::relu((*fc1)(out));
    out = F::relu((*fc2)(out));
    return (*fc3)(out);
}

}  // namespace nnkit::models
