// AlexNet, three ways. Lesson 2, "AlexNet layer by layer".
//
// AlexNet      torchvision 0.14.1's layout (models/alexnet.py): features, avgpool, classifier;
//              61,100,840 parameters at 1000 classes; state_dict keys features.{0,3,6,8,10}.*,
//              classifier.{1,4,6}.*. Input (N, 3, H, W) with H, W >= 63 (224 as trained);
//              AdaptiveAvgPool2d((6, 6)) makes the classifier's input 256·6·6 = 9216 for any size.
// AlexNetNamed the same layers with names (homework 2): features conv1, relu1, pool1, ..., pool3;
//              classifier dropout1, fc1, relu6, dropout2, fc2, relu7, fc3.
// AlexNet2012  the paper's network (Krizhevsky et al. 2012) as one tower: 96/256/384/384/256
//              channels, conv2/4/5 in two groups (the two GPUs), ReLU then LRN after conv1 and
//              conv2, no adaptive pooling: input (N, 3, 227, 227). 60,965,224 parameters.
//
//   auto net = std::make_shared<models::AlexNet>(1000);
//   net->eval();
//   Tensor logits = (*net)(x);   // x:(N, 3, 224, 224) -> (N, 1000)
#pragma once

#include <cstddef>
#include <memory>

#include "nnkit/nn/container.hpp"
#include "nnkit/nn/module.hpp"
#include "nnkit/nn/pooling.hpp"

namespace nnkit::models {

// https://pytorch.org/vision/0.14/models/generated/torchvision.models.alexnet.html
class AlexNet : public nn::Module {
public:
    NNKIT_MODULE_COPY(AlexNet)
    void relink() override {
        relink_member("features", features);
        relink_member("avgpool", avgpool);
        relink_member("classifier", classifier);
    }
    explicit AlexNet(std::size_t num_classes = 1000, double dropout = 0.5);
    // x:(N, 3, H, W) -features-> (N, 256, h, w) -avgpool-> (N, 256, 6, 6) -flatten-> (N, 9216)
    //   -classifier-> (N, num_classes)
    Tensor forward(const Tensor& x) override;

    std::shared_ptr<nn::Sequential> features;
    std::shared_ptr<nn::AdaptiveAvgPool2d> avgpool;
    std::shared_ptr<nn::Sequential> classifier;
};

class AlexNetNamed : public nn::Module {
public:
    NNKIT_MODULE_COPY(AlexNetNamed)
    void relink() override {
        relink_member("features", features);
        relink_member("avgpool", avgpool);
        relink_member("classifier", classifier);
    }
    explicit AlexNetNamed(std::size_t num_classes = 1000, double dropout = 0.5);
    Tensor forward(const Tensor& x) override;  // as AlexNet

    std::shared_ptr<nn::Sequential> features;
    std::shared_ptr<nn::AdaptiveAvgPool2d> avgpool;
    std::shared_ptr<nn::Sequential> classifier;
};

class AlexNet2012 : public nn::Module {
public:
    NNKIT_MODULE_COPY(AlexNet2012)
    void relink() override { relink_member("features", features); relink_member("classifier", classifier); }
    explicit AlexNet2012(std::size_t num_classes = 1000, double dropout = 0.5);
    // x:(N, 3, 227, 227) -features-> (N, 256, 6, 6) -flatten-> (N, 9216) -classifier-> (N, num_classes)
    Tensor forward(const Tensor& x) override;

    std::shared_ptr<nn::Sequential> features;
    std::shared_ptr<nn::Sequential> classifier;
};

}  // namespace nnkit::models
