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

// ---------------------------------------------------------------- every argument, both trees
// module/traversal_matrix: what PyTorch lists for each traversal at each value of its
// arguments, on Net and on Deep (Net nested, shared, and aliased one level down).

namespace {

const Fixture& matrix() {
    static const Fixture f("module/traversal_matrix");
    return f;
}
std::vector<std::string> want(const std::string& key) { return lines_of(matrix().string_option(key)); }
std::string quoted(const std::string& s) { return "'" + s + "'"; }

template <typename Fn>
void for_each_tree(Fn fn) {
    Net net;
    Deep deep;
    fn("Net", static_cast<nn::Module&>(net));
    fn("Deep", static_cast<nn::Module&>(deep));
}

std::size_t numel_of(const std::vector<Tensor>& ts) {
    std::size_t n = 0;
    for (const auto& t : ts) n += t.numel();
    return n;
}

std::vector<std::string> types_of(const std::vector<nn::ModulePtr>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) out.push_back(m->type_name());
    return out;
}

}  // namespace

NNKIT_TEST("named_parameters and named_buffers at every prefix and recurse, on nested and shared trees", 3, "output",
           "traversals") {
    for_each_tree([](const std::string& tree, nn::Module& m) {
        for (const std::string prefix : {"", "m"})
            for (const bool recurse : {true, false}) {
                const std::string key = tree + " prefix=" + quoted(prefix) + " recurse=" + (recurse ? "True" : "False");
                const std::string call = "(prefix=\"" + prefix + "\", recurse=" + (recurse ? "true" : "false") + ") on " + tree;
                NNKIT_CHECK_NAMES("named_parameters" + call, want("named_parameters " + key),
                                  names_of(m.named_parameters(prefix, recurse)));
                NNKIT_CHECK_NAMES("named_buffers" + call, want("named_buffers " + key),
                                  names_of(m.named_buffers(prefix, recurse)));
            }
    });
}

NNKIT_TEST("named_modules at every prefix and remove_duplicate, on nested and shared trees", 2, "output",
           "traversals") {
    for_each_tree([](const std::string& tree, nn::Module& m) {
        for (const std::string prefix : {"", "m"})
            for (const bool dedup : {true, false})
                NNKIT_CHECK_NAMES("named_modules(prefix=\"" + prefix + "\", remove_duplicate=" + (dedup ? "true" : "false") +
                                      ") on " + tree,
                                  want("named_modules " + tree + " prefix=" + quoted(prefix) +
                                       " remove_duplicate=" + (dedup ? "True" : "False")),
                                  names_of(m.named_modules(prefix, dedup)));
    });
}

NNKIT_TEST("state_dict keys with and without a prefix, on nested and shared trees: duplicates kept", 2, "output",
           "state-dict") {
    for_each_tree([](const std::string& tree, nn::Module& m) {
        for (const std::string prefix : {"", "m."})
            NNKIT_CHECK_NAMES("state_dict(\"" + prefix + "\") keys on " + tree,
                              want("state_dict " + tree + " prefix=" + quoted(prefix)), m.state_dict(prefix).keys());
    });
}

NNKIT_TEST("parameters, buffers, children, modules and apply agree with PyTorch on nested and shared trees", 2, "output",
           "traversals") {
    for_each_tree([](const std::string& tree, nn::Module& m) {
        for (const bool recurse : {true, false}) {
            const std::string r = recurse ? "True" : "False";
            const auto p = std::size_t(matrix().int_option("parameters " + tree + " recurse=" + r));
            const auto b = std::size_t(matrix().int_option("buffers " + tree + " recurse=" + r));
            if (numel_of(m.parameters(recurse)) != p)
                FAIL("parameters(recurse=" + r + ") on " + tree + ": expected " + std::to_string(p) + " elements, got " +
                     std::to_string(numel_of(m.parameters(recurse))));
            if (numel_of(m.buffers(recurse)) != b)
                FAIL("buffers(recurse=" + r + ") on " + tree + ": expected " + std::to_string(b) + " elements, got " +
                     std::to_string(numel_of(m.buffers(recurse))));
        }
        NNKIT_CHECK_NAMES("named_children() on " + tree, want("named_children " + tree), names_of(m.named_children()));
        NNKIT_CHECK_NAMES("children() on " + tree, want("children " + tree), types_of(m.children()));
        NNKIT_CHECK_NAMES("modules() on " + tree, want("modules " + tree), types_of(m.modules()));
        std::vector<std::string> order;
        m.apply([&](nn::Module& x) { order.push_back(x.type_name()); });
        NNKIT_CHECK_NAMES("apply order on " + tree, want("apply " + tree), order);
    });
}
