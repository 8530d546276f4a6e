// F::linear beyond the (out, in) weight and (out,) bias the linear unit's kernel takes, as
// PyTorch 1.13 (fixtures linear/vector_weight_*, linear/bias_*, linear/broadcast_errors): a 1-d
// weight is a matrix-vector product, and a bias addmm can expand to (rows, out) is added. Core code
// around the student's kernel, so a core test.
#include <tuple>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("F::linear with a 1-d weight or a broadcast bias: values, gradients and nodes as PyTorch's") {
    for (const char* name : {"linear/vector_weight_2d", "linear/vector_weight_3d", "linear/vector_weight_1d",
                             "linear/bias_0d", "linear/bias_one_3d", "linear/bias_full", "linear/bias_column"}) {
        const Fixture f(name);
        INFO(name);
        Tensor x(f.f32("input"), true), w(f.f32("weight"), true);
        Tensor b = f.has("bias") ? Tensor(f.f32("bias"), true) : Tensor();
        Tensor y = F::linear(x, w, b);
        CHECK((y.grad_fn() ? y.grad_fn()->name : std::string("(no node)")) == f.string_option("node"));
        y.backward(Tensor(f.f32("grad_output")));
        NNKIT_CHECK_CLOSE(std::string(name) + " output", f.f32("output"), y.data());
        NNKIT_CHECK_CLOSE(std::string(name) + " input gradient", f.f32("grad_input"), x.grad().data());
        NNKIT_CHECK_CLOSE(std::string(name) + " weight gradient", f.f32("grad_weight"), w.grad().data());
        if (b.defined()) NNKIT_CHECK_CLOSE(std::string(name) + " bias gradient", f.f32("grad_bias"), b.grad().data());
    }
}

TEST_CASE("F::linear refuses a bias with a 1-d weight and a bias addmm cannot expand, in PyTorch's words") {
    const Fixture f("linear/broadcast_errors");
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({4}), zeros({1})), ShapeError,
                       f.string_option("vector weight with bias"));
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({3, 4}), zeros({2, 3, 1})), ShapeError,
                       f.string_option("bias not expandable"));
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({3, 4}), zeros({4, 3})), ShapeError,
                       f.string_option("bias rows not expandable"));
}

namespace {

Array values_of(const nlohmann::json& values, const Shape& shape) {
    Array a = Array::from_shape(shape);
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = values.at(i).get<float>();
    return a;
}

// Whole numbers cycling as the fixture's: i % period + offset.
Array cycling(const Shape& shape, int period, int offset) {
    Array a = Array::from_shape(shape);
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = float(int(i % std::size_t(period)) + offset);
    return a;
}

// One case of linear/bias_grid; "" when nnkit did what PyTorch did.
std::string run_bias_case(const nlohmann::json& c, const Array& weight_values) {
    const Shape x_shape = c.at("input_shape").get<Shape>();
    Tensor x(cycling(x_shape, 3, -1), true), w(weight_values, true), b;
    if (!c.at("bias_shape").is_null()) b = Tensor(cycling(c.at("bias_shape").get<Shape>(), 4, -1), true);
    if (c.contains("error")) {
        const std::string want = c.at("error").get<std::string>();
        try {
            const Tensor y = F::linear(x, w, b);
            return "returned shape " + to_string(y.shape()) + "; PyTorch raises \"" + want + "\"";
        } catch (const ShapeError& e) {
            return std::string(e.what()).find(want) != std::string::npos
                       ? ""
                       : "raised \"" + std::string(e.what()) + "\"; PyTorch raises \"" + want + "\"";
        } catch (const std::exception& e) {
            return "raised " + type_name(e) + " \"" + e.what() + "\"; wanted a ShapeError \"" + want + "\"";
        }
    }
    try {
        const Tensor y = F::linear(x, w, b);
        const Shape out = c.at("output_shape").get<Shape>();
        if (y.shape() != out) return "gave shape " + to_string(y.shape()) + ", PyTorch " + to_string(out);
        const std::string node = y.grad_fn() ? y.grad_fn()->name : "(no node)";
        if (node != c.at("node").get<std::string>()) return "recorded " + node + ", PyTorch " + c.at("node").dump();
        y.backward(Tensor(cycling(out, 3, 1)));
        for (const auto& [what, want, got] :
             {std::tuple<const char*, Array, Array>{"output", values_of(c.at("output"), out), y.data()},
              {"input gradient", values_of(c.at("grad_input"), x_shape), x.grad().data()},
              {"weight gradient", values_of(c.at("grad_weight"), w.shape()), w.grad().data()}}) {
            const auto same = compare(what, want, got, 0, 0);
            if (!same.ok) return same.message;
        }
        if (b.defined()) {
            const auto same = compare("bias gradient", values_of(c.at("grad_bias"), b.shape()), b.grad().data(), 0, 0);
            if (!same.ok) return same.message;
        }
        return "";
    } catch (const std::exception& e) {
        return "raised " + type_name(e) + " \"" + e.what() + "\"; PyTorch returns shape " + c.at("output_shape").dump();
    }
}

}  // namespace

TEST_CASE("F::linear's bias on inputs of every rank: addmm's expand for 2-d and 3-d, an in-place add's broadcast "
          "otherwise, with PyTorch's values, gradients, nodes and words") {
    const Fixture f("linear/bias_grid");
    const auto o = nlohmann::json::parse(f.options_text());
    const Array weight = values_of(o.at("weight"), {3, 4});
    std::vector<std::string> wrong;
    for (const auto& c : o.at("cases")) {
        const std::string why = run_bias_case(c, weight);
        if (!why.empty()) {
            std::string b = c.at("bias_shape").is_null() ? "none" : c.at("bias_shape").dump();
            wrong.push_back("input " + c.at("input_shape").dump() + ", bias " + b + ": " + why);
        }
    }
    std::string report;
    for (std::size_t i = 0; i < wrong.size() && i < 12; ++i) report += "\n  " + wrong[i];
    INFO(wrong.size() << " of " << o.at("cases").size() << " cases differ from PyTorch's F.linear" << report);
    CHECK(wrong.empty());
}
