// Unit `module`: recursive traversals with dotted names and de-duplication,
// compared with PyTorch on the same tree (fixture module/traversals).
#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {
std::vector<std::string> expected(const std::string& key) {
    return lines_of(Fixture("module/traversals").string_option(key));
}
}  // namespace

NNKIT_TEST("named_parameters by hand: Linear gives weight, then bias", 1, "output", "traversals") {
    nn::Linear lin(3, 2);
    const auto named = lin.named_parameters();
    NNKIT_CHECK_NAMES("Linear(3, 2).named_parameters()", (std::vector<std::string>{"weight", "bias"}), names_of(named));
    REQUIRE(named.size() == 2);
    CHECK(named[0].second.is_same(lin.weight));
}

NNKIT_TEST("named_parameters: own first, then children, dotted, each tensor once", 2, "output", "traversals") {
    Net net;
    NNKIT_CHECK_NAMES("named_parameters()", expected("named_parameters"), names_of(net.named_parameters()));
    std::size_t count = 0;
    for (const auto& p : net.parameters()) count += p.numel();
    CHECK(count == std::size_t(Fixture("module/traversals").int_option("num_parameters")));
}

NNKIT_TEST("named_parameters skips a tensor registered twice (Sequential(lin, lin) has one weight)", 2, "output",
           "traversals") {
    nn::Module seq("Sequential");
    auto lin = std::make_shared<nn::Linear>(2, 2);
    seq.register_module("0", lin);
    seq.register_module("1", lin);
    NNKIT_CHECK_NAMES("Sequential(lin, lin).named_parameters()", (std::vector<std::string>{"0.weight", "0.bias"}),
                      names_of(seq.named_parameters()));
}

NNKIT_TEST("named_parameters with a prefix and without recursion", 1, "output", "traversals") {
    Net net;
    NNKIT_CHECK_NAMES("named_parameters(\"model\")", expected("named_parameters_prefix"),
                      names_of(net.named_parameters("model")));
    NNKIT_CHECK_NAMES("named_parameters(\"\", false)", expected("named_parameters_no_recurse"),
                      names_of(net.named_parameters("", false)));
}

NNKIT_TEST("named_buffers lists persistent and non-persistent buffers", 1, "output", "traversals") {
    Net net;
    NNKIT_CHECK_NAMES("named_buffers()", expected("named_buffers"), names_of(net.named_buffers()));
}

NNKIT_TEST("named_children: direct children once each, null ones skipped", 1, "output", "traversals") {
    Net net;
    NNKIT_CHECK_NAMES("named_children()", expected("named_children"), names_of(net.named_children()));
}

NNKIT_TEST("named_modules: pre-order from the root named \"\", each module once", 2, "output", "traversals") {
    Net net;
    const auto mods = net.named_modules();
    NNKIT_CHECK_NAMES("named_modules()", expected("named_modules"), names_of(mods));
    std::vector<std::string> types;
    for (const auto& m : mods) types.push_back(m.second->type_name());
    NNKIT_CHECK_NAMES("type names along named_modules()", expected("named_modules_types"), types);
    REQUIRE(!mods.empty());
    CHECK(mods[0].second.get() == &net);
}

NNKIT_TEST("named_modules(remove_duplicate=false) lists a shared module under each name", 1, "output", "traversals") {
    Net net;
    NNKIT_CHECK_NAMES("named_modules(\"\", false)", expected("named_modules_duplicates"),
                      names_of(net.named_modules("", false)));
}

NNKIT_TEST("apply visits children first, the root last", 1, "output", "traversals") {
    Net net;
    std::vector<std::string> order;
    net.apply([&](nn::Module& m) { order.push_back(m.type_name()); });
    NNKIT_CHECK_NAMES("apply order", expected("apply_order"), order);
}
