// Lesson 1: how a model is created and called. A two-layer MLP written the
// way LeNet is: layers built (and registered) in the constructor, wired in
// forward(). Prints what PyTorch would print for the same model.
#include <iostream>
#include <memory>

#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/module.hpp"

using namespace nnkit;

struct MLP : nn::Module {
    explicit MLP(std::size_t classes) : Module("MLP") {
        fc1 = register_module("fc1", std::make_shared<nn::Linear>(4, 8));  // Linear registers weight, bias first
        fc2 = register_module("fc2", std::make_shared<nn::Linear>(8, classes));
        register_buffer("calls", zeros({1}));
    }
    // x:(N, 4) -> (N, classes)
    Tensor forward(const Tensor& x) override { return (*fc2)(F::relu((*fc1)(x))); }

    // What nn::deepcopy needs (lesson section "Copies"): how to copy an MLP, and which members
    // hold registered submodules, so that the copy's fc1, fc2 point at the copy's layers.
    NNKIT_MODULE_COPY(MLP)
    void relink() override {
        relink_member("fc1", fc1);
        relink_member("fc2", fc2);
    }

    std::shared_ptr<nn::Linear> fc1, fc2;
};

int main() {
    manual_seed(0);
    auto net = std::make_shared<MLP>(3);
    std::cout << *net << "\n\n";
    // MLP(
    //   (fc1): Linear(in_features=4, out_features=8, bias=True)
    //   (fc2): Linear(in_features=8, out_features=3, bias=True)
    // )

    for (const auto& [name, p] : net->named_parameters()) std::cout << name << " " << to_string(p.shape()) << "\n";
    std::cout << "state_dict:";
    for (const auto& key : net->state_dict().keys()) std::cout << " " << key;  // ... calls, fc1.weight, ...
    std::cout << "\n";

    // Hooks: pre:net, pre:fc1, post:fc1, pre:fc2, post:fc2, post:net; backward fc2, fc1, net.
    std::vector<nn::RemovableHandle> handles;
    for (const auto& [name, m] : net->named_modules()) {
        const std::string n = name.empty() ? "net" : name;
        handles.push_back(m->register_forward_pre_hook([n](nn::Module&, const Tensor&) { std::cout << "pre:" << n << " "; }));
        handles.push_back(m->register_forward_hook(
            [n](nn::Module&, const Tensor&, const Tensor&) { std::cout << "post:" << n << " "; }));
        handles.push_back(m->register_full_backward_hook(
            [n](nn::Module&, const Tensor&, const Tensor&) { std::cout << "backward:" << n << " "; }));
    }
    Tensor y = (*net)(ones({2, 4}, true));
    sum(y).backward();
    std::cout << "\n";
    for (auto& h : handles) h.remove();

    // Looking up by dotted path, freezing, deleting (lesson section "Deleting and looking up").
    const bool found = net->get_parameter("fc1.weight").is_same(net->fc1->weight) &&
                       net->get_submodule("fc2").get() == net->fc2.get();
    net->fc1->requires_grad_(false);  // freeze the first layer: it gets no gradient
    net->zero_grad(/*set_to_none=*/true);
    sum((*net)(ones({2, 4}))).backward();
    const bool frozen = !net->fc1->weight.grad().defined() && net->fc2->weight.grad().defined();
    std::cout << "lookup: " << (found ? "ok" : "WRONG") << ", fc1 frozen: " << (frozen ? "yes" : "NO") << "\n";
    net->fc1->requires_grad_(true);
    try {
        net->get_submodule("fc1.weight");
    } catch (const AttributeError& e) {
        std::cout << "AttributeError: " << e.what() << "\n";  // `weight` is not an nn.Module
    }

    // Save and load: a second model with other weights gets the first one's values.
    manual_seed(1);
    MLP copy(3);
    copy.load_state_dict(net->state_dict());
    const bool same = xt::allclose(copy.fc2->weight.data(), net->fc2->weight.data());
    std::cout << "loaded: " << (same ? "equal" : "DIFFERENT") << "\n";

    // copy.deepcopy(net): a new tree with its own tensors; training the copy leaves net alone.
    auto twin = nn::deepcopy(net);
    twin->fc1->weight.data().fill(0.0f);
    const bool apart = twin->fc1.get() != net->fc1.get() && net->fc1->weight.data()(0, 0) != 0.0f;
    std::cout << "deepcopy: " << (apart ? "independent" : "SHARED") << "\n";
    return same && found && frozen && apart ? 0 : 1;
}
