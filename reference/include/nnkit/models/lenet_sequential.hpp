// The course's LeNet rebuilt from containers (lesson 2, "LeNet as features + classifier"):
//
//   LeNetSequential            features = Sequential(conv, relu, pool, conv, relu, pool)   keys 0..5
//                              classifier = Sequential(fc, relu, fc, relu, fc)             keys 0..4
//   LeNetSequentialOrderDict   the same with names: conv1 relu1 pool1 conv2 relu2 pool2 /
//                              fc1 relu3 fc2 relu4 fc3 (relu1, relu2 and relu4 in place, as the course has them)
//
// x:(N, 3, 32, 32) -features-> (N, 16, 5, 5) -view(N, -1)-> (N, 400) -classifier-> (N, classes)
#pragma once

#include <cstddef>
#include <memory>

#include "nnkit/nn/container.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::models {

class LeNetSequential : public nn::Module {
public:
    NNKIT_MODULE_COPY(LeNetSequential)
    void relink() override { relink_member("features", features); relink_member("classifier", classifier); }
    explicit LeNetSequential(std::size_t classes);
    Tensor forward(const Tensor& x) override;
    std::shared_ptr<nn::Sequential> features, classifier;
};

class LeNetSequentialOrderDict : public nn::Module {
public:
    NNKIT_MODULE_COPY(LeNetSequentialOrderDict)
    void relink() override { relink_member("features", features); relink_member("classifier", classifier); }
    explicit LeNetSequentialOrderDict(std::size_t classes);
    Tensor forward(const Tensor& x) override;
    std::shared_ptr<nn::Sequential> features, classifier;
};

}  // namespace nnkit::models
