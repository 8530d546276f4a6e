// A module tree may not loop: every way of putting a module into another (register_module, the
// containers' set, insert, append, ModuleDict's set) refuses the module itself or one that holds
// it, before changing anything. PyTorch 1.13 accepts such a loop and then recurses forever (repr,
// state_dict, train raise RecursionError), so this is nnkit's own rule (docs/architecture.md).
// A module shared at two places is no loop. Core code: the check is given to the units.
#include "check.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {
const char* const kLoop = "a module may not contain itself";
}

TEST_CASE("registering a module inside itself, directly or through its submodules, is refused") {
    auto a = std::make_shared<nn::Sequential>(std::make_shared<nn::ReLU>());
    NNKIT_CHECK_THROWS(a->register_module("self", a), ValueError, kLoop);
    NNKIT_CHECK_THROWS(a->append(a), ValueError, "the Sequential being added is this Sequential");
    auto b = std::make_shared<nn::Sequential>(a);  // b holds a
    NNKIT_CHECK_THROWS(a->append(b), ValueError, "the Sequential being added holds this Sequential");
    auto c = std::make_shared<nn::ModuleList>();
    c->append(b);  // c holds b holds a
    NNKIT_CHECK_THROWS(a->register_module("c", c), ValueError, kLoop);
    NNKIT_CHECK_THROWS(a->set(0, c), ValueError, kLoop);
    NNKIT_CHECK_THROWS(a->insert(0, c), ValueError, kLoop);
    NNKIT_CHECK_THROWS(c->set(0, c), ValueError, kLoop);
    NNKIT_CHECK_THROWS(c->insert(0, c), ValueError, kLoop);
    auto d = std::make_shared<nn::ModuleDict>();
    d->set("inner", c);
    NNKIT_CHECK_THROWS(a->append(d), ValueError, kLoop);
    NNKIT_CHECK_THROWS(d->set("me", d), ValueError, kLoop);
    // nothing changed, and every traversal still ends
    CHECK(a->size() == 1);
    CHECK(c->size() == 1);
    CHECK(d->keys() == std::vector<std::string>{"inner"});
    CHECK(d->named_modules("", /*remove_duplicate=*/false).size() == 5);  // d, c, b, a, a's ReLU
    CHECK(!d->repr().empty());
    CHECK(d->state_dict().size() == 0);
}

TEST_CASE("a module shared at two places is no loop and stays allowed") {
    auto shared = std::make_shared<nn::Linear>(2, 2);
    auto s = std::make_shared<nn::Sequential>(shared, shared);
    auto outer = std::make_shared<nn::Sequential>(s, shared);
    CHECK(outer->named_modules().size() == 3);
    CHECK(outer->named_modules("", /*remove_duplicate=*/false).size() == 5);
    CHECK(outer->state_dict().size() == 6);  // s.0, s.1 and 1 each save weight and bias
}
