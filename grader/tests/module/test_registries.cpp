// Unit `module`: the registries and their checks.
#include "check.hpp"
#include "nnkit/nn/module.hpp"

using namespace nnkit;

NNKIT_TEST("register_parameter stores the tensor under its name", 1, "output", "registries") {
    nn::Module m("M");
    nn::Parameter w(zeros({2}));
    m.register_parameter("w", w);
    REQUIRE(m.parameter_dict().contains("w"));
}
