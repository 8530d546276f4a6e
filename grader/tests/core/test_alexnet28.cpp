// models::AlexNet28, the network `./kit train --model alexnet` trains (lesson 5, "A deeper
// network"), against PyTorch 1.13's same network (datasets/cases/training.py) on 8 images.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/models/alexnet28.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// The fixture's weights, loaded by name: the keys are PyTorch's, features.conv1.weight, ...
std::shared_ptr<models::AlexNet28> loaded(const Fixture& f) {
    auto net = std::make_shared<models::AlexNet28>(10);
    nn::StateDict state;
    for (const auto& [name, p] : net->named_parameters()) state.set(name, Tensor(f.f32("param." + name)));
    net->load_state_dict(state);
    return net;
}

}  // namespace

TEST_CASE("AlexNet28: PyTorch's layers, names and 154,698 parameters") {
    const Fixture f("training/alexnet28_eval");
    auto net = std::make_shared<models::AlexNet28>(10);
    std::size_t n = 0, fixture_arrays = 0;
    for (const auto& [name, p] : net->named_parameters()) {
        n += p.numel();
        fixture_arrays += f.has("param." + name);
    }
    CHECK(n == 154698);
    CHECK(fixture_arrays == net->named_parameters().size());  // the same names as PyTorch's
    CHECK(net->named_parameters().size() == 16);
}

TEST_CASE("AlexNet28 in eval mode: logits and every gradient match PyTorch's") {
    const Fixture f("training/alexnet28_eval");
    auto net = loaded(f);
    net->eval();  // dropout off
    Tensor x(f.f32("input"), /*requires_grad=*/true);
    Tensor logits = (*net)(x);
    NNKIT_CHECK_FIXTURE("AlexNet28 logits", f, "logits", logits.data());
    logits.backward(Tensor(f.f32("grad_output")));
    for (const auto& [name, p] : net->named_parameters()) {
        const auto want = f.f32("grad." + name);
        const auto cmp = compare("AlexNet28 gradient of " + name, want, p.grad().data(), f.rtol(), f.atol(want));
        if (!cmp.ok) FAIL_CHECK(cmp.message);
    }
    NNKIT_CHECK_FIXTURE("AlexNet28 input gradient", f, "grad_input", x.grad().data());
}

TEST_CASE("AlexNet28 in training mode drops out in the classifier only, and eval mode is deterministic") {
    const Fixture f("training/alexnet28_eval");
    auto net = loaded(f);
    const Tensor x(f.f32("input"));
    NoGradGuard no_grad;
    net->eval();
    const Array a = (*net)(x).data(), b = (*net)(x).data();
    const bool deterministic = a == b;
    CHECK(deterministic);
    net->train();
    const Array c = (*net)(x).data();
    const bool dropped = c != a;  // dropout at p = 0.3 changes the logits
    CHECK(dropped);
    // The features hold no dropout: the same in both modes.
    net->eval();
    const Array fe = net->features->forward(x).data();
    net->train();
    const bool same_features = net->features->forward(x).data() == fe;
    CHECK(same_features);
}
