// Lesson 2: the course's three container examples — LeNet as features + classifier
// with named layers, 20 Linear layers in a ModuleList, and a ModuleDict that chooses
// conv/pool and relu/prelu by name — plus the index rules of Sequential.
#include <iostream>

#include "nnkit/models/lenet_sequential.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;

int main() {
    // 1. LeNet with named layers: (4, 3, 32, 32) -> (4, 2)
    auto lenet = std::make_shared<models::LeNetSequentialOrderDict>(2);
    std::cout << *lenet << "\n";
    const Tensor y = (*lenet)(randn({4, 3, 32, 32}));
    std::cout << "LeNet output shape " << to_string(y.shape()) << "\n";
    if (y.shape() != Shape{4, 2}) return 1;

    // 2. ModuleList: 20 Linear(10, 10) applied one after the other
    nn::ModuleList linears;
    for (int i = 0; i < 20; ++i) linears.append(std::make_shared<nn::Linear>(10, 10));
    Tensor x = randn({2, 10});
    for (const auto& layer : linears) x = (*layer)(x);
    std::cout << "after 20 Linear layers: " << to_string(x.shape()) << ", last key "
              << linears.named_parameters().back().first << "\n";

    // 3. ModuleDict: choose the layer and the activation by name
    nn::ModuleDict choices(nn::NamedModules{{"conv", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(10, 10, 3))},
                                            {"pool", std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(3))}});
    nn::ModuleDict activations(nn::NamedModules{{"relu", std::make_shared<nn::ReLU>()},
                                                {"prelu", std::make_shared<nn::PReLU>()}});
    const Tensor img = randn({4, 10, 32, 32});
    const Tensor out = (*activations["relu"])((*choices["conv"])(img));
    std::cout << "conv + relu: " << to_string(out.shape()) << "\n";  // (4, 10, 30, 30)
    if (out.shape() != Shape{4, 10, 30, 30}) return 1;

    // Sequential's rules: slicing keeps keys, deletion renumbers, append uses str(len)
    auto s = std::make_shared<nn::Sequential>(nn::NamedModules{
        {"a", std::make_shared<nn::ReLU>()}, {"b", std::make_shared<nn::Sigmoid>()}, {"c", std::make_shared<nn::Tanh>()}});
    std::cout << *s->slice(nn::Slice{1}) << "\n";  // keys b, c
    s->erase(0);
    s->append(std::make_shared<nn::ReLU>());
    std::cout << *s << "\n";  // keys 0, 1, 2

    // Operators: a block repeated, then a head added. The same modules, not copies.
    auto block = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(4, 4), std::make_shared<nn::ReLU>());
    auto head = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(4, 2));
    auto net = *(*block * 3) + *head;  // keys 0..6: Linear ReLU Linear ReLU Linear ReLU Linear
    const bool shared = net->at(0).get() == net->at(2).get() && net->parameters().size() == 4;
    std::cout << "block * 3 + head: " << net->size() << " entries, " << net->parameters().size()
              << " parameters (the block's Linear is one module three times)\n";
    const bool keys_ok = s->module_dict().keys() == std::vector<std::string>{"0", "1", "2"};
    return keys_ok && shared && net->size() == 7 ? 0 : 1;
}
