// Unit `module`: state_dict keys and values, load_state_dict with PyTorch's
// messages (fixture module/load_state_dict), and a save/load round trip.
#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

NNKIT_TEST("state_dict: own parameters, own persistent buffers, then children: duplicates kept", 2, "output",
           "state-dict") {
    const Fixture f("module/traversals");
    Net net;
    NNKIT_CHECK_NAMES("state_dict() keys", lines_of(f.string_option("state_dict")), net.state_dict().keys());
    NNKIT_CHECK_NAMES("state_dict(\"model.\") keys", lines_of(f.string_option("state_dict_prefix")),
                      net.state_dict("model.").keys());
}

NNKIT_TEST("state_dict values share storage with the parameters but carry no autograd", 1, "property",
           "state-dict") {
    nn::Linear lin(2, 2);
    const auto sd = lin.state_dict();
    REQUIRE(sd.get("weight"));
    const Tensor w = *sd.get("weight");
    CHECK_FALSE(w.requires_grad());
    lin.weight.data()(0, 0) = 42.0f;
    CHECK(w.data()(0, 0) == 42.0f);
}

NNKIT_TEST("load_state_dict round trip: a fresh model gets the saved values", 2, "output", "state-dict") {
    manual_seed(1);
    Net source;
    source.a->lin->weight.data()(1, 1) = 7.0f;
    Tensor(*source.b->buffer_dict().get("running")).data().fill(3.0f);
    manual_seed(2);
    Net target;
    const auto result = target.load_state_dict(source.state_dict());
    CHECK(result.missing_keys.empty());
    CHECK(result.unexpected_keys.empty());
    const auto want = source.state_dict(), got = target.state_dict();
    for (const auto& [key, value] : want) {
        REQUIRE(got.get(key));
        NNKIT_CHECK_CLOSE("value of " + key + " after load_state_dict", value.data(), got.get(key)->data());
    }
    // Values are copied, not aliased: the source can change afterwards.
    source.a->lin->weight.data()(1, 1) = -1.0f;
    CHECK(target.a->lin->weight.data()(1, 1) == 7.0f);
}

NNKIT_TEST("load_state_dict leaves non-persistent buffers alone", 1, "property", "state-dict") {
    Block src, dst;
    Tensor(*src.buffer_dict().get("scratch")).data().fill(9.0f);
    dst.load_state_dict(src.state_dict());
    CHECK(xt::all(xt::equal(dst.buffer_dict().get("scratch")->data(), 0.0f)));
}

NNKIT_TEST("load_state_dict(strict) reports missing and unexpected keys with PyTorch's message", 2, "error",
           "state-dict") {
    const Fixture f("module/load_state_dict");
    nn::Linear lin(5, 3);
    nn::StateDict sd;
    sd.set("weight", zeros({3, 5}));
    sd.set("extra", zeros({3}));
    INFO("Linear(5, 3).load_state_dict({weight: (3, 5), extra: (3,)})");
    NNKIT_CHECK_THROWS(lin.load_state_dict(sd), ValueError, f.string_option("missing_unexpected"));
}

NNKIT_TEST("load_state_dict(strict=false) returns the missing and unexpected keys", 1, "output", "state-dict") {
    const Fixture f("module/load_state_dict");
    nn::Linear lin(5, 3);
    nn::StateDict sd;
    sd.set("weight", ones({3, 5}));
    sd.set("extra", zeros({3}));
    const auto r = lin.load_state_dict(sd, false);
    NNKIT_CHECK_NAMES("missing_keys", lines_of(f.string_option("missing_keys")), r.missing_keys);
    NNKIT_CHECK_NAMES("unexpected_keys", lines_of(f.string_option("unexpected_keys")), r.unexpected_keys);
    CHECK(xt::all(xt::equal(lin.weight.data(), 1.0f)));  // the keys that match are still loaded
}

NNKIT_TEST("load_state_dict: a shape mismatch is an error even when not strict", 1, "error", "state-dict") {
    const Fixture f("module/load_state_dict");
    nn::Linear lin(5, 3);
    nn::StateDict sd;
    sd.set("weight", zeros({3, 4}));
    sd.set("bias", zeros({3}));
    INFO("Linear(5, 3).load_state_dict({weight: (3, 4), bias: (3,)})");
    NNKIT_CHECK_THROWS(lin.load_state_dict(sd), ValueError, f.string_option("size_mismatch"));
    NNKIT_CHECK_THROWS(lin.load_state_dict(sd, false), ValueError, f.string_option("size_mismatch_not_strict"));
}

NNKIT_TEST("load_state_dict on a tree: dotted keys, root-level keys first, all errors in one message", 2, "error",
           "state-dict") {
    const Fixture f("module/load_state_dict");
    Net net;
    nn::StateDict sd = net.state_dict();
    sd.erase("a.lin.bias");
    sd.set("b.lin.extra", zeros({1}));
    sd.set("c.weight", zeros({1}));
    sd.set("b.running", zeros({4}));
    INFO("Net's state_dict without a.lin.bias, with b.lin.extra, c.weight and b.running of shape (4,) instead of (3,)");
    NNKIT_CHECK_THROWS(net.load_state_dict(sd), ValueError, f.string_option("nested"));
    sd.set("b.running", zeros({3}));
    const auto r = net.load_state_dict(sd, false);
    NNKIT_CHECK_NAMES("missing_keys", lines_of(f.string_option("nested_missing_keys")), r.missing_keys);
    NNKIT_CHECK_NAMES("unexpected_keys", lines_of(f.string_option("nested_unexpected_keys")), r.unexpected_keys);
}

NNKIT_TEST("registering a buffer's name again sets its persistence anew: off then on, on then off", 1, "output",
           "state-dict") {
    const Fixture f("module/buffer_persistence");
    struct Case { const char* name; bool first, again; };
    for (const Case c : {Case{"off_then_on", false, true}, Case{"on_then_off", true, false},
                         Case{"off_then_off", false, false}}) {
        nn::Module m("M");
        m.register_buffer("kept", zeros({1}));
        m.register_buffer("b", zeros({1}), c.first);
        m.register_buffer("b", zeros({2}), c.again);
        const std::string call = std::string("register_buffer(\"b\", persistent=") + (c.first ? "true" : "false") +
                                 ") then again with persistent=" + (c.again ? "true" : "false");
        NNKIT_CHECK_NAMES("state_dict keys after " + call, lines_of(f.string_option(c.name)), m.state_dict().keys());
        NNKIT_CHECK_NAMES("named_buffers after " + call, lines_of(f.string_option(std::string(c.name) + "_buffers")),
                          names_of(m.named_buffers()));
    }
}
