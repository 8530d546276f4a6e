// nn::ParameterList and nn::ParameterDict (core) against PyTorch 1.13 (fixture
// container/parameter_containers): keys after each operation, what a plain tensor becomes,
// messages, reprs, and how they sit inside a model.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/nn/parameter_container.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

std::string shapes(const std::vector<Tensor>& ps) {
    std::string s;
    for (const auto& p : ps) {
        std::string one;
        for (auto d : p.shape()) one += (one.empty() ? "" : "x") + std::to_string(d);
        s += (s.empty() ? "" : " ") + one;
    }
    return s;
}

std::string keys_of(const nn::Module& m) {
    std::string s;
    for (const auto& [n, p] : m.named_parameters()) s += (s.empty() ? "" : " ") + n;
    return s;
}

nn::ParameterList list3() {
    return nn::ParameterList({nn::Parameter(zeros({3, 4})), nn::Parameter(zeros({5})), nn::Parameter(zeros({2, 1}))});
}

std::shared_ptr<nn::ParameterDict> wb() {
    return std::make_shared<nn::ParameterDict>(
        nn::NamedTensors{{"w", nn::Parameter(zeros({3, 4}))}, {"b", nn::Parameter(zeros({2}))}});
}

struct Holder : nn::Module {
    Holder() : Module("Holder") {
        register_module("ps", std::make_shared<nn::ParameterList>(
                                  std::vector<Tensor>{nn::Parameter(zeros({2, 2})), nn::Parameter(zeros({3}))}));
        register_module("d", std::make_shared<nn::ParameterDict>(nn::NamedTensors{{"k", nn::Parameter(zeros({3}))}}));
    }
};

}  // namespace

TEST_CASE("ParameterList: indexing, slicing, +=, item assignment, wrapping, repr, as PyTorch") {
    const Fixture f("container/parameter_containers");
    const auto want = [&](const char* key) { return f.string_option(key); };
    nn::ParameterList pl = list3();
    CHECK(pl.repr() == want("list repr"));
    CHECK(nn::ParameterList().repr() == want("list repr empty"));
    CHECK(nn::ParameterList({nn::Parameter(Tensor(xt::xarray<float>(1.0f)))}).repr() == want("list repr 0-d"));
    NNKIT_CHECK_THROWS(pl.at(3), IndexError, want("list index error"));
    NNKIT_CHECK_THROWS(pl.at(-4), IndexError, want("list negative index error"));
    NNKIT_CHECK_THROWS(pl.set(5, nn::Parameter(zeros({1}))), IndexError, want("list set index error"));
    CHECK(shapes({pl[-1]}) == want("list [-1]"));
    CHECK(shapes(pl.slice(nn::Slice{1})->values()) == want("list [1:]"));
    CHECK(shapes(pl.slice(nn::Slice{{}, {}, -1})->values()) == want("list [::-1]"));
    CHECK(keys_of(*pl.slice(nn::Slice{{}, {}, -1})) == want("list [::-1] keys"));
    pl += {nn::Parameter(zeros({7}))};
    CHECK(keys_of(pl) + " | " + shapes(pl.values()) == want("list after +="));
    pl.set(0, nn::Parameter(zeros({6})));
    CHECK(shapes(pl.values()) == want("list after set 0"));
    const Tensor t = zeros({2});
    const Tensor wrapped = nn::ParameterList({t})[0];
    CHECK(std::string("Parameter ") + (wrapped.requires_grad() ? "True" : "False") + " " +
              (wrapped.data().data() == t.data().data() ? "True" : "False") ==
          want("list plain tensor"));
    const nn::Parameter p(zeros({2}));
    CHECK((nn::ParameterList({p})[0].is_same(p) ? "True" : "False") == want("list parameter kept"));
}

TEST_CASE("ParameterDict: keys in order, update, pop, clear, PyTorch's messages and repr") {
    const Fixture f("container/parameter_containers");
    const auto want = [&](const char* key) { return f.string_option(key); };
    CHECK(wb()->repr() == want("dict repr"));
    CHECK(nn::ParameterDict().repr() == want("dict repr empty"));
    NNKIT_CHECK_THROWS(wb()->at("zz"), AttributeError, want("dict missing error"));
    NNKIT_CHECK_THROWS(wb()->pop("zz"), AttributeError, want("dict pop missing error"));
    NNKIT_CHECK_THROWS(wb()->erase("zz"), KeyError, want("dict del missing error"));
    NNKIT_CHECK_THROWS(wb()->set("a.b", nn::Parameter(zeros({1}))), KeyError, want("dict dot error"));
    NNKIT_CHECK_THROWS(wb()->set("", nn::Parameter(zeros({1}))), KeyError, want("dict empty key error"));
    auto d = wb();
    const Tensor popped = d->pop("w");
    std::string keys;
    for (const auto& k : d->keys()) keys += (keys.empty() ? "" : " ") + k;
    CHECK(keys + " | " + shapes({popped}) + " | " + keys_of(*d) == want("dict after pop"));
    d = wb();
    d->update({{"c", nn::Parameter(zeros({1}))}, {"w", nn::Parameter(ones({5}))}});
    keys.clear();
    for (const auto& k : d->keys()) keys += (keys.empty() ? "" : " ") + k;
    CHECK(keys + " | " + shapes(d->values()) == want("dict after update"));
    d->clear();
    CHECK(std::to_string(d->size()) == want("dict after clear"));
}

TEST_CASE("ParameterList and ParameterDict inside a model: repr and state_dict keys as PyTorch's") {
    const Fixture f("container/parameter_containers");
    Holder h;
    CHECK(h.repr() == f.string_option("nested repr"));
    std::string keys;
    for (const auto& k : h.state_dict().keys()) keys += (keys.empty() ? "" : " ") + k;
    CHECK(keys == f.string_option("nested state_dict"));
}
