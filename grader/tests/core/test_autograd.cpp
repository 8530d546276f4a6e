// Maintainers' tests of saved tensors: the backward pass shares the arrays it needs with the
// tensors (no copies) and refuses, in PyTorch's words, values an in-place op changed since.
#include <functional>
#include <string>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

Tensor leaf() { return Tensor(Array{{-1.0f, 2.0f, 0.5f}, {3.0f, -0.25f, 1.0f}}, true); }
Tensor times_one(const Tensor& t) { return mul(t, Tensor(xt::ones<float>(t.data().shape()))); }

// The message backward raises, or "no error".
std::string backward_error(const std::function<Tensor()>& make_loss) {
    try {
        make_loss().backward();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

void check_error(const char* name, const std::function<Tensor()>& make_loss) {
    const std::string want = Fixture(std::string("autograd/inplace_") + name).string_option("error");
    INFO(name);
    CHECK(backward_error(make_loss) == want);
}

}  // namespace

TEST_CASE("an in-place op raises the version of a tensor and of its detach()ed views") {
    Tensor h = times_one(leaf());
    const Tensor view = h.detach();
    CHECK(h.version() == 0);
    F::relu(h, true);
    CHECK(h.version() == 1);
    CHECK(view.version() == 1);
    F::leaky_relu(view, 0.1, true);
    CHECK(h.version() == 2);
    F::relu(h);  // out of place: no write
    CHECK(h.version() == 2);
}

TEST_CASE("a saved tensor changed in place stops the backward with PyTorch's message") {
    check_error("relu_output", [] {
        Tensor y = F::relu(times_one(leaf()));
        F::relu(y, true);
        return sum(y);
    });
    Tensor w(xt::ones<float>({4, 3}), true);
    check_error("linear_input", [&] {
        Tensor h = times_one(leaf());
        Tensor y = F::linear(h, w);
        F::relu(h, true);  // h is ReluBackward0's output now
        return sum(y);
    });
    check_error("plain_input", [&] {
        Tensor h(xt::ones<float>({2, 3}));  // no history: no node named
        Tensor y = F::linear(h, w);
        F::relu(h, true);
        return sum(y);
    });
    check_error("sigmoid_output", [] {
        Tensor y = F::sigmoid(times_one(leaf()));
        F::relu(y, true);
        return sum(y);
    });
    check_error("leaky_inplace_twice", [] {
        Tensor y = F::leaky_relu(times_one(leaf()), 0.1, true);  // version 1, saved by its own node
        F::relu(y, true);                                          // version 2
        return sum(y);
    });
    check_error("conv_input", [] {
        Tensor x(xt::ones<float>({1, 2, 5, 5}), true);
        Tensor h = times_one(x);
        Tensor y = F::conv2d(h, Tensor(xt::ones<float>({3, 2, 3, 3}), true));
        F::dropout(h, 0.5, true, true);
        return sum(y);
    });
    check_error("log_softmax_output", [] {
        Tensor y = F::log_softmax(times_one(leaf()), 1);
        F::relu(y, true);
        return sum(y);
    });
}

TEST_CASE("an in-place op on what the backward did not keep changes no gradient") {
    const Labels target = {0, 2};
    const std::pair<const char*, std::function<Tensor(const Tensor&)>> cases[] = {
        {"sum_input", [](const Tensor& h) { return sum(h); }},  // the gradient skips the later relu_
        {"relu_input", [](const Tensor& h) { return sum(F::relu(h)); }},  // ReLU keeps its output
        {"dropout_input", [](const Tensor& h) { return sum(F::dropout(h, 0.0, true)); }},
        {"cross_entropy_input", [&](const Tensor& h) { return F::cross_entropy(h, target); }},
    };
    for (const auto& [name, make] : cases) {
        const Fixture f(std::string("autograd/inplace_allowed_") + name);
        Tensor x(f.f32("input"), true);
        Tensor h = times_one(x);
        Tensor loss = make(h);
        F::relu(h, true);
        loss.backward();
        NNKIT_CHECK_CLOSE(name, f.f32("grad_input"), x.grad().data());
    }
}

TEST_CASE("rrelu_ in place refuses a negative slope in eval mode only, and names its nodes as PyTorch does") {
    // Eval mode: the backward is leaky_relu's on the output, which a negative slope made useless.
    check_error("rrelu_eval_negative", [] { return sum(F::rrelu(times_one(leaf()), -0.5, -0.1, false, true)); });
    // Training: the drawn slopes are the gradient, negative ones (and lower == upper) included.
    for (const auto& [lower, upper] : {std::pair{-0.5, -0.1}, std::pair{-0.2, -0.2}}) {
        INFO("training, lower " << lower << ", upper " << upper);
        CHECK(backward_error([lower = lower, upper = upper] {
                  return sum(F::rrelu(times_one(leaf()), lower, upper, true, true));
              }) == "no error");
    }
    const Fixture f("autograd/rrelu_node_names");
    for (const bool training : {true, false})
        for (const bool inplace : {true, false}) {
            const std::string key = std::string(training ? "train" : "eval") + (inplace ? "_inplace" : "_out_of_place");
            INFO(key);
            const Tensor y = F::rrelu(times_one(leaf()), 0.1, 0.3, training, inplace);
            CHECK(y.grad_fn()->name == f.string_option(key));
        }
}

TEST_CASE("a second backward through a graph raises PyTorch's error unless the first retained it") {
    // What the first pass ran is freed: the second one stops at the loss's own node.
    const std::string want = Fixture("autograd/second_backward").string_option("error");
    CHECK(backward_error([] {
              Tensor loss = F::cross_entropy(F::linear(leaf(), Tensor(xt::ones<float>({4, 3}), true)), Labels{0, 3});
              loss.backward();
              return loss;  // backward_error runs the second pass
          }) == want);
    const Fixture f("autograd/retain_graph");
    Tensor x(f.f32("input"), true);
    const Tensor loss = F::cross_entropy(F::relu(mul(x, Tensor(xt::full_like(f.f32("input"), 2.0f)))), Labels{0, 2});
    loss.backward(Tensor(), /*retain_graph=*/true);
    NNKIT_CHECK_CLOSE("the gradient after the first pass", f.f32("grad_once"), x.grad().data());
    loss.backward();  // retained: it runs again and adds the same gradient
    NNKIT_CHECK_CLOSE("the gradient after the second pass", f.f32("grad_twice"), x.grad().data());
    CHECK(backward_error([&] { return loss; }) == want);
}

TEST_CASE("a graph whose nodes saved no tensor (additions, sums) runs backward twice, as in PyTorch") {
    const Fixture f("autograd/sum_twice");
    Tensor x(f.f32("input"), true);
    const Tensor s = sum(add(x, x));
    s.backward();
    s.backward();
    NNKIT_CHECK_CLOSE("the gradient after two passes", f.f32("grad_twice"), x.grad().data());
}

TEST_CASE("a backward frees what the graph saved: the arrays are no longer held by it") {
    Tensor x(xt::ones<float>({1000}), true);
    Tensor h = times_one(x);
    Tensor y = F::relu(h);  // ReluBackward0 shares y's array
    const Tensor loss = sum(y);
    const std::weak_ptr<const Array> saved = y.impl()->data;
    y = Tensor();
    loss.backward();
    CHECK(saved.expired());  // ReluBackward0's closure, and its SavedArray, are gone
}

TEST_CASE("rrelu keeps its input for the version check: changed in place, the backward stops") {
    check_error("rrelu_input", [] {
        Tensor h = times_one(leaf());
        Tensor y = F::rrelu(h, 0.1, 0.3, true, false);
        F::relu(h, true);
        return sum(y);
    });
}

TEST_CASE("dropout with nothing to drop gives back its input, with no node; otherwise MulBackward0") {
    const Fixture f("autograd/dropout_names");
    const Tensor x = leaf();
    CHECK(F::dropout(x, 0.0, true).is_same(x) == f.bool_option("p0_is_input"));
    CHECK(F::dropout(x, 0.5, true).grad_fn()->name == f.string_option("train"));
    CHECK(F::dropout(x, 1.0, true).grad_fn()->name == f.string_option("train_p1"));
    CHECK(F::dropout(times_one(x), 0.5, true, true).grad_fn()->name == f.string_option("inplace"));
    const Tensor s = sum(F::dropout(x, 0.0, true));
    s.backward();
    s.backward();  // SumBackward0 alone: it runs again, as in PyTorch
    const bool twice = x.grad().data() == xt::full_like(x.data(), 2.0f);  // d sum(x)/dx = 1, twice
    CHECK(twice);
}
