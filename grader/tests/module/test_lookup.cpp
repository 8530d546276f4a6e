// Unit `module`: finding a member by dotted path (get_submodule, get_parameter, get_buffer),
// deleting registrations (Python's `del module.name`), and freezing with requires_grad_ —
// on the Deep tree, whose shared modules and tensors make "which object did it find" a real
// question (fixture module/lookup_and_delete). A found object is named by its first name in
// Deep's traversal, as the fixture names it.
#include <functional>

#include "check.hpp"
#include "fixtures.hpp"
#include "trees.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

const char* const kDeep =
    "Deep: net (a Net: scale, a, b, tied = b.lin.weight, absent = None, shared = a.lin, empty = None), "
    "step, cache (not persistent), again = net, head (a Block), gain, alias = net.b; "
    "net also has buffers none_buf = None and grad_buf (requires_grad)";

struct LookupDeep : Deep {
    LookupDeep() {
        net->register_buffer("none_buf", Tensor());
        Tensor grad_buf = zeros({1});
        grad_buf.requires_grad_(true);
        net->register_buffer("grad_buf", grad_buf);
    }
};

// "found NAME" or "AttributeError MESSAGE", as the fixture writes each lookup.
template <typename Found>
std::string outcome(const std::function<Found()>& lookup, const std::function<std::string(const Found&)>& name) {
    try {
        return "found " + name(lookup());
    } catch (const AttributeError& e) {
        return std::string("AttributeError ") + e.what();
    } catch (const std::exception& e) {
        return "another exception (" + type_name(e) + "): " + e.what();
    }
}

template <typename Named, typename Same>
std::string first_name(const Named& named, Same same) {
    for (const auto& [n, v] : named)
        if (same(v)) return n;
    return "(an object not in the tree)";
}

void check_lookups(const Fixture& f, const std::string& method, const std::vector<std::string>& targets,
                   const std::function<std::string(const std::string&)>& run) {
    for (const auto& t : targets) {
        const std::string want = f.string_option(method + " " + t), got = run(t);
        if (want != got)
            FAIL(method + "(\"" + t + "\")\n  expected (PyTorch): " + want + "\n  got:                " + got);
    }
}

// get_parameter / get_buffer: a found tensor is named by its first name in `named`; an undefined one is None.
void check_tensor_lookups(const Fixture& f, const std::string& method, const std::vector<std::string>& targets,
                          const std::function<Tensor(const std::string&)>& lookup, const nn::NamedTensors& named) {
    check_lookups(f, method, targets, [&](const std::string& t) {
        return outcome<Tensor>([&] { return lookup(t); }, [&](const Tensor& found) {
            if (!found.defined()) return std::string("None");
            return first_name(named, [&](const Tensor& v) { return v.is_same(found); });
        });
    });
}

}  // namespace

NNKIT_TEST("get_submodule walks dotted paths and names what it cannot walk through", 1, "output",
           "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeep);
    LookupDeep d;
    const nn::NamedModules modules = d.named_modules();
    check_lookups(f, "get_submodule",
                  {"", "net", "net.a.lin", "again.b", "alias.lin", "head", "net.shared", "net.empty", "net.empty.x",
                   "net.scale", "step", "net.a.running", "net.a.lin.weight", "training", "net.training", "zz",
                   "net.zz", "net.a.zz.lin", "net.", ".net", "net..a", "."},
                  [&](const std::string& t) {
                      return outcome<nn::ModulePtr>([&] { return d.get_submodule(t); }, [&](const nn::ModulePtr& m) {
                          return first_name(modules, [&](const nn::ModulePtr& v) { return v.get() == m.get(); });
                      });
                  });
}

NNKIT_TEST("get_parameter finds the parameter itself, shared ones under either name", 1, "output",
           "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeep);
    LookupDeep d;
    check_tensor_lookups(f, "get_parameter",
                         {"gain", "net.scale", "net.tied", "net.b.lin.weight", "alias.lin.bias", "net.shared.weight",
                          "net.absent", "net.a.running", "net.a", "net.empty", "training", "net.a.training", "net.zz",
                          "zz.w", "net.empty.w", "net.scale.x", "", "net.", "net.a.lin."},
                         [&](const std::string& t) { return d.get_parameter(t); }, d.named_parameters());
}

NNKIT_TEST("get_buffer finds buffers, persistent or not, and a None buffer as None", 1, "output",
           "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeep);
    LookupDeep d;
    check_tensor_lookups(f, "get_buffer",
                         {"step", "cache", "net.a.running", "net.b.scratch", "again.a.running", "net.none_buf",
                          "net.grad_buf", "gain", "net.a", "head.lin.weight", "training", "net.training", "zz",
                          "net.zz.running", "net.empty.running", "", "head."},
                         [&](const std::string& t) { return d.get_buffer(t); }, d.named_buffers());
}

namespace {

// Deep after del gain, del cache, del again, del net.absent, del net.empty, del net.tied, del head.lin.
std::shared_ptr<Deep> deep_after_deletes() {
    auto d = std::make_shared<Deep>();
    d->delattr("gain");
    d->delattr("cache");
    d->delattr("again");
    d->net->delattr("absent");
    d->net->delattr("empty");
    d->net->delattr("tied");
    d->head->delattr("lin");
    return d;
}

const char* const kDeletes =
    "Deep, then del gain (a parameter), cache (a non-persistent buffer), again (net's second name), "
    "net.absent (a None parameter), net.empty (a None submodule), net.tied (b.lin.weight's second name), "
    "head.lin (a submodule)";

}  // namespace

NNKIT_TEST("delattr removes a parameter, a buffer or a submodule from its registry", 1, "output",
           "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeletes);
    auto d = deep_after_deletes();
    NNKIT_CHECK_NAMES("named_parameters()", lines_of(f.string_option("after del named_parameters")),
                      names_of(d->named_parameters()));
    NNKIT_CHECK_NAMES("named_buffers()", lines_of(f.string_option("after del named_buffers")),
                      names_of(d->named_buffers()));
    NNKIT_CHECK_NAMES("named_modules()", lines_of(f.string_option("after del named_modules")),
                      names_of(d->named_modules()));
    NNKIT_CHECK_NAMES("state_dict() keys", lines_of(f.string_option("after del state_dict")), d->state_dict().keys());
    NNKIT_CHECK_NAMES("net's parameter registry", lines_of(f.string_option("after del Net parameter keys")),
                      d->net->parameter_dict().keys());
    NNKIT_CHECK_NAMES("net's module registry", lines_of(f.string_option("after del Net module keys")),
                      d->net->module_dict().keys());
    const std::string want = f.string_option("after del repr"), got = d->repr();
    if (want != got) FAIL("repr after the deletes\n  expected (PyTorch):\n" + want + "\n  got:\n" + got);
}

NNKIT_TEST("delattr of a name no registry holds is PyTorch's AttributeError, and a deleted name is free again", 1,
           "error", "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeletes);
    auto d = deep_after_deletes();
    for (const char* name : {"gain", "zz", "cache"})
        NNKIT_CHECK_THROWS(d->delattr(name), AttributeError, f.string_option(std::string("del again ") + name));
    d->register_buffer("cache", zeros({2}));  // persistent this time
    d->register_parameter("gain", nn::Parameter(ones({3})));
    NNKIT_CHECK_NAMES("state_dict() keys after registering cache (a buffer) and gain again",
                      lines_of(f.string_option("after re-register state_dict")), d->state_dict().keys());
}

namespace {

std::vector<std::string> flags(const nn::Module& m) {
    std::vector<std::string> out;
    for (const auto& [n, p] : m.named_parameters()) out.push_back(n + (p.requires_grad() ? " True" : " False"));
    return out;
}

}  // namespace

NNKIT_TEST("requires_grad_ sets the flag on every parameter of the subtree, shared ones included", 1, "output",
           "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO(kDeep);
    LookupDeep d;
    nn::Module& returned = d.requires_grad_(false);
    CHECK(&returned == &d);  // PyTorch returns self
    NNKIT_CHECK_NAMES("requires_grad after d.requires_grad_(False)", lines_of(f.string_option("requires_grad_(False)")),
                      flags(d));
    d.net->b->requires_grad_();
    NNKIT_CHECK_NAMES("requires_grad after d.net.b.requires_grad_()", lines_of(f.string_option("net.b.requires_grad_()")),
                      flags(d));
    d.head->requires_grad_(true);
    d.net->b->lin->requires_grad_(false);
    NNKIT_CHECK_NAMES("requires_grad after d.head.requires_grad_(True), d.net.b.lin.requires_grad_(False)",
                      lines_of(f.string_option("head on, net.b.lin off")), flags(d));
}

NNKIT_TEST("requires_grad_ leaves buffers alone", 1, "property", "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO("Deep's net has a buffer grad_buf created with requires_grad; then d.requires_grad_(False)");
    LookupDeep d;
    d.requires_grad_(false);
    const Tensor* grad_buf = d.net->buffer_dict().get("grad_buf");
    REQUIRE(grad_buf);
    CHECK((grad_buf->requires_grad() ? "True" : "False") == f.string_option("requires_grad_(False) grad_buf"));
}

NNKIT_TEST("a frozen layer gets no gradient, the layers after it do", 1, "output", "deleting-and-looking-up") {
    const Fixture f("module/lookup_and_delete");
    INFO("Sequential(Linear(2, 2), Linear(2, 1)), the first frozen with requires_grad_(False), "
         "then seq(ones(3, 2)).sum().backward()");
    auto lin1 = std::make_shared<nn::Linear>(2, 2);
    auto lin2 = std::make_shared<nn::Linear>(2, 1);
    nn::Module seq("Sequential");
    seq.register_module("0", lin1);
    seq.register_module("1", lin2);
    lin1->requires_grad_(false);
    sum((*lin2)((*lin1)(ones({3, 2})))).backward();
    std::vector<std::string> got;
    for (const auto& [n, p] : seq.named_parameters()) got.push_back(n + (p.grad().defined() ? " True" : " False"));
    NNKIT_CHECK_NAMES("which parameters have a gradient", lines_of(f.string_option("frozen grads")), got);
}
