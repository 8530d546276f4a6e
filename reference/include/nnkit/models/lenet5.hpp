// LeNet-5 for 28×28 grey images (Fashion-MNIST, MNIST): lesson 5's network.
//   x:(N, 1, 28, 28) -> conv1 1→6 k5 pad 2 -> ReLU -> max-pool 2   (N, 6, 14, 14)
//                    -> conv2 6→16 k5      -> ReLU -> max-pool 2   (N, 16, 5, 5)
//                    -> flatten (N, 400) -> fc1 120 -> ReLU -> fc2 84 -> ReLU -> fc3 classes
// 61,706 parameters for 10 classes. In PyTorch (datasets/cases/training.py):
//   x = F.max_pool2d(F.relu(self.conv1(x)), 2); x = F.max_pool2d(F.relu(self.conv2(x)), 2)
//   x = torch.flatten(x, 1); return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
#pragma once

#include <cstddef>
#include <memory>

#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::models {

class LeNet5 : public nn::Module {
public:
    NNKIT_MODULE_COPY(LeNet5)
    void relink() override {
        relink_member("conv1", conv1);
        relink_member("conv2", conv2);
        relink_member("fc1", fc1);
        relink_member("fc2", fc2);
        relink_member("fc3", fc3);
    }
    explicit LeNet5(std::size_t classes = 10);
    Tensor forward(const Tensor& x) override;  // (N, 1, 28, 28) -> (N, classes) logits

    std::shared_ptr<nn::Conv2d> conv1, conv2;
    std::shared_ptr<nn::Linear> fc1, fc2, fc3;
};

}  // namespace nnkit::models
