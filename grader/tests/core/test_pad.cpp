// F::pad as PyTorch 1.13's F.pad (fixture conv_pad/grid): which inputs it accepts and refuses, in
// its words, over every mode, 1 to 4 pairs of pads, inputs of every rank around the ones a mode
// takes, empty dims, fill values and pads at the sizes' edges (negative pads crop). Where 1.13
// refuses in words about its own steps, or returns memory it never wrote, the case holds the
// words nnkit says instead (nnkit_error; the list is in docs/parity.md). F::pad is core code
// around the student's pad_forward, so a core test.
#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// 1, 2, 3, ... in this shape: exact in float, so outputs and gradients compare exactly.
Array counting(const Shape& shape) {
    Array a = Array::from_shape(shape);
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = float(i + 1);
    return a;
}

Array flat(const nlohmann::json& values, const Shape& shape) {
    Array a = Array::from_shape(shape);
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = values.at(i).get<float>();
    return a;
}

// "F::pad(input (1, 1, 3, 4), {-1, 2, 0, 1}, "reflect", value 1.5)"
std::string call_of(const nlohmann::json& c) {
    std::string s = "F::pad(input (";
    for (std::size_t i = 0; i < c.at("shape").size(); ++i) s += (i ? ", " : "") + c.at("shape")[i].dump();
    s += std::string(c.at("shape").size() == 1 ? ",)" : ")") + ", {";
    for (std::size_t i = 0; i < c.at("pad").size(); ++i) s += (i ? ", " : "") + c.at("pad")[i].dump();
    s += "}, \"" + c.at("mode").get<std::string>() + "\"";
    if (c.contains("value") && !c.at("value").is_null()) s += ", value " + c.at("value").dump();
    return s + ")";
}

// Runs one case; returns what went wrong ("" when nnkit did what PyTorch did).
std::string run_case(const nlohmann::json& c) {
    const Shape shape = c.at("shape").get<Shape>();
    const auto pad = c.at("pad").get<std::vector<std::int64_t>>();
    const std::string mode = c.at("mode").get<std::string>();
    const double value = c.contains("value") && !c.at("value").is_null() ? c.at("value").get<double>() : 0.0;
    Tensor x(counting(shape), true);
    if (c.contains("error")) {
        const std::string want = c.contains("nnkit_error") ? c.at("nnkit_error").get<std::string>()
                                                           : c.at("error").get<std::string>();
        try {
            const Tensor y = F::pad(x, pad, mode, value);
            return "returned shape " + to_string(y.shape()) + "; PyTorch raises \"" + want + "\"";
        } catch (const ValueError& e) {
            if (std::string(e.what()).find(want) != std::string::npos) return "";
            return "raised \"" + std::string(e.what()) + "\"; PyTorch raises \"" + want + "\"";
        } catch (const std::exception& e) {
            return "raised " + type_name(e) + " \"" + e.what() + "\"; wanted a ValueError \"" + want + "\"";
        }
    }
    try {
        const Tensor y = F::pad(x, pad, mode, value);
        const Shape out = c.at("output_shape").get<Shape>();
        if (y.shape() != out) return "gave shape " + to_string(y.shape()) + ", PyTorch " + to_string(out);
        const auto same = compare("output", flat(c.at("output"), out), y.data(), 0, 0);
        if (!same.ok) return same.message;
        const std::string node = y.grad_fn() ? y.grad_fn()->name : "(no node)";
        if (node != c.at("node").get<std::string>()) return "recorded " + node + ", PyTorch " + c.at("node").dump();
        if (!c.contains("grad_input")) return "";  // 1.13's own backward refuses this one
        y.backward(Tensor(counting(out)));
        const auto grad = compare("input gradient", flat(c.at("grad_input"), shape), x.grad().data(), 0, 0);
        return grad.ok ? "" : grad.message;
    } catch (const std::exception& e) {
        return "raised " + type_name(e) + " \"" + e.what() + "\"; PyTorch returns shape " + c.at("output_shape").dump();
    }
}

}  // namespace

TEST_CASE("F::pad accepts and refuses what PyTorch 1.13's F.pad does, with its values, gradients, nodes and words") {
    const Fixture f("conv_pad/grid");
    const auto cases = nlohmann::json::parse(f.options_text()).at("cases");
    REQUIRE(cases.size() > 500);
    std::vector<std::string> wrong;
    for (const auto& c : cases) {
        const std::string why = run_case(c);
        if (!why.empty()) wrong.push_back(call_of(c) + ": " + why);
    }
    std::string report;
    for (std::size_t i = 0; i < wrong.size() && i < 12; ++i) report += "\n  " + wrong[i];
    INFO(wrong.size() << " of " << cases.size() << " cases differ from PyTorch's F.pad" << report);
    CHECK(wrong.empty());
}

TEST_CASE("F::pad of a 0-d tensor with no pads is its value, as F.pad(torch.tensor(3.), ()) is") {
    const Tensor x = full({}, 3.0f).requires_grad_();
    const Tensor y = F::pad(x, {});
    CHECK(y.shape() == Shape{});
    CHECK(y.item() == 3.0f);
    CHECK(y.grad_fn()->name == "ConstantPadNdBackward0");
    y.backward();
    CHECK(x.grad().item() == 1.0f);
}
