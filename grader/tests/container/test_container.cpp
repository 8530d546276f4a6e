// Unit `container`: Sequential, ModuleList and ModuleDict against PyTorch 1.13 —
// the keys and entries after every operation, the index rules, the messages, the reprs.
// Fixtures: container/* (datasets/cases/container.py). An entry "keys | types"
// lists the registry's keys, then the class of each entry, as PyTorch left them.
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;
using nn::ModulePtr;
using nn::Slice;

namespace {

// A parameterless stand-in printed as PyTorch's class of the same name (ELU, ReLU6, ...):
// containers never look inside their entries.
struct Stub : nn::Module {
    explicit Stub(const std::string& type) : Module(type) {}
    Tensor forward(const Tensor& x) override { return x; }
};
ModulePtr stub(const std::string& type) { return std::make_shared<Stub>(type); }

// "keys | types" of a container, as the fixture writes it.
std::string layout(const nn::Module& m) {
    std::string keys, types;
    for (const auto& [k, v] : m.module_dict()) {
        keys += (keys.empty() ? "" : " ") + k;
        types += (types.empty() ? "" : " ") + (v ? v->type_name() : "None");
    }
    return keys + " | " + types;
}

std::string joined(const std::vector<std::string>& keys) {
    std::string s;
    for (const auto& k : keys) s += (s.empty() ? "" : " ") + k;
    return s;
}

#define CHECK_LAYOUT(what, fixture_key, module)                                                       \
    do {                                                                                              \
        const std::string want_ = f.string_option(fixture_key), got_ = layout(module);                 \
        if (want_ != got_) FAIL(std::string(what) + "\n  expected (PyTorch): " + want_ + "\n  got: " + got_); \
    } while (0)

// Sequential(OrderedDict([("a", ReLU()), ("b", Tanh()), ("c", Sigmoid())]))
std::shared_ptr<nn::Sequential> abc() {
    return std::make_shared<nn::Sequential>(nn::NamedModules{{"a", stub("ReLU")}, {"b", stub("Tanh")}, {"c", stub("Sigmoid")}});
}
// Sequential(ReLU(), Tanh(), Sigmoid())
std::shared_ptr<nn::Sequential> rts() {
    return std::make_shared<nn::Sequential>(stub("ReLU"), stub("Tanh"), stub("Sigmoid"));
}
std::shared_ptr<nn::ModuleList> list3() {
    return std::make_shared<nn::ModuleList>(stub("ReLU"), stub("Tanh"), stub("Sigmoid"));
}

}  // namespace

// ---------------------------------------------------------------- Sequential: forward

NNKIT_TEST("Sequential forward by hand: Linear(1,1) w=2 b=1, then ReLU, on [-1, 3] gives [0, 7]", 1, "output",
           "sequential") {
    auto lin = std::make_shared<nn::Linear>(1, 1);
    lin->weight.data().fill(2.0f);
    lin->bias.data().fill(1.0f);
    nn::Sequential s(lin, std::make_shared<nn::ReLU>());
    const Tensor y = s(from_vector({-1, 3}, {2, 1}));
    NNKIT_CHECK_CLOSE("Sequential output", from_vector({0, 7}, {2, 1}).data(), y.data());
}

NNKIT_TEST("Sequential forward runs Linear, ReLU, Linear in order and backpropagates like PyTorch", 2, "gradient",
           "sequential") {
    const Fixture f("container/sequential_forward");
    nn::Sequential net(std::make_shared<nn::Linear>(3, 4), std::make_shared<nn::ReLU>(),
                       std::make_shared<nn::Linear>(4, 2));
    for (auto& [name, p] : net.named_parameters()) {
        std::string key = name;
        key[1] = '_';
        p.data() = f.f32(key);
    }
    const Tensor x(f.f32("input"), true);
    const Tensor y = net(x);
    NNKIT_CHECK_CLOSE("Sequential output", f.f32("output"), y.data());
    sum(y).backward();
    NNKIT_CHECK_CLOSE("grad of the input", f.f32("grad_input"), x.grad().data());
    NNKIT_CHECK_CLOSE("grad of 0.weight", f.f32("grad_0_weight"), net.get<nn::Linear>(0)->weight.grad().data());
}

NNKIT_TEST("an empty Sequential returns its input", 1, "output", "sequential") {
    nn::Sequential s;
    const Tensor x = from_vector({1, 2}, {2});
    NNKIT_CHECK_CLOSE("empty Sequential", x.data(), s(x).data());
}

NNKIT_TEST("Sequential forward calls each entry through operator() so its hooks fire", 1, "property", "sequential") {
    auto relu = std::make_shared<nn::ReLU>();
    int calls = 0;
    relu->register_forward_hook([&calls](nn::Module&, const Tensor&, const Tensor&) { ++calls; });
    nn::Sequential s(relu, relu);
    s(from_vector({1}, {1}));
    if (calls != 2) FAIL("the ReLU's forward hook ran " + std::to_string(calls) + " times, expected 2");
}

// ---------------------------------------------------------------- Sequential: keys

NNKIT_TEST("Sequential of modules has keys 0..n-1, from named pairs keeps the names", 1, "property", "sequential") {
    const Fixture f("container/sequential");
    if (layout(*rts()) != "0 1 2 | ReLU Tanh Sigmoid") FAIL("Sequential(a, b, c) layout: " + layout(*rts()));
    CHECK_LAYOUT("named Sequential", "setitem_neg", *[] {
        auto s = abc();
        s->set(-1, stub("ELU"));
        return s;
    }());
}

NNKIT_TEST("Sequential names go through register_module: a dotted or empty name is PyTorch's KeyError", 1, "error",
           "sequential") {
    const Fixture f("container/sequential");
    NNKIT_CHECK_THROWS(nn::Sequential().append(stub("ReLU")).at(1), IndexError, f.string_option("index_error").substr(0, 6));
    NNKIT_CHECK_THROWS(nn::Sequential(nn::NamedModules{{"a.b", stub("ReLU")}}), KeyError, f.string_option("dot_error"));
    NNKIT_CHECK_THROWS(nn::Sequential(nn::NamedModules{{"", stub("ReLU")}}), KeyError,
                       f.string_option("empty_name_error"));
}

// ---------------------------------------------------------------- Sequential: indexing and slicing

NNKIT_TEST("Sequential index -1 is the last entry, -n the first", 1, "output", "indexing-and-slicing") {
    auto s = rts();
    if (s->at(-1)->type_name() != "Sigmoid" || s->at(-3)->type_name() != "ReLU" || (*s)[1]->type_name() != "Tanh")
        FAIL("expected s[-1] = Sigmoid, s[-3] = ReLU, s[1] = Tanh");
}

NNKIT_TEST("Sequential index outside [-n, n) is PyTorch's IndexError", 1, "error", "indexing-and-slicing") {
    const Fixture f("container/sequential");
    auto s = rts();
    NNKIT_CHECK_THROWS(s->at(5), IndexError, f.string_option("index_error"));
    NNKIT_CHECK_THROWS(s->at(-4), IndexError, f.string_option("negative_index_error"));
    NNKIT_CHECK_THROWS(s->at(3), IndexError, "index 3 is out of range");
}

NNKIT_TEST("Sequential slicing keeps the original keys ([1:], [-2:], [::-1], [::2], clamped, empty)", 2, "output",
           "indexing-and-slicing") {
    const Fixture f("container/sequential");
    CHECK_LAYOUT("s[1:]", "slice_1", *abc()->slice(Slice{1}));
    CHECK_LAYOUT("s[-2:]", "slice_neg", *abc()->slice(Slice{-2}));
    CHECK_LAYOUT("s[::-1]", "slice_rev", *abc()->slice(Slice{{}, {}, -1}));
    CHECK_LAYOUT("s[::2]", "slice_step2", *rts()->slice(Slice{{}, {}, 2}));
    CHECK_LAYOUT("s[1:10]", "slice_out_of_range", *abc()->slice(Slice{1, 10}));
    CHECK_LAYOUT("s[2:1]", "slice_empty", *abc()->slice(Slice{2, 1}));
}

NNKIT_TEST("a slice shares the modules with the original (no copies)", 1, "property", "indexing-and-slicing") {
    auto s = rts();
    auto t = s->slice(Slice{1});
    if (t->at(0).get() != s->at(1).get()) FAIL("s[1:][0] must be the same object as s[1]");
}

NNKIT_TEST("a slice step of 0 is Python's ValueError", 1, "error", "indexing-and-slicing") {
    INFO("rts() = Sequential(ReLU(), Tanh(), Sigmoid())");
    const Fixture f("container/sequential");
    NNKIT_CHECK_THROWS(rts()->slice(Slice{{}, {}, 0}), ValueError, f.string_option("slice_step_error"));
}

// ---------------------------------------------------------------- Sequential: inserting and deleting

NNKIT_TEST("Sequential deletion renumbers every key, names included", 2, "output", "inserting-and-deleting") {
    const Fixture f("container/sequential");
    auto s = abc();
    s->erase(0);
    CHECK_LAYOUT("del s[0] of a named Sequential", "del_0_named", *s);
    s = rts();
    s->erase(-1);
    CHECK_LAYOUT("del s[-1]", "del_neg1", *s);
    s = abc();
    s->erase(Slice{0, 2});
    CHECK_LAYOUT("del s[0:2]", "del_slice", *s);
    s = std::make_shared<nn::Sequential>(stub("ReLU"), stub("Tanh"), stub("Sigmoid"), stub("ELU"));
    s->erase(Slice{{}, {}, 2});
    CHECK_LAYOUT("del s[::2]", "del_slice_step", *s);
}

NNKIT_TEST("Sequential pop returns the entry and renumbers the rest", 1, "output", "inserting-and-deleting") {
    INFO("rts() = Sequential(ReLU(), Tanh(), Sigmoid())");
    INFO("abc() = Sequential(OrderedDict(a=ReLU(), b=Tanh(), c=Sigmoid()))");
    const Fixture f("container/sequential");
    auto s = abc();
    s->pop(1);
    CHECK_LAYOUT("s.pop(1)", "pop_1", *s);
    if (abc()->pop(-1)->type_name() != f.string_option("pop_returns")) FAIL("s.pop(-1) must return the Sigmoid");
    NNKIT_CHECK_THROWS(rts()->pop(3), IndexError, f.string_option("pop_error"));
}

NNKIT_TEST("Sequential append uses the key str(len): after names, and over a slice's key", 2, "output",
           "inserting-and-deleting") {
    const Fixture f("container/sequential");
    auto s = abc();
    s->append(stub("ELU"));
    CHECK_LAYOUT("named s.append(ELU())", "append_named", *s);
    auto t = rts()->slice(Slice{{}, {}, 2});
    t->append(stub("ELU"));  // keys "0", "2": str(len) = "2" replaces the Sigmoid
    CHECK_LAYOUT("s[::2].append(ELU())", "append_after_slice", *t);
}

NNKIT_TEST("Sequential extend appends each module in order", 1, "output", "inserting-and-deleting") {
    const Fixture f("container/sequential");
    auto s = rts();
    s->extend(std::vector<ModulePtr>{stub("ELU"), stub("ReLU6")});
    CHECK_LAYOUT("s.extend([ELU(), ReLU6()])", "extend", *s);
    auto u = rts();
    u->extend(*rts());
    if (u->size() != 6) FAIL("s.extend(other of 3) must give 6 entries, got " + std::to_string(u->size()));
}

NNKIT_TEST("Sequential insert at 0, at n, at -1 and at -n shifts the later keys up", 2, "output",
           "inserting-and-deleting") {
    const Fixture f("container/sequential");
    const std::vector<std::pair<std::int64_t, std::string>> cases = {
        {0, "insert_0"}, {3, "insert_end"}, {-1, "insert_neg1"}, {-3, "insert_neg3"}};
    for (const auto& [index, key] : cases) {
        auto s = rts();
        s->insert(index, stub("ELU"));
        CHECK_LAYOUT("s.insert(" + std::to_string(index) + ", ELU())", key, *s);
    }
}

NNKIT_TEST("Sequential insert needs -n <= index <= n (PyTorch's IndexError)", 1, "error", "inserting-and-deleting") {
    INFO("rts() = Sequential(ReLU(), Tanh(), Sigmoid())");
    const Fixture f("container/sequential");
    NNKIT_CHECK_THROWS(rts()->insert(4, stub("ELU")), IndexError, f.string_option("insert_error"));
    NNKIT_CHECK_THROWS(rts()->insert(-4, stub("ELU")), IndexError, f.string_option("insert_negative_error"));
}

NNKIT_TEST("Sequential insert into a named Sequential fails as PyTorch's, leaving it unchanged", 1, "error",
           "inserting-and-deleting") {
    const Fixture f("container/sequential");
    auto s = abc();
    NNKIT_CHECK_THROWS(s->insert(1, stub("ELU")), KeyError, f.string_option("insert_named_error"));
    if (layout(*s) != "a b c | ReLU Tanh Sigmoid") FAIL("a failed insert changed the Sequential: " + layout(*s));
}

NNKIT_TEST("Sequential repr equals PyTorch's (named, empty, nested)", 1, "output", "sequential") {
    const Fixture f("container/sequential");
    CHECK(abc()->slice(Slice{0})->repr() == f.string_option("repr_named"));
    CHECK(nn::Sequential().repr() == f.string_option("repr_empty"));
    nn::Sequential nested(std::make_shared<nn::Linear>(2, 3),
                          std::make_shared<nn::Sequential>(std::make_shared<nn::ReLU>(), std::make_shared<nn::Linear>(3, 1)));
    CHECK(nested.repr() == f.string_option("repr_nested"));
}

// ---------------------------------------------------------------- ModuleList

NNKIT_TEST("ModuleList indexing: negative from the end, PyTorch's IndexError outside", 1, "error", "modulelist") {
    const Fixture f("container/module_list");
    auto l = list3();
    if (l->at(-1)->type_name() != "Sigmoid" || l->at(0)->type_name() != "ReLU") FAIL("l[-1] / l[0] wrong");
    NNKIT_CHECK_THROWS(l->at(3), IndexError, f.string_option("index_error"));
    NNKIT_CHECK_THROWS(l->at(-4), IndexError, f.string_option("negative_index_error"));
}

NNKIT_TEST("every index a container takes (set, erase, pop) is checked: PyTorch's IndexError outside [-n, n)", 1,
           "error", "indexing-and-slicing") {
    INFO("rts() = Sequential(ReLU(), Tanh(), Sigmoid()), list3() = ModuleList([ReLU(), Tanh(), Sigmoid()])");
    for (const std::int64_t bad : {3, -4}) {
        const std::string want = "index " + std::to_string(bad) + " is out of range";
        NNKIT_CHECK_THROWS(rts()->set(bad, stub("ELU")), IndexError, want);
        NNKIT_CHECK_THROWS(rts()->erase(bad), IndexError, want);
        NNKIT_CHECK_THROWS(rts()->pop(bad), IndexError, want);
        NNKIT_CHECK_THROWS(list3()->set(bad, stub("ELU")), IndexError, want);
        NNKIT_CHECK_THROWS(list3()->erase(bad), IndexError, want);
        NNKIT_CHECK_THROWS(list3()->pop(bad), IndexError, want);
    }
    // The boundaries themselves are inside: -3 and 2.
    auto s = rts();
    s->set(-3, stub("ELU"));
    s->set(2, stub("ELU"));
    if (layout(*s) != "0 1 2 | ELU Tanh ELU") FAIL("s[-3] = ELU(); s[2] = ELU() gave " + layout(*s));
}

NNKIT_TEST("ModuleList pop returns the module it removed and renumbers", 1, "output", "modulelist") {
    auto l = list3();
    const auto popped = l->pop(1);
    if (!popped || popped->type_name() != "Tanh") FAIL("l.pop(1) must return the Tanh");
    if (layout(*l) != "0 1 | ReLU Sigmoid") FAIL("after l.pop(1): " + layout(*l));
}

NNKIT_TEST("ModuleList slicing renumbers from 0", 1, "output", "modulelist") {
    const Fixture f("container/module_list");
    CHECK_LAYOUT("l[1:]", "slice_1", *list3()->slice(Slice{1}));
    CHECK_LAYOUT("l[::-1]", "slice_rev", *list3()->slice(Slice{{}, {}, -1}));
}

NNKIT_TEST("ModuleList deletion and pop renumber", 1, "output", "modulelist") {
    const Fixture f("container/module_list");
    auto l = list3();
    l->erase(0);
    CHECK_LAYOUT("del l[0]", "del_0", *l);
    l = list3();
    l->erase(Slice{1});
    CHECK_LAYOUT("del l[1:]", "del_slice", *l);
    l = list3();
    l->erase(Slice{{}, 2});
    CHECK_LAYOUT("del l[:2]", "del_slice_front", *l);
    l = list3();
    l->erase(Slice{{}, {}, 2});
    CHECK_LAYOUT("del l[::2]", "del_slice_step", *l);
    l = list3();
    l->pop(-1);
    CHECK_LAYOUT("l.pop(-1)", "pop_neg1", *l);
}

NNKIT_TEST("ModuleList append, extend and item assignment", 1, "output", "modulelist") {
    const Fixture f("container/module_list");
    auto l = list3();
    l->append(stub("ELU"));
    CHECK_LAYOUT("l.append(ELU())", "append", *l);
    l = list3();
    l->extend({stub("ELU"), stub("ReLU6")});
    CHECK_LAYOUT("l.extend([ELU(), ReLU6()])", "extend", *l);
    l = list3();
    l->set(-2, stub("ELU"));
    CHECK_LAYOUT("l[-2] = ELU()", "setitem_neg", *l);
}

NNKIT_TEST("ModuleList insert at 1 and at n", 1, "output", "modulelist") {
    const Fixture f("container/module_list");
    auto l = list3();
    l->insert(1, stub("ELU"));
    CHECK_LAYOUT("l.insert(1, ELU())", "insert_1", *l);
    l = list3();
    l->insert(3, stub("ELU"));
    CHECK_LAYOUT("l.insert(3, ELU())", "insert_3", *l);
}

NNKIT_TEST("ModuleList insert follows Sequential's rule: -1 goes before the last, out of range is an error", 1,
           "error", "modulelist") {
    INFO("list3() = ModuleList([ReLU(), Tanh(), Sigmoid()])");
    // PyTorch's ModuleList.insert(-1, m) half-shifts the keys and then fails (fixture
    // pytorch_insert_negative_*); nnkit applies Sequential.insert's rule instead.
    const Fixture f("container/sequential");
    auto l = list3();
    l->insert(-1, stub("ELU"));
    if (layout(*l) != "0 1 2 3 | ReLU Tanh ELU Sigmoid") FAIL("l.insert(-1, ELU()) gave " + layout(*l));
    NNKIT_CHECK_THROWS(list3()->insert(4, stub("ELU")), IndexError, f.string_option("insert_error"));
    NNKIT_CHECK_THROWS(list3()->insert(-4, stub("ELU")), IndexError, f.string_option("insert_negative_error"));
}

NNKIT_TEST("ModuleList has no forward: calling it is PyTorch's error", 1, "error", "modulelist") {
    INFO("list3() = ModuleList([ReLU(), Tanh(), Sigmoid()])");
    const Fixture f("container/module_list");
    NNKIT_CHECK_THROWS((*list3()->slice(Slice{0}))(from_vector({0}, {1})), std::logic_error,
                       f.string_option("no_forward_error"));
}

NNKIT_TEST("20 Linear(10, 10) in a ModuleList: 2200 parameters, keys 0..19, repr as PyTorch's", 1, "output",
           "modulelist") {
    const Fixture f("container/module_list");
    nn::ModuleList l;
    for (int i = 0; i < 20; ++i) l.append(std::make_shared<nn::Linear>(10, 10));
    std::size_t n = 0;
    for (const auto& p : l.parameters()) n += p.numel();
    CHECK(static_cast<long long>(n) == f.int_option("num_parameters_20"));
    CHECK(l.named_parameters().back().first == "19.bias");
    nn::ModuleList three(std::make_shared<nn::Linear>(10, 10), std::make_shared<nn::Linear>(10, 10),
                         std::make_shared<nn::Linear>(10, 10));
    CHECK(three.repr() == f.string_option("repr"));
    CHECK(nn::ModuleList().repr() == f.string_option("repr_empty"));
}

// ---------------------------------------------------------------- ModuleDict

namespace {
std::shared_ptr<nn::ModuleDict> conv_pool() {
    return std::make_shared<nn::ModuleDict>(nn::NamedModules{
        {"conv", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(10, 10, 3))},
        {"pool", std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(3))}});
}
}  // namespace

NNKIT_TEST("ModuleDict keeps insertion order, keys, values, items, contains, size", 1, "output", "moduledict") {
    const Fixture f("container/module_dict");
    auto d = conv_pool();
    CHECK(joined(d->keys()) == f.string_option("keys"));
    CHECK(d->values().size() == 2);
    CHECK(d->items()[1].first == "pool");
    CHECK(d->values()[0]->type_name() == "Conv2d");
    CHECK(d->items()[0].second == d->at("conv"));  // items() pairs each key with its own module
    CHECK(d->items()[1].second == d->at("pool"));
    CHECK(d->size() == 2);
    CHECK(std::string(d->contains("conv") ? "True" : "False") + " " + (d->contains("relu") ? "True" : "False") ==
          f.string_option("contains"));
}

NNKIT_TEST("ModuleDict update replaces an existing key in place and appends new ones", 1, "output", "moduledict") {
    const Fixture f("container/module_dict");
    auto d = conv_pool();
    d->update(nn::NamedModules{{"act", stub("ReLU")}, {"conv", std::make_shared<nn::Identity>()}});
    CHECK_LAYOUT("d.update([('act', ReLU()), ('conv', Identity())])", "update", *d);
}

NNKIT_TEST("ModuleDict pop unregisters: the popped module's parameters leave the dict", 2, "output", "moduledict") {
    const Fixture f("container/module_dict");
    auto d = conv_pool();
    std::string before;
    for (const auto& [k, v] : d->state_dict()) before += (before.empty() ? "" : " ") + k;
    CHECK(before == f.string_option("state_dict_before_pop"));
    const auto popped = d->pop("conv");
    CHECK(joined(d->keys()) + " | " + popped->type_name() == f.string_option("pop"));
    std::string params;
    for (const auto& [k, v] : d->named_parameters()) params += (params.empty() ? "" : " ") + k;
    if (params != f.string_option("pop_parameters"))
        FAIL("after d.pop('conv') the dict still has parameters: " + params);
}

NNKIT_TEST("ModuleDict clear empties it", 1, "output", "moduledict") {
    const Fixture f("container/module_dict");
    auto d = conv_pool();
    d->clear();
    CHECK(joined(d->keys()) + " | " + std::to_string(d->size()) == f.string_option("clear"));
    CHECK(d->parameters().empty());
}

NNKIT_TEST("ModuleDict erase removes the key and its parameters", 1, "output", "moduledict") {
    auto d = conv_pool();
    d->erase("conv");
    if (layout(*d) != "pool | MaxPool2d") FAIL("after del d['conv']: " + layout(*d));
    if (!d->parameters().empty()) FAIL("after del d['conv'] the dict still has parameters");
}

NNKIT_TEST("ModuleDict missing keys are KeyErrors (lookup, pop, erase)", 1, "error", "moduledict") {
    INFO("conv_pool() = ModuleDict(conv=Conv2d(10, 10, 3), pool=MaxPool2d(3))");
    const Fixture f("container/module_dict");
    NNKIT_CHECK_THROWS(conv_pool()->at("relu"), KeyError, f.string_option("missing_key_error"));
    NNKIT_CHECK_THROWS(conv_pool()->pop("relu"), KeyError, f.string_option("pop_missing_error"));
    NNKIT_CHECK_THROWS(conv_pool()->erase("relu"), KeyError, f.string_option("del_missing_error"));
}

NNKIT_TEST("ModuleDict keys go through register_module: dotted, empty and 'training' are KeyErrors", 1, "error",
           "moduledict") {
    INFO("conv_pool() = ModuleDict(conv=Conv2d(10, 10, 3), pool=MaxPool2d(3))");
    const Fixture f("container/module_dict");
    NNKIT_CHECK_THROWS(nn::ModuleDict(nn::NamedModules{{"a.b", stub("ReLU")}}), KeyError, f.string_option("dot_error"));
    NNKIT_CHECK_THROWS(nn::ModuleDict(nn::NamedModules{{"", stub("ReLU")}}), KeyError, f.string_option("empty_error"));
    NNKIT_CHECK_THROWS(conv_pool()->set("training", stub("ReLU")), KeyError, f.string_option("training_error"));
}

NNKIT_TEST("ModuleDict repr equals PyTorch's", 1, "output", "moduledict") {
    const Fixture f("container/module_dict");
    CHECK(conv_pool()->repr() == f.string_option("repr"));
    CHECK(nn::ModuleDict().repr() == f.string_option("repr_empty"));
}

NNKIT_TEST("The course's ModuleDict net chooses conv/pool and relu/prelu by name, as PyTorch", 2, "output",
           "moduledict") {
    const Fixture f("container/module_dict_choices");
    struct Choices : nn::Module {
        Choices() : Module("Choices") {
            choices = register_module("choices", std::make_shared<nn::ModuleDict>(nn::NamedModules{
                                                     {"conv", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(2, 2, 3))},
                                                     {"pool", std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(3))}}));
            activations = register_module("activations", std::make_shared<nn::ModuleDict>(nn::NamedModules{
                                                             {"relu", std::make_shared<nn::ReLU>()},
                                                             {"prelu", std::make_shared<nn::PReLU>()}}));
        }
        Tensor run(const Tensor& x, const std::string& choice, const std::string& act) {
            return (*activations->at(act))((*choices->at(choice))(x));
        }
        std::shared_ptr<nn::ModuleDict> choices, activations;
    };
    Choices net;
    auto conv = net.choices->get<nn::Conv2d>("conv");
    conv->weight.data() = f.f32("conv_weight");
    conv->bias.data() = f.f32("conv_bias");
    const Tensor x(f.f32("input"));
    NNKIT_CHECK_CLOSE_TOL("conv then relu", f.f32("conv_relu"), net.run(x, "conv", "relu").data(), f.rtol(), f.atol());
    NNKIT_CHECK_CLOSE_TOL("pool then prelu", f.f32("pool_prelu"), net.run(x, "pool", "prelu").data(), f.rtol(),
                          f.atol());
    CHECK(net.repr() == f.string_option("repr"));
}

NNKIT_TEST("slice_positions is Python's range(n)[start:stop:step] for every bound: omitted, negative, past either "
           "end, any step",
           2, "output", "indexing-and-slicing") {
    // rows "n start stop step: positions", with None for an omitted bound (datasets/cases/container.py)
    std::istringstream rows(Fixture("container/slice_matrix").string_option("rows"));
    auto bound = [](const std::string& t) { return t == "None" ? std::optional<std::int64_t>() : std::stoll(t); };
    std::size_t wrong = 0;
    std::string first;
    for (std::string row; std::getline(rows, row);) {
        std::istringstream in(row.substr(0, row.find(':')));
        std::string n, start, stop, step;
        in >> n >> start >> stop >> step;
        const Slice sl{bound(start), bound(stop), step == "None" ? 1 : std::stoll(step)};
        std::string got;
        for (std::size_t p : nn::slice_positions(sl, std::stoul(n))) got += " " + std::to_string(p);
        const std::string want = row.substr(row.find(':') + 1);
        if (got != want && ++wrong == 1)
            first = "range(" + n + ")[" + start + ":" + stop + ":" + step + "]: expected [" + want + " ], got [" + got +
                    " ]";
    }
    if (wrong) FAIL(std::to_string(wrong) + " slices differ from Python's; the first: " + first);
}

NNKIT_TEST("Sequential forward with a null entry is PyTorch's TypeError", 1, "error", "sequential") {
    const Fixture f("container/sequential");
    nn::Sequential s(std::vector<ModulePtr>{stub("ReLU")});
    s.register_module("1", ModulePtr());
    INFO("Sequential(ReLU()) with add_module(\"1\", None), called on zeros(1)");
    NNKIT_CHECK_THROWS(s.forward(zeros({1})), TypeError, f.string_option("none_entry_error"));
}

NNKIT_TEST("deleting an empty slice from a named Sequential deletes nothing but still renumbers", 1, "output",
           "inserting-and-deleting") {
    const Fixture f("container/sequential");
    auto s = abc();
    s->erase(Slice{2, 1});
    CHECK_LAYOUT("del abc[2:1]", "del_empty_slice_named", *s);
}

NNKIT_TEST("ModuleList boundaries: index -n, erase at negative indices, insert at 0 and -n, a slice step of 0", 1,
           "error", "modulelist") {
    const Fixture f("container/module_list");
    INFO("list3() = ModuleList([ReLU(), Tanh(), Sigmoid()])");
    CHECK(list3()->at(-3)->type_name() == f.string_option("at_neg3"));
    auto l = list3();
    l->erase(-1);
    CHECK_LAYOUT("del l[-1]", "del_neg1", *l);
    l = list3();
    l->erase(-3);
    CHECK_LAYOUT("del l[-3]", "del_neg3", *l);
    l = list3();
    l->insert(0, stub("ELU"));
    CHECK_LAYOUT("l.insert(0, ELU())", "insert_0", *l);
    l = list3();
    l->insert(-3, stub("ELU"));  // Sequential's rule (PyTorch's own ModuleList.insert breaks on negatives)
    if (layout(*l) != Fixture("container/sequential").string_option("insert_neg3"))
        FAIL("l.insert(-3, ELU()) must put ELU first, as Sequential.insert(-3) does: got " + layout(*l));
    NNKIT_CHECK_THROWS(list3()->slice(Slice{{}, {}, 0}), ValueError, f.string_option("slice_step_error"));
    NNKIT_CHECK_THROWS(list3()->erase(Slice{{}, {}, 0}), ValueError, f.string_option("del_slice_step_error"));
}

// ---------------------------------------------------------------- operators (fixture container/operators)

namespace {

// Runs an in-place operator on `m` as the fixture's in_place() does: the layout it leaves and,
// if it threw, whether the message is PyTorch's.
template <typename M, typename Op>
void check_in_place(const Fixture& f, const std::string& name, std::shared_ptr<M> m, Op op) {
    const std::string error_key = name + " error";
    std::string error;
    try {
        op(*m);
    } catch (const std::exception& e) {
        error = e.what();
        if (!f.has_option(error_key))
            FAIL(name + ": PyTorch raises nothing, nnkit threw (" + type_name(e) + "): " + error);
    }
    if (f.has_option(error_key) && error.find(f.string_option(error_key)) == std::string::npos)
        FAIL(name + ": PyTorch raises \"" + f.string_option(error_key) + "\"\n  nnkit: " +
             (error.empty() ? std::string("no error") : "\"" + error + "\""));
    CHECK_LAYOUT(name + " leaves", name, *m);
}

std::shared_ptr<nn::Sequential> empty_seq() { return std::make_shared<nn::Sequential>(); }
std::shared_ptr<nn::Sequential> rts_from(std::int64_t start) { return rts()->slice(Slice{start}); }
std::shared_ptr<nn::Sequential> rts_step2() { return rts()->slice(Slice{{}, {}, 2}); }

}  // namespace

NNKIT_TEST("Sequential + Sequential is a new Sequential with keys renumbered from 0", 1, "output", "operators") {
    const Fixture f("container/operators");
    CHECK_LAYOUT("rts + abc", "rts + abc", *(*rts() + *abc()));
    CHECK_LAYOUT("abc + rts", "abc + rts", *(*abc() + *rts()));
    CHECK_LAYOUT("rts[1:] + rts[::2]", "rts[1:] + rts[::2]", *(*rts_from(1) + *rts_step2()));
    CHECK_LAYOUT("empty + rts", "empty + rts", *(*empty_seq() + *rts()));
    CHECK_LAYOUT("rts + empty", "rts + empty", *(*rts() + *empty_seq()));
    CHECK_LAYOUT("empty + empty", "empty + empty", *(*empty_seq() + *empty_seq()));
    auto a = rts(), b = abc();
    auto sum = *a + *b;
    if (a->size() != 3 || b->size() != 3) FAIL("s + t must leave s and t unchanged");
    CHECK(sum->at(0).get() == a->at(0).get());  // the same modules, not copies
    CHECK(sum->at(5).get() == b->at(2).get());
}

NNKIT_TEST("Sequential * k and k * s repeat the same modules under keys 0..nk-1", 1, "output", "operators") {
    const Fixture f("container/operators");
    CHECK_LAYOUT("rts * 1", "rts * 1", *(*rts() * 1));
    CHECK_LAYOUT("rts * 3", "rts * 3", *(*rts() * 3));
    CHECK_LAYOUT("abc * 2", "abc * 2", *(*abc() * 2));
    CHECK_LAYOUT("2 * abc", "2 * abc", *(2 * *abc()));
    CHECK_LAYOUT("rts[1:] * 2", "rts[1:] * 2", *(*rts_from(1) * 2));
    CHECK_LAYOUT("empty * 4", "empty * 4", *(*empty_seq() * 4));
    auto s = rts();
    auto twice = *s * 2;
    std::string shares;
    for (std::int64_t i = 0; i < 6; ++i)
        shares += std::string(i ? " " : "") + (twice->at(i).get() == s->at(i % 3).get() ? "True" : "False");
    if (shares != f.string_option("rts * 2 shares modules"))
        FAIL("(s * 2)[i] is s[i % 3] for i = 0..5\n  expected (PyTorch): " + f.string_option("rts * 2 shares modules") +
             "\n  got:                " + shares);
}

NNKIT_TEST("Sequential * 0 and * -2 are PyTorch's ValueError", 1, "error", "operators") {
    const Fixture f("container/operators");
    NNKIT_CHECK_THROWS(*rts() * 0, ValueError, f.string_option("rts * 0 error"));
    NNKIT_CHECK_THROWS(*rts() * -2, ValueError, f.string_option("rts * -2 error"));
}

NNKIT_TEST("Sequential += t adds t's entries under keys len(s) + i, replacing a key that exists", 1, "output",
           "operators") {
    const Fixture f("container/operators");
    auto add = [](std::shared_ptr<nn::Sequential> other) { return [other](nn::Sequential& m) { m += *other; }; };
    check_in_place(f, "rts += abc", rts(), add(abc()));
    check_in_place(f, "abc += rts", abc(), add(rts()));
    check_in_place(f, "rts[1:] += rts", rts_from(1), add(rts()));
    check_in_place(f, "rts[::2] += abc", rts_step2(), add(abc()));
    check_in_place(f, "empty += rts", empty_seq(), add(rts()));
    check_in_place(f, "rts += empty", rts(), add(empty_seq()));
    auto s = rts();
    nn::Sequential& returned = (*s += *abc());
    CHECK(&returned == s.get());
}

NNKIT_TEST("s += s and s.extend(s) walk s while it grows, as PyTorch's loop (and its error) do", 1, "output",
           "operators") {
    const Fixture f("container/operators");
    const std::vector<std::pair<std::string, std::function<std::shared_ptr<nn::Sequential>()>>> builds = {
        {"rts", rts}, {"abc", abc}, {"rts[1:]", [] { return rts_from(1); }}, {"rts[2:]", [] { return rts_from(2); }},
        {"empty", empty_seq}};
    for (const auto& [name, build] : builds) {
        check_in_place(f, name + " += itself", build(), [](nn::Sequential& m) { m += m; });
        check_in_place(f, name + " extend itself", build(), [](nn::Sequential& m) { m.extend(m); });
    }
}

NNKIT_TEST("Sequential *= k adds entries 0..n-1 k-1 more times, and keys that are not 0..n-1 fail as PyTorch's", 1,
           "output", "operators") {
    const Fixture f("container/operators");
    auto mul = [](std::int64_t k) { return [k](nn::Sequential& m) { m *= k; }; };
    check_in_place(f, "rts *= 1", rts(), mul(1));
    check_in_place(f, "rts *= 3", rts(), mul(3));
    check_in_place(f, "abc *= 1", abc(), mul(1));
    check_in_place(f, "abc *= 2", abc(), mul(2));
    check_in_place(f, "rts[1:] *= 2", rts_from(1), mul(2));
    check_in_place(f, "rts[::2] *= 2", rts_step2(), mul(2));
    check_in_place(f, "empty *= 3", empty_seq(), mul(3));
    check_in_place(f, "rts *= 0", rts(), mul(0));
    check_in_place(f, "rts *= -1", rts(), mul(-1));
    auto s = rts();
    *s *= 2;
    std::string shares;
    for (std::int64_t i = 0; i < 6 && i < static_cast<std::int64_t>(s->size()); ++i)
        shares += std::string(i ? " " : "") + (s->at(i).get() == s->at(i % 3).get() ? "True" : "False");
    if (shares != f.string_option("rts *= 2 shares modules"))
        FAIL("after s *= 2, s[i] is s[i % 3] for i = 0..5\n  expected (PyTorch): " +
             f.string_option("rts *= 2 shares modules") + "\n  got:                " + shares);
}

NNKIT_TEST("ModuleList + and += (extend), with itself too", 1, "output", "operators") {
    const Fixture f("container/operators");
    CHECK_LAYOUT("list3 + list3", "list3 + list3", *(*list3() + *list3()));
    CHECK_LAYOUT("list3 + empty", "list3 + empty", *(*list3() + nn::ModuleList()));
    CHECK_LAYOUT("list3[1:] + list3[::2]", "list3[1:] + list3[::2]",
                 *(*list3()->slice(Slice{1}) + *list3()->slice(Slice{{}, {}, 2})));
    check_in_place(f, "list3 += list3", list3(), [](nn::ModuleList& m) { m += *list3(); });
    check_in_place(f, "list3 += itself", list3(), [](nn::ModuleList& m) { m += m; });
    check_in_place(f, "list1 += itself", std::make_shared<nn::ModuleList>(stub("ELU")),
                   [](nn::ModuleList& m) { m += m; });
    check_in_place(f, "list empty += itself", std::make_shared<nn::ModuleList>(), [](nn::ModuleList& m) { m += m; });
    check_in_place(f, "list3 += [ELU, ReLU6]", list3(),
                   [](nn::ModuleList& m) { m += std::vector<ModulePtr>{stub("ELU"), stub("ReLU6")}; });
}
