// Unit `module`: register_parameter / register_buffer / register_module and
// PyTorch's checks, in PyTorch's order, with PyTorch's messages (fixture
// module/name_checks).
#include "check.hpp"
#include "fixtures.hpp"
#include "fresh_modules.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// nn.Module() with a buffer "buf", a child "child" and an absent parameter "param".
struct Probe : nn::Module {
    Probe() : Module("Module") {
        register_buffer("buf", zeros({1}));
        register_module("child", std::make_shared<nn::Linear>(1, 1));
        register_parameter("param", Tensor());
    }
};

}  // namespace

NNKIT_TEST("register_parameter, register_buffer and register_module keep registration order", 1, "output",
           "registries") {
    nn::Module m("M");
    m.register_parameter("w", nn::Parameter(zeros({2})));
    m.register_buffer("mean", zeros({2}));
    m.register_parameter("b", nn::Parameter(zeros({1})));
    m.register_module("fc", std::make_shared<nn::Linear>(2, 1));
    m.register_buffer("var", ones({2}));
    NNKIT_CHECK_NAMES("parameter registry", (std::vector<std::string>{"w", "b"}), m.parameter_dict().keys());
    NNKIT_CHECK_NAMES("buffer registry", (std::vector<std::string>{"mean", "var"}), m.buffer_dict().keys());
    NNKIT_CHECK_NAMES("module registry", (std::vector<std::string>{"fc"}), m.module_dict().keys());
}

NNKIT_TEST("a registered parameter is the same tensor, not a copy", 1, "property", "registries") {
    nn::Module m("M");
    nn::Parameter w(zeros({2}));
    m.register_parameter("w", w);
    REQUIRE(m.parameter_dict().get("w"));
    CHECK(m.parameter_dict().get("w")->is_same(w));
    CHECK(w.requires_grad());  // nn::Parameter: requires_grad by default
}

NNKIT_TEST("registering a name again replaces the value in place (Python dict assignment)", 1, "property",
           "registries") {
    nn::Module m("M");
    m.register_parameter("a", nn::Parameter(zeros({1})));
    m.register_parameter("b", nn::Parameter(zeros({1})));
    nn::Parameter fresh(ones({3}));
    m.register_parameter("a", fresh);
    NNKIT_CHECK_NAMES("parameter registry", (std::vector<std::string>{"a", "b"}), m.parameter_dict().keys());
    CHECK(m.parameter_dict().get("a")->is_same(fresh));
}

NNKIT_TEST("None entries: an undefined parameter and a null module stay registered", 1, "output", "registries") {
    nn::Module m("M");
    m.register_parameter("bias", Tensor());
    m.register_module("head", nn::ModulePtr());
    CHECK(m.parameter_dict().contains("bias"));
    CHECK(m.module_dict().contains("head"));
}

NNKIT_TEST("register_parameter rejects bad names with PyTorch's KeyError messages", 2, "error", "registries") {
    const Fixture f("module/name_checks");
    Probe m;
    INFO("m = nn.Module() with buffer 'buf', submodule 'child' (Linear(1, 1)) and parameter 'param' = None");
    NNKIT_CHECK_THROWS(m.register_parameter("a.b", Tensor()), KeyError, f.string_option("param_dot"));
    NNKIT_CHECK_THROWS(m.register_parameter("", Tensor()), KeyError, f.string_option("param_empty"));
    NNKIT_CHECK_THROWS(m.register_parameter("buf", Tensor()), KeyError, f.string_option("param_taken_by_buffer"));
    NNKIT_CHECK_THROWS(m.register_parameter("child", Tensor()), KeyError, f.string_option("param_taken_by_module"));
    NNKIT_CHECK_THROWS(m.register_parameter("training", Tensor()), KeyError, f.string_option("param_training"));
}

NNKIT_TEST("register_parameter rejects a tensor with history (non-leaf) with PyTorch's ValueError", 1, "error",
           "registries") {
    const Fixture f("module/name_checks");
    nn::Module m("Module");
    Tensor x = ones({2}, true);
    NNKIT_CHECK_THROWS(m.register_parameter("w", mul(x, x)), ValueError, f.string_option("param_nonleaf"));
}

NNKIT_TEST("register_buffer rejects bad names with PyTorch's KeyError messages", 2, "error", "registries") {
    const Fixture f("module/name_checks");
    Probe m;
    INFO("m = nn.Module() with buffer 'buf', submodule 'child' (Linear(1, 1)) and parameter 'param' = None");
    NNKIT_CHECK_THROWS(m.register_buffer("a.b", Tensor()), KeyError, f.string_option("buffer_dot"));
    NNKIT_CHECK_THROWS(m.register_buffer("", Tensor()), KeyError, f.string_option("buffer_empty"));
    NNKIT_CHECK_THROWS(m.register_buffer("param", Tensor()), KeyError, f.string_option("buffer_taken_by_param"));
    NNKIT_CHECK_THROWS(m.register_buffer("child", Tensor()), KeyError, f.string_option("buffer_taken_by_module"));
}

NNKIT_TEST("register_module rejects bad names with add_module's KeyError messages", 2, "error", "registries") {
    const Fixture f("module/name_checks");
    Probe m;
    INFO("m = nn.Module() with buffer 'buf', submodule 'child' (Linear(1, 1)) and parameter 'param' = None");
    NNKIT_CHECK_THROWS(m.register_module("a.b", nn::ModulePtr()), KeyError, f.string_option("module_dot"));
    NNKIT_CHECK_THROWS(m.register_module("", nn::ModulePtr()), KeyError, f.string_option("module_empty"));
    NNKIT_CHECK_THROWS(m.register_module("buf", nn::ModulePtr()), KeyError, f.string_option("module_taken_by_buffer"));
    NNKIT_CHECK_THROWS(m.register_module("param", nn::ModulePtr()), KeyError,
                       f.string_option("module_taken_by_param"));
}

NNKIT_TEST("a rejected name leaves every registry unchanged", 1, "property", "registries") {
    Probe m;
    try {
        m.register_parameter("buf", nn::Parameter(zeros({1})));
    } catch (const KeyError&) {
    }
    try {
        m.register_module("param", std::make_shared<nn::Linear>(1, 1));
    } catch (const KeyError&) {
    }
    NNKIT_CHECK_NAMES("parameter registry", (std::vector<std::string>{"param"}), m.parameter_dict().keys());
    NNKIT_CHECK_NAMES("module registry", (std::vector<std::string>{"child"}), m.module_dict().keys());
    NNKIT_CHECK_NAMES("buffer registry", (std::vector<std::string>{"buf"}), m.buffer_dict().keys());
}

NNKIT_TEST("train(false) and eval() reach every submodule: train() returns the module", 1, "output",
           "train-and-eval") {
    Net net;
    CHECK(net.is_training());
    nn::Module& same = net.eval();
    CHECK(&same == &net);
    for (const auto& [name, m] : net.named_modules()) {
        INFO("module '" << name << "'");
        CHECK_FALSE(m->is_training());
    }
    net.train();
    for (const auto& [name, m] : net.named_modules()) {
        INFO("module '" << name << "'");
        CHECK(m->is_training());
    }
}

NNKIT_TEST("zero_grad zeroes every gradient in place: set_to_none drops them", 1, "output", "train-and-eval") {
    nn::Linear lin(2, 2);
    lin(ones({1, 2})).backward(ones({1, 2}));
    REQUIRE(lin.weight.grad().defined());
    Tensor g = lin.weight.grad();
    lin.zero_grad();
    REQUIRE(lin.weight.grad().defined());
    CHECK(xt::all(xt::equal(g.data(), 0.0f)));  // the same storage, zeroed
    CHECK(xt::all(xt::equal(lin.bias.grad().data(), 0.0f)));
    lin.zero_grad(/*set_to_none=*/true);
    CHECK_FALSE(lin.weight.grad().defined());
    CHECK_FALSE(lin.bias.grad().defined());
}

NNKIT_TEST("zero_grad walks the whole tree: it zeroes the gradients there are and skips the rest", 1, "output",
           "train-and-eval") {
    // Deep: net (Net: a, b, shared = a.lin, an absent parameter, an empty slot), again = net, head, alias = net.b.
    // Only net.a.lin takes part in the backward, so b, head and gain have no gradient.
    Deep deep;
    deep.net->a->lin->forward(ones({1, 2})).backward(ones({1, 3}));
    Tensor g = deep.net->a->lin->weight.grad();
    REQUIRE(g.defined());
    deep.zero_grad();
    CHECK(deep.net->a->lin->weight.grad().defined());
    CHECK(xt::all(xt::equal(g.data(), 0.0f)));  // the same storage, zeroed
    CHECK(xt::all(xt::equal(deep.net->a->lin->bias.grad().data(), 0.0f)));
    CHECK_FALSE(deep.net->b->lin->weight.grad().defined());
    CHECK_FALSE(deep.head->lin->weight.grad().defined());
    deep.net->a->lin->forward(ones({1, 2})).backward(ones({1, 3}));
    deep.zero_grad(/*set_to_none=*/true);
    for (const auto& [name, p] : deep.named_parameters()) {
        INFO("parameter '" << name << "' after zero_grad(set_to_none=true)");
        CHECK_FALSE(p.grad().defined());
    }
}

NNKIT_TEST("register_module under a name already in the module registry replaces it in place", 1, "output",
           "registries") {
    nn::Module m("Module");
    m.register_module("x", std::make_shared<nn::Linear>(1, 1));
    m.register_module("y", std::make_shared<nn::Linear>(1, 2));
    m.register_module("x", std::make_shared<nn::Linear>(3, 1));
    std::string got;
    for (const auto& [name, child] : m.named_children())
        got += (got.empty() ? "" : " ") + name + ":" + child->repr();
    const std::string want =
        "x:Linear(in_features=3, out_features=1, bias=True) y:Linear(in_features=1, out_features=2, bias=True)";
    if (got != want) FAIL("after registering x, y, then x again: [" + got + "], expected [" + want + "]");
}

NNKIT_TEST("'training' is taken for buffers and submodules too, and a taken name is reported before a non-leaf",
           1, "error", "registries") {
    const Fixture f("module/name_checks");
    Probe m;
    INFO("m = nn.Module() with buffer 'buf', submodule 'child' (Linear(1, 1)) and parameter 'param' = None");
    NNKIT_CHECK_THROWS(m.register_buffer("training", zeros({1})), KeyError, f.string_option("param_training"));
    NNKIT_CHECK_THROWS(m.register_module("training", std::make_shared<nn::Linear>(1, 1)), KeyError,
                       f.string_option("param_training"));
    Tensor x = ones({2}, true);
    NNKIT_CHECK_THROWS(m.register_parameter("buf", mul(x, x)), KeyError, f.string_option("param_taken_by_buffer"));
}

NNKIT_TEST("register_module and register_buffer refuse the names PyTorch's module already has as attributes "
           "(forward, state_dict, in_features of a Linear, keys of a ModuleDict): is_python_attribute",
           2, "error", "registries") {
    const Fixture f("module/python_attributes");
    for (const char* cls : {"Module", "Linear", "Conv2d", "ReLU", "CrossEntropyLoss", "Sequential", "ModuleDict"})
        for (const char* name :
             {"forward", "training", "state_dict", "keys", "in_features", "kernel_size", "inplace", "reduction", "zz"})
            check_registration(f, cls, name);
}

NNKIT_TEST("get_submodule and get_parameter say a PyTorch attribute is not an nn.Module / nn.Parameter", 1, "error",
           "deleting-and-looking-up") {
    const Fixture f("module/python_attributes");
    const auto lin = std::make_shared<nn::Linear>(1, 1);
    NNKIT_CHECK_THROWS(lin->get_submodule("forward"), AttributeError, f.string_option("get_submodule forward"));
    NNKIT_CHECK_THROWS(lin->get_parameter("in_features"), AttributeError, f.string_option("get_parameter in_features"));
}
