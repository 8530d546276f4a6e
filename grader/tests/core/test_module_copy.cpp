// nn::deepcopy (Python's copy.deepcopy of a module), against what PyTorch 1.13 does to the same
// trees (fixture module/deepcopy): shared submodules and tied parameters stay shared, a parameter
// comes without its grad and a buffer with it, hooks and the training flag are kept; and every
// module class of the kit copies to an equal, independent module of its own class. Core code.
#include <typeinfo>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/models/alexnet.hpp"
#include "nnkit/models/alexnet28.hpp"
#include "nnkit/models/lenet.hpp"
#include "nnkit/models/lenet5.hpp"
#include "nnkit/models/lenet_sequential.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/flatten.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/loss.hpp"
#include "nnkit/nn/normalization.hpp"
#include "nnkit/nn/parameter_container.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

std::string py(bool b) { return b ? "True" : "False"; }

template <typename Named>
std::string names(const Named& items) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) s += (i ? "\n" : "") + items[i].first;
    return s;
}

// The copy is of m's class, prints as m, and holds m's values in storages of its own.
void check_equal_copy(const nn::Module& m, const nn::Module& c) {
    CHECK(typeid(c) == typeid(m));
    CHECK(c.repr() == m.repr());
    const auto mine = m.state_dict(), theirs = c.state_dict();
    CHECK(mine.keys() == theirs.keys());
    for (const auto& [key, value] : mine) {
        INFO(key);
        NNKIT_CHECK_CLOSE(key, value.data(), theirs.get(key)->data());
        CHECK(value.impl()->data != theirs.get(key)->impl()->data);
    }
}

}  // namespace

TEST_CASE("deepcopy keeps what the tree shares, as copy.deepcopy: a submodule at two places, a tied parameter") {
    const Fixture f("module/deepcopy");
    auto shared = std::make_shared<nn::Linear>(2, 2);
    auto seq = std::make_shared<nn::Sequential>(shared, std::make_shared<nn::ReLU>(), shared);
    auto c = nn::deepcopy(seq);
    CHECK(py(c->module_dict().get("0")->get() == c->module_dict().get("2")->get()) ==
          f.string_option("shared submodule stays shared"));
    const auto c0 = std::dynamic_pointer_cast<nn::Linear>(*c->module_dict().get("0"));
    REQUIRE(c0);
    CHECK(py(c0 == shared || c0->weight.is_same(shared->weight)) == f.string_option("shares with the original"));
    CHECK(names(c->named_modules()) == f.string_option("names"));
    CHECK(c->type_name() == f.string_option("type"));
    CHECK(typeid(*c) == typeid(nn::Sequential));

    auto a = std::make_shared<nn::Linear>(2, 2), b = std::make_shared<nn::Linear>(2, 2);
    b->register_parameter("weight", a->weight);  // b.weight = a.weight
    b->weight = a->weight;
    auto t = nn::deepcopy(std::make_shared<nn::Sequential>(a, b));
    const auto t0 = std::dynamic_pointer_cast<nn::Linear>(*t->module_dict().get("0"));
    const auto t1 = std::dynamic_pointer_cast<nn::Linear>(*t->module_dict().get("1"));
    CHECK(py(t0->weight.is_same(t1->weight)) == f.string_option("tied parameter stays tied"));
    CHECK(t1->weight.is_same(*t1->parameter_dict().get("weight")));  // the member follows the registry
    CHECK(!t0->weight.is_same(a->weight));
    CHECK(names(t->named_parameters()) == f.string_option("parameters after tying"));
}

TEST_CASE("deepcopy copies values, requires_grad, a buffer's grad (not a parameter's), hooks and the training flag") {
    const Fixture f("module/deepcopy");
    auto lin = std::make_shared<nn::Linear>(2, 2);
    lin->weight.set_grad(ones({2, 2}));
    lin->bias.requires_grad_(false);
    auto c = nn::deepcopy(lin);
    CHECK(py(c->weight.grad().defined()) == f.string_option("parameter grad copied"));
    CHECK(py(c->weight.requires_grad()) + " " + py(c->bias.requires_grad()) == f.string_option("requires_grad kept"));
    NNKIT_CHECK_CLOSE("the copied weight", lin->weight.data(), c->weight.data());
    c->weight.data().fill(7.0f);  // independent of the original
    CHECK(lin->weight.data()(0, 0) != 7.0f);

    auto m = std::make_shared<nn::Module>("Module");
    Tensor g = ones({2}, true);
    g.set_grad(full({2}, 3.0f));
    m->register_buffer("b", g);
    auto cm = nn::deepcopy(m);
    CHECK(py(cm->buffer_dict().get("b")->grad().defined()) == f.string_option("buffer grad copied"));

    auto v = std::make_shared<nn::Module>("Module");
    Tensor base = ones({4});
    v->register_buffer("a", base);
    v->register_buffer("v", base.detach());
    auto cv = nn::deepcopy(v);
    Tensor copied_a = *cv->buffer_dict().get("a");  // a handle: data() is writable through it
    copied_a.data().fill(5.0f);
    CHECK(py(cv->buffer_dict().get("v")->data()(0) == 5.0f) + " " + py(v->buffer_dict().get("v")->data()(0) == 1.0f) ==
          f.string_option("buffers sharing a storage still share it"));

    auto h = std::make_shared<nn::Linear>(2, 2);
    int calls = 0;
    auto handle = h->register_forward_hook([&calls](nn::Module&, const Tensor&, const Tensor&) { ++calls; });
    auto ch = nn::deepcopy(h);
    (*ch)(ones({1, 2}));
    handle.remove();
    (*ch)(ones({1, 2}));
    CHECK(std::to_string(calls) == f.string_option("hook runs on the copy, after the original's is removed"));

    auto e = std::make_shared<nn::Linear>(2, 2);
    e->eval();
    CHECK(py(nn::deepcopy(e)->is_training()) == f.string_option("training kept"));

    auto n = std::make_shared<nn::Linear>(2, 2);
    n->register_buffer("scaled", F::relu(n->weight));  // made by an op: not a leaf
    NNKIT_CHECK_THROWS(nn::deepcopy(n), ValueError, f.string_option("non-leaf buffer"));
}

TEST_CASE("deepcopy of every module class gives an equal module of its own class, with tensors of its own") {
    manual_seed(3);
    const std::vector<std::pair<nn::ModulePtr, Shape>> cases = {
        {std::make_shared<nn::Linear>(4, 3), {2, 4}},
        {std::make_shared<nn::Linear>(4, 3, false), {2, 4}},
        {std::make_shared<nn::Identity>(), {2, 4}},
        {std::make_shared<nn::Conv1d>(nn::Conv1dOptions(2, 3, 3).padding(1)), {1, 2, 6}},
        {std::make_shared<nn::Conv2d>(nn::Conv2dOptions(2, 3, 3).padding_mode("reflect").padding(1)), {1, 2, 5, 5}},
        {std::make_shared<nn::Conv3d>(nn::Conv3dOptions(2, 2, 2).bias(false)), {1, 2, 3, 3, 3}},
        {std::make_shared<nn::ConvTranspose2d>(nn::ConvTranspose2dOptions(2, 3, 3).stride(2)), {1, 2, 3, 3}},
        {std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(2)), {1, 2, 4, 4}},
        {std::make_shared<nn::AvgPool1d>(nn::AvgPool1dOptions(2)), {1, 2, 4}},
        {std::make_shared<nn::AdaptiveAvgPool2d>(nn::AdaptiveAvgPool2dOptions({2, nn::None})), {1, 2, 4, 4}},
        {std::make_shared<nn::AdaptiveMaxPool3d>(nn::AdaptiveMaxPool3dOptions(2)), {1, 1, 4, 4, 4}},
        {std::make_shared<nn::ReLU>(), {2, 4}},
        {std::make_shared<nn::PReLU>(nn::PReLUOptions().num_parameters(3)), {2, 3}},
        {std::make_shared<nn::LeakyReLU>(nn::LeakyReLUOptions().negative_slope(0.2)), {2, 4}},
        {std::make_shared<nn::ELU>(), {2, 4}},
        {std::make_shared<nn::GELU>("tanh"), {2, 4}},
        {std::make_shared<nn::Hardtanh>(), {2, 4}},
        {std::make_shared<nn::Dropout>(0.3), {2, 4}},
        {std::make_shared<nn::Dropout2d>(), {1, 2, 3, 3}},
        {std::make_shared<nn::Flatten>(), {2, 2, 3}},
        {std::make_shared<nn::Unflatten>(1, std::vector<std::int64_t>{2, 2}), {2, 4}},
        {std::make_shared<nn::LocalResponseNorm>(nn::LocalResponseNormOptions(2)), {1, 4, 3, 3}},
        {std::make_shared<nn::Softmax>(1), {2, 4}},
        {std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(4, 3), std::make_shared<nn::ReLU>()), {2, 4}},
        {std::make_shared<models::LeNet>(10), {1, 3, 32, 32}},
        {std::make_shared<models::LeNet5>(10), {1, 1, 28, 28}},
        {std::make_shared<models::LeNetSequential>(10), {1, 3, 32, 32}},
        {std::make_shared<models::AlexNet28>(10), {1, 1, 28, 28}},
    };
    for (const auto& [m, shape] : cases) {
        INFO(m->type_name());
        m->eval();  // no dropout draws, so the two forwards compare
        const nn::ModulePtr c = m->deepcopy();
        check_equal_copy(*m, *c);
        const Tensor x = randn(shape);
        NNKIT_CHECK_CLOSE("the copy's forward", (*m)(x).data(), (*c)(x).data());
    }
}

TEST_CASE("deepcopy of the containers and the losses: the same registries, tensors of their own") {
    const std::vector<nn::ModulePtr> cases = {
        std::make_shared<nn::ModuleList>(std::make_shared<nn::Linear>(2, 2), std::make_shared<nn::ReLU>()),
        std::make_shared<nn::ModuleDict>(nn::NamedModules{{"conv", std::make_shared<nn::Conv2d>(1, 2, 3)},
                                                          {"act", std::make_shared<nn::PReLU>()}}),
        std::make_shared<nn::ParameterList>(std::vector<Tensor>{randn({2, 2}), randn({3})}),
        std::make_shared<nn::ParameterDict>(nn::NamedTensors{{"a", randn({2})}, {"b", randn({1, 2})}}),
        std::make_shared<nn::CrossEntropyLoss>(nn::CrossEntropyLossOptions().weight(full({3}, 0.5f))),
        std::make_shared<nn::NLLLoss>(),
    };
    for (const auto& m : cases) {
        INFO(m->type_name());
        check_equal_copy(*m, *m->deepcopy());
    }
}

TEST_CASE("deepcopy of a subclass that did not say how to copy itself names the macro") {
    struct Net : nn::Module {
        Net() : Module("Net") {}
    };
    NNKIT_CHECK_THROWS(std::make_shared<Net>()->deepcopy(), TypeError, "NNKIT_MODULE_COPY(Net)");
    NNKIT_CHECK_THROWS(nn::deepcopy(std::shared_ptr<nn::Linear>()), ValueError, "the module is null");
    struct Wider : nn::Linear {
        Wider() : nn::Linear(2, 2) {}
    };
    NNKIT_CHECK_THROWS(std::make_shared<Wider>()->deepcopy(), TypeError, "has no NNKIT_MODULE_COPY of its own");
}
