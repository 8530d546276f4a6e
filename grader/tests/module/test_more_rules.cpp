// Unit `module`: the rules a flat tree never reaches (fixture module/more_rules):
// undefined buffers, one buffer tensor under two names, load_state_dict's unexpected
// and ignored keys, several size mismatches in one message, hooks run from a snapshot,
// and what the registries look like after a rejected registration.
#include <algorithm>
#include <functional>

#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// class Odd(nn.Module) of datasets/cases/module.py.
struct Odd : nn::Module {
    Odd() : Module("Odd") {
        register_buffer("none_buf", Tensor());
        register_buffer("kept", zeros({2}));
        const Tensor shared = zeros({3});
        register_buffer("first", shared);
        register_buffer("second", shared);
        register_buffer("scratch", zeros({1}), /*persistent=*/false);
        register_parameter("none_param", Tensor());
        register_parameter("w", nn::Parameter(ones({2})));
        register_module("empty", nn::ModulePtr());
        blk = register_module("blk", std::make_shared<Block>());
    }
    std::shared_ptr<Block> blk;
};

const char* const kOdd =
    "Odd: buffers none_buf (None), kept, first and second (one tensor), scratch (not persistent); "
    "parameters none_param (None), w; children empty (None), blk (a Block)";

// Odd's state_dict without "kept", with keys that name what a load must not touch.
nn::StateDict odd_state_dict_to_load() {
    nn::StateDict sd = Odd().state_dict();
    sd.erase("kept");
    for (const char* key : {"none_param", "none_buf", "scratch", "empty.weight", "blk.lin.none"})
        sd.set(key, zeros({1}));
    return sd;
}

}  // namespace

NNKIT_TEST("an undefined buffer stays registered but traversals and state_dict skip it", 1, "output", "registries") {
    const Fixture f("module/more_rules");
    INFO(kOdd);
    Odd odd;
    CHECK(odd.buffer_dict().contains("none_buf"));
    CHECK_FALSE(odd.buffer_dict().get("none_buf")->defined());
    NNKIT_CHECK_NAMES("named_buffers()", lines_of(f.string_option("Odd named_buffers")), names_of(odd.named_buffers()));
    NNKIT_CHECK_NAMES("named_buffers(\"\", false)", lines_of(f.string_option("Odd named_buffers recurse=False")),
                      names_of(odd.named_buffers("", false)));
    NNKIT_CHECK_NAMES("named_parameters()", lines_of(f.string_option("Odd named_parameters")),
                      names_of(odd.named_parameters()));
    NNKIT_CHECK_NAMES("state_dict() keys", lines_of(f.string_option("Odd state_dict")), odd.state_dict().keys());
}

NNKIT_TEST("named_buffers lists one buffer tensor once, under its first name, while state_dict keeps both names", 1,
           "output", "traversals") {
    const Fixture f("module/more_rules");
    INFO(kOdd);
    Odd odd;
    NNKIT_CHECK_NAMES("named_buffers()", lines_of(f.string_option("Odd named_buffers")), names_of(odd.named_buffers()));
    CHECK(odd.buffers().size() == std::size_t(f.int_option("Odd buffers")));
    const auto keys = odd.state_dict().keys();
    CHECK(std::count(keys.begin(), keys.end(), "second") == 1);
}

NNKIT_TEST("load_state_dict: keys naming an undefined entry or a non-persistent buffer are unexpected, keys under a "
           "null child are ignored",
           2, "error", "state-dict") {
    const Fixture f("module/more_rules");
    INFO(kOdd);
    INFO("loading Odd's state_dict without \"kept\", plus none_param, none_buf, scratch, empty.weight, blk.lin.none");
    const nn::StateDict sd = odd_state_dict_to_load();
    Odd strict;
    NNKIT_CHECK_THROWS(strict.load_state_dict(sd), ValueError, f.string_option("Odd load strict"));
    Odd loose;
    const auto r = loose.load_state_dict(sd, false);
    NNKIT_CHECK_NAMES("missing_keys", lines_of(f.string_option("Odd load missing_keys")), r.missing_keys);
    NNKIT_CHECK_NAMES("unexpected_keys", lines_of(f.string_option("Odd load unexpected_keys")), r.unexpected_keys);
    CHECK_FALSE(loose.buffer_dict().get("none_buf")->defined());  // an unexpected key defines nothing
}

NNKIT_TEST("load_state_dict reports every size mismatch in one message, in traversal order", 1, "error",
           "state-dict") {
    const Fixture f("module/more_rules");
    nn::StateDict sd = Net().state_dict();
    sd.set("b.running", zeros({5}));
    sd.set("scale", zeros({2}));
    sd.set("a.lin.weight", zeros({4, 2}));
    INFO("Net's state_dict with b.running (5,), scale (2,) and a.lin.weight (4, 2)");
    Net net;
    NNKIT_CHECK_THROWS(net.load_state_dict(sd), ValueError, f.string_option("Net three size mismatches"));
}

NNKIT_TEST("hooks run from a snapshot taken when the call starts: removing or adding one acts from the next call", 1,
           "output", "hooks") {
    const Fixture f("module/more_rules");
    for (const std::string kind : {"forward", "forward_pre"}) {
        nn::Linear lin(2, 2);
        std::vector<std::string> log;
        std::vector<nn::RemovableHandle> handles(3);
        bool added = false;
        const auto add = [&](std::function<void()> body) {
            return kind == "forward" ? lin.register_forward_hook([body](nn::Module&, const Tensor&, const Tensor&) { body(); })
                                     : lin.register_forward_pre_hook([body](nn::Module&, const Tensor&) { body(); });
        };
        handles[0] = add([&] {
            log.push_back("A");
            handles[0].remove();
            handles[1].remove();
        });
        handles[1] = add([&] { log.push_back("B"); });
        handles[2] = add([&] {
            log.push_back("C");
            if (!added) {
                added = true;
                add([&] { log.push_back("D"); });
            }
        });
        lin(ones({1, 2}));
        log.push_back("|");
        lin(ones({1, 2}));
        INFO(kind << " hooks A (removes A and B), B, C (registers D on its first run); two calls, \"|\" between");
        NNKIT_CHECK_NAMES(kind + " hooks run", lines_of(f.string_option("snapshot " + kind)), log);
    }
}

NNKIT_TEST("a rejected registration leaves every registry as it was", 1, "error", "registries") {
    Net net;
    const auto params = names_of(net.named_parameters()), buffers = names_of(net.named_buffers());
    const auto modules = names_of(net.named_modules()), keys = net.state_dict().keys();
    const auto check_unchanged = [&](const std::string& call) {
        NNKIT_CHECK_NAMES("named_parameters after " + call, params, names_of(net.named_parameters()));
        NNKIT_CHECK_NAMES("named_buffers after " + call, buffers, names_of(net.named_buffers()));
        NNKIT_CHECK_NAMES("named_modules after " + call, modules, names_of(net.named_modules()));
        NNKIT_CHECK_NAMES("state_dict keys after " + call, keys, net.state_dict().keys());
    };
    CHECK_THROWS(net.register_buffer("a.b", zeros({1})));
    check_unchanged("register_buffer(\"a.b\", ...)");
    CHECK_THROWS(net.register_buffer("scale", zeros({1})));  // a parameter's name
    check_unchanged("register_buffer(\"scale\", ...)");
    CHECK_THROWS(net.register_buffer("a", zeros({1})));  // a child's name
    check_unchanged("register_buffer(\"a\", ...)");
    CHECK_THROWS(net.register_parameter("a", nn::Parameter(zeros({1}))));
    check_unchanged("register_parameter(\"a\", ...)");
    CHECK_THROWS(net.register_module("scale", std::make_shared<nn::Linear>(1, 1)));
    check_unchanged("register_module(\"scale\", ...)");
}

NNKIT_TEST("apply returns the module it was called on", 1, "property", "traversals") {
    Deep deep;
    std::size_t visited = 0;
    nn::Module& result = deep.apply([&](nn::Module&) { ++visited; });
    CHECK(&result == &deep);
    CHECK(visited > 0);
}
