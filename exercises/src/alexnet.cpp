// Unit `alexnet` — lesson 2, "AlexNet layer by layer" and homework 2: models
// assembled only from containers and layers. Shapes for a 224×224 image:
//   (N,3,224,224) -conv 11 s4 p2-> (N,64,55,55) -pool 3 s2-> (N,64,27,27) -conv 5 p2-> (N,192,27,27)
//   -pool-> (N,192,13,13) -conv 3 p1-> (N,384,13,13) -conv-> (N,256,13,13) -conv-> (N,256,13,13)
//   -pool-> (N,256,6,6) -avgpool (6,6)-> (N,256,6,6) -flatten-> (N,9216) -fc-> 4096 -fc-> 4096 -fc-> classes
// Also the course's LeNet as features + classifier (models/lenet_sequential.hpp), as worked examples.
#include "nnkit/models/alexnet.hpp"

#include "nnkit/models/lenet_sequential.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/normalization.hpp"

namespace nnkit::models {

using nn::Conv2dOptions;
using std::make_shared;

namespace {

std::shared_ptr<nn::MaxPool2d> max_pool(std::size_t kernel, std::size_t stride) {
    return make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(kernel).stride(stride));
}

}  // namespace

// ================================================================ torchvision's AlexNet

AlexNet::AlexNet(std::size_t num_classes, double dropout) : Module("AlexNet") {
    // Register, in this order, "features" (a Sequential of 13 layers), "avgpool"
    // (AdaptiveAvgPool2d to 6×6) and "classifier" (a Sequential of 7 layers), exactly as
    // torchvision 0.14.1's models/alexnet.py: the lesson's table gives every layer.
    // ReLUs are in place (nn::ReLU(true)); Dropout takes `dropout`.
    throw NotImplemented("AlexNet::AlexNet", "lessons/02-containers-alexnet/README.md#alexnet-layer-by-layer");
}

Tensor AlexNet::forward(const Tensor& x) {
    // features, avgpool, torch.flatten(x, 1), classifier.
    throw NotImplemented("AlexNet::forward", "lessons/02-containers-alexnet/README.md#alexnet-layer-by-layer");
}

// ================================================================ homework 2: the same, with names

AlexNetNamed::AlexNetNamed(std::size_t num_classes, double dropout) : Module("AlexNetNamed") {
    // The layers of AlexNet, each under a name (Sequential from nn::NamedModules pairs):
    //   features:   conv1 relu1 pool1 conv2 relu2 pool2 conv3 relu3 conv4 relu4 conv5 relu5 pool3
    //   avgpool
    //   classifier: dropout1 fc1 relu6 dropout2 fc2 relu7 fc3
    throw NotImplemented("AlexNetNamed::AlexNetNamed", "lessons/02-containers-alexnet/homework.md#named-alexnet");
}

Tensor AlexNetNamed::forward(const Tensor& x) {
    throw NotImplemented("AlexNetNamed::forward", "lessons/02-containers-alexnet/homework.md#named-alexnet");
}

// ================================================================ the 2012 paper, one tower

AlexNet2012::AlexNet2012(std::size_t num_classes, double dropout) : Module("AlexNet2012") {
    // The paper's LRN: k = 2, n = 5, alpha = 1e-4 on the SUM of squares = 5e-4 on PyTorch's average.
    auto lrn = [] { return make_shared<nn::LocalResponseNorm>(nn::LocalResponseNormOptions(5).alpha(5e-4).k(2.0)); };
    features = register_module(
        "features", make_shared<nn::Sequential>(nn::NamedModules{
                        {"conv1", make_shared<nn::Conv2d>(Conv2dOptions(3, 96, 11).stride(4))},
                        {"relu1", make_shared<nn::ReLU>(true)},
                        {"norm1", lrn()},
                        {"pool1", max_pool(3, 2)},
                        {"conv2", make_shared<nn::Conv2d>(Conv2dOptions(96, 256, 5).padding(2).groups(2))},
                        {"relu2", make_shared<nn::ReLU>(true)},
                        {"norm2", lrn()},
                        {"pool2", max_pool(3, 2)},
                        {"conv3", make_shared<nn::Conv2d>(Conv2dOptions(256, 384, 3).padding(1))},
                        {"relu3", make_shared<nn::ReLU>(true)},
                        {"conv4", make_shared<nn::Conv2d>(Conv2dOptions(384, 384, 3).padding(1).groups(2))},
                        {"relu4", make_shared<nn::ReLU>(true)},
                        {"conv5", make_shared<nn::Conv2d>(Conv2dOptions(384, 256, 3).padding(1).groups(2))},
                        {"relu5", make_shared<nn::ReLU>(true)},
                        {"pool5", max_pool(3, 2)},
                    }));
    classifier = register_module("classifier", make_shared<nn::Sequential>(nn::NamedModules{
                                                   {"fc6", make_shared<nn::Linear>(256 * 6 * 6, 4096)},
                                                   {"relu6", make_shared<nn::ReLU>(true)},
                                                   {"drop6", make_shared<nn::Dropout>(dropout)},
                                                   {"fc7", make_shared<nn::Linear>(4096, 4096)},
                                                   {"relu7", make_shared<nn::ReLU>(true)},
                                                   {"drop7", make_shared<nn::Dropout>(dropout)},
                                                   {"fc8", make_shared<nn::Linear>(4096, num_classes)},
                                               }));
}

Tensor AlexNet2012::forward(const Tensor& x) {
    // features, flatten from dim 1, classifier (no avgpool: the input must be 227×227).
    throw NotImplemented("AlexNet2012::forward", "lessons/02-containers-alexnet/README.md#alexnet-2012");
}

// ================================================================ LeNet as features + classifier

LeNetSequential::LeNetSequential(std::size_t classes) : Module("LeNetSequential") {
    features = register_module(
        "features", make_shared<nn::Sequential>(make_shared<nn::Conv2d>(Conv2dOptions(3, 6, 5)), make_shared<nn::ReLU>(),
                                                max_pool(2, 2), make_shared<nn::Conv2d>(Conv2dOptions(6, 16, 5)),
                                                make_shared<nn::ReLU>(), max_pool(2, 2)));
    classifier = register_module(
        "classifier",
        make_shared<nn::Sequential>(make_shared<nn::Linear>(16 * 5 * 5, 120), make_shared<nn::ReLU>(),
                                    make_shared<nn::Linear>(120, 84), make_shared<nn::ReLU>(),
                                    make_shared<nn::Linear>(84, classes)));
}

Tensor LeNetSequential::forward(const Tensor& x) {
    // x = features(x); x = x.view(x.size(0), -1) (F::flatten(x, 1)); return classifier(x).
    throw NotImplemented("LeNetSequential::forward", "lessons/02-containers-alexnet/README.md#lenet-as-features-and-classifier");
}

LeNetSequentialOrderDict::LeNetSequentialOrderDict(std::size_t classes) : Module("LeNetSequentialOrderDict") {
    features = register_module("features", make_shared<nn::Sequential>(nn::NamedModules{
                                               {"conv1", make_shared<nn::Conv2d>(Conv2dOptions(3, 6, 5))},
                                               {"relu1", make_shared<nn::ReLU>(true)},
                                               {"pool1", max_pool(2, 2)},
                                               {"conv2", make_shared<nn::Conv2d>(Conv2dOptions(6, 16, 5))},
                                               {"relu2", make_shared<nn::ReLU>(true)},
                                               {"pool2", max_pool(2, 2)},
                                           }));
    classifier = register_module("classifier", make_shared<nn::Sequential>(nn::NamedModules{
                                                   {"fc1", make_shared<nn::Linear>(16 * 5 * 5, 120)},
                                                   {"relu3", make_shared<nn::ReLU>()},
                                                   {"fc2", make_shared<nn::Linear>(120, 84)},
                                                   {"relu4", make_shared<nn::ReLU>(true)},
                                                   {"fc3", make_shared<nn::Linear>(84, classes)},
                                               }));
}

Tensor LeNetSequentialOrderDict::forward(const Tensor& x) {
    throw NotImplemented("LeNetSequentialOrderDict::forward", "lessons/02-containers-alexnet/README.md#lenet-as-features-and-classifier");
}

}  // namespace nnkit::models
