// Unit `module`: forward pre-hooks, forward hooks and full backward hooks —
// order, replacement, removal — against PyTorch (fixtures module/hook_*).
#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// class Two(nn.Module): a = Linear(2, 2), b = Linear(2, 2); forward: b(a(x)).
struct Two : nn::Module {
    Two() : Module("Two") {
        a = register_module("a", std::make_shared<nn::Linear>(2, 2));
        b = register_module("b", std::make_shared<nn::Linear>(2, 2));
    }
    Tensor forward(const Tensor& x) override { return (*b)((*a)(x)); }
    std::shared_ptr<nn::Linear> a, b;
};

// Every hook kind on net, a and b, each appending "kind:name" to `log`.
void log_every_hook(Two& net, std::vector<std::string>& log) {
    const std::vector<std::pair<std::string, nn::Module*>> mods = {{"net", &net}, {"a", net.a.get()}, {"b", net.b.get()}};
    for (const auto& [name, m] : mods) {
        const std::string n = name;
        m->register_forward_pre_hook([&log, n](nn::Module&, const Tensor&) { log.push_back("pre:" + n); });
        m->register_forward_hook([&log, n](nn::Module&, const Tensor&, const Tensor&) { log.push_back("post:" + n); });
        m->register_full_backward_hook(
            [&log, n](nn::Module&, const Tensor&, const Tensor&) { log.push_back("backward:" + n); });
    }
}

}  // namespace

NNKIT_TEST("calling a module without hooks is forward()", 1, "output", "hooks") {
    nn::Linear lin(2, 1);
    const Tensor x = ones({1, 2});
    NNKIT_CHECK_CLOSE("lin(x) vs lin.forward(x)", lin.forward(x).data(), lin(x).data());
}

NNKIT_TEST("hooks nest: pre:net, pre:a, post:a, pre:b, post:b, post:net, then backward b, a, net", 3, "output",
           "hooks") {
    const Fixture f("module/hook_order");
    Two net;
    std::vector<std::string> log;
    log_every_hook(net, log);
    sum(net(ones({1, 2}, true))).backward();
    NNKIT_CHECK_NAMES("hook call order", lines_of(f.string_option("order")), log);
}

NNKIT_TEST("backward hooks fire where the gradient leaves the module when its input needs no grad", 1, "output",
           "hooks") {
    const Fixture f("module/hook_order");
    Two net;
    std::vector<std::string> log;
    log_every_hook(net, log);
    sum(net(ones({1, 2}))).backward();
    NNKIT_CHECK_NAMES("hook call order", lines_of(f.string_option("order_input_no_grad")), log);
}

NNKIT_TEST("hooks in registration order: a returned tensor replaces the input, output and grad_input", 3, "gradient",
           "hooks") {
    const Fixture f("module/hook_replace");
    nn::Linear lin(3, 2);
    lin.weight.data() = f.f32("weight");
    lin.bias.data() = f.f32("bias");
    Tensor pre2_input, post2_output, hook_grad_input, hook_grad_output, hook_grad_input_2;
    lin.register_forward_pre_hook([](nn::Module&, const Tensor& x) { return mul(x, full(x.shape(), 2.0f)); });
    lin.register_forward_pre_hook([&](nn::Module&, const Tensor& x) { pre2_input = x; });
    lin.register_forward_hook([](nn::Module&, const Tensor&, const Tensor& y) { return add(y, ones(y.shape())); });
    lin.register_forward_hook([&](nn::Module&, const Tensor&, const Tensor& y) { post2_output = y; });
    lin.register_full_backward_hook([&](nn::Module&, const Tensor& gi, const Tensor& go) {
        hook_grad_input = gi;
        hook_grad_output = go;
        return Tensor(gi.data() * 3.0f);
    });
    lin.register_full_backward_hook([&](nn::Module&, const Tensor& gi, const Tensor&) { hook_grad_input_2 = gi; });
    Tensor x(f.f32("input"), true);
    Tensor y = lin(x);
    NNKIT_CHECK_CLOSE("input seen by the second pre-hook", f.f32("pre2_input"), pre2_input.data());
    NNKIT_CHECK_CLOSE("output seen by the second forward hook", f.f32("post2_output"), post2_output.data());
    NNKIT_CHECK_CLOSE("output", f.f32("output"), y.data());
    y.backward(Tensor(f.f32("grad_output")));
    REQUIRE(hook_grad_input.defined());
    NNKIT_CHECK_CLOSE("grad_output given to the backward hook", f.f32("hook_grad_output"), hook_grad_output.data());
    NNKIT_CHECK_CLOSE("grad_input given to the first backward hook", f.f32("hook_grad_input"), hook_grad_input.data());
    NNKIT_CHECK_CLOSE("grad_input given to the second backward hook", f.f32("hook_grad_input_2"),
                      hook_grad_input_2.data());
    NNKIT_CHECK_CLOSE("x.grad (the replaced grad_input)", f.f32("grad_input"), x.grad().data());
    NNKIT_CHECK_CLOSE("weight.grad", f.f32("grad_weight"), lin.weight.grad().data());
}

NNKIT_TEST("removable handles: ids from one increasing counter: remove() stops the hook", 2, "property", "hooks") {
    nn::Linear a(2, 2), b(2, 2);
    int calls = 0;
    auto h1 = a.register_forward_pre_hook([&](nn::Module&, const Tensor&) { ++calls; });
    auto h2 = b.register_forward_hook([&](nn::Module&, const Tensor&, const Tensor&) { ++calls; });
    auto h3 = a.register_full_backward_hook([&](nn::Module&, const Tensor&, const Tensor&) { ++calls; });
    CHECK(h1.id() < h2.id());
    CHECK(h2.id() < h3.id());
    a(ones({1, 2}));
    b(ones({1, 2}));
    CHECK(calls == 2);
    h1.remove();
    h2.remove();
    h2.remove();  // twice is harmless
    a(ones({1, 2}));
    b(ones({1, 2}));
    CHECK(calls == 2);
    CHECK(a.hook_dicts().forward_pre.empty());
    CHECK(a.hook_dicts().backward.size() == 1);
    h3.remove();
    sum(a(ones({1, 2}, true))).backward();
    CHECK(calls == 2);
}

NNKIT_TEST("a handle outliving its module can still be removed", 1, "property", "hooks") {
    nn::RemovableHandle h;
    {
        auto lin = std::make_shared<nn::Linear>(1, 1);
        h = lin->register_forward_hook([](nn::Module&, const Tensor&, const Tensor&) {});
    }
    h.remove();
    SUCCEED();
}

NNKIT_TEST("a backward hook may not return a gradient when no input requires grad", 1, "error", "hooks") {
    nn::Linear lin(2, 2);
    lin.register_full_backward_hook([](nn::Module&, const Tensor& gi, const Tensor& go) {
        CHECK_FALSE(gi.defined());
        return Tensor(go.data());
    });
    NNKIT_CHECK_THROWS(sum(lin(ones({1, 2}))).backward(), ValueError, "should always return None");
}

NNKIT_TEST("every hook is called with the module it was registered on, nested ones included", 1, "property",
           "hooks") {
    Two net;
    std::vector<std::string> wrong;
    const std::vector<std::pair<std::string, nn::Module*>> mods = {{"net", &net}, {"a", net.a.get()}, {"b", net.b.get()}};
    for (const auto& [name, m] : mods) {
        auto check = [&wrong, n = name, want = m](const std::string& kind, const nn::Module& got) {
            if (&got != want) wrong.push_back(kind + " hook of " + n + " got another module");
        };
        m->register_forward_pre_hook([check](nn::Module& got, const Tensor&) { check("forward pre", got); });
        m->register_forward_hook([check](nn::Module& got, const Tensor&, const Tensor&) { check("forward", got); });
        m->register_full_backward_hook(
            [check](nn::Module& got, const Tensor&, const Tensor&) { check("full backward", got); });
    }
    sum(net(ones({1, 2}, true))).backward();
    NNKIT_CHECK_NAMES("hooks that got the wrong module", std::vector<std::string>{}, wrong);
}

NNKIT_TEST("a forward hook receives the input a pre-hook replaced", 1, "output", "hooks") {
    // The forward hooks get the input forward() ran on: ones(1, 2) doubled by the pre-hook.
    nn::Linear lin(2, 1);
    Tensor seen;
    lin.register_forward_pre_hook([](nn::Module&, const Tensor& x) { return mul(x, full(x.shape(), 2.0f)); });
    lin.register_forward_hook([&](nn::Module&, const Tensor& x, const Tensor&) { seen = x; });
    lin(ones({1, 2}));
    REQUIRE(seen.defined());
    NNKIT_CHECK_CLOSE("the forward hook's input", xt::xarray<float>({{2.0f, 2.0f}}), seen.data());
}
