// Unit `module`: repr() prints exactly what PyTorch's __repr__ prints
// (fixtures module/repr and module/traversals).
#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

struct Outer : nn::Module {
    Outer() : Module("Outer") {
        register_module("inner", std::make_shared<Block>());
        register_module("head", std::make_shared<nn::Linear>(3, 1, false));
        register_module("none", nn::ModulePtr());
    }
};

struct Extra : nn::Module {
    Extra() : Module("Extra") {}
    std::string extra_repr() const override { return "line one\nline two"; }
};

void check_repr(const std::string& what, const std::string& expected, const std::string& got) {
    if (expected != got) FAIL(what << "\n--- expected (PyTorch):\n" << expected << "\n--- got:\n" << got);
}

}  // namespace

NNKIT_TEST("repr of a module with nothing to say is \"Module()\"", 1, "output", "repr") {
    check_repr("nn::Module(\"Module\")", Fixture("module/repr").string_option("empty"), nn::Module("Module").repr());
}

NNKIT_TEST("repr nests children with two more spaces per level and prints None", 2, "output", "repr") {
    check_repr("Outer", Fixture("module/repr").string_option("nested"), Outer().repr());
    check_repr("Net", Fixture("module/traversals").string_option("repr"), Net().repr());
}

NNKIT_TEST("repr puts a multi-line extra_repr before the children, one line each", 1, "output", "repr") {
    const Fixture f("module/repr");
    Extra e;
    check_repr("Extra", f.string_option("multi_line_extra"), e.repr());
    e.register_module("child", std::make_shared<nn::Linear>(1, 1));
    check_repr("Extra with a child", f.string_option("extra_and_child"), e.repr());
}

NNKIT_TEST("repr puts a one-line extra_repr on its own line once there are children", 1, "output", "repr") {
    const Fixture f("module/repr");
    struct OneLine : nn::Module {
        OneLine() : Module("OneLine") {}
        std::string extra_repr() const override { return "k=1"; }
    };
    OneLine e;
    check_repr("OneLine", f.string_option("one_line_extra"), e.repr());
    e.register_module("child", std::make_shared<nn::Linear>(1, 1));
    check_repr("OneLine with a child", f.string_option("one_line_extra_and_child"), e.repr());
}
