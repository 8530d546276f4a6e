// Values PyTorch holds as float32 Scalars (fixture init_error/scalar_edges): past float's range they
// are c10's error where a plain cast would be undefined, init's bounds are checked in ATen's order,
// and a NaN bound of rrelu is refused as PyTorch refuses it.
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/init.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("float32 scalars past float's range, and NaN bounds, are refused in PyTorch's words") {
    const Fixture f("init_error/scalar_edges");
    const auto o = nlohmann::json::parse(f.options_text());
    const auto x = [] { return full({2, 3}, -1.0f); };
    const double big = 1e39, inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
    namespace I = nn::init;
    const std::map<std::string, std::function<void()>> calls = {
        {"uniform_ -inf inf", [&] { I::uniform_(x(), -inf, inf); }},
        {"uniform_ 0 inf", [&] { I::uniform_(x(), 0, inf); }},
        {"uniform_ nan 1", [&] { I::uniform_(x(), nan, 1); }},
        {"uniform_ -3e38 3e38", [&] { I::uniform_(x(), -3e38, 3e38); }},
        {"xavier_uniform_ gain inf", [&] { I::xavier_uniform_(x(), inf); }},
        {"constant_ 1e39", [&] { I::constant_(x(), big); }},
        {"constant_ inf", [&] { I::constant_(x(), inf); }},
        {"leaky_relu 1e39", [&] { F::leaky_relu(x(), big); }},
        {"rrelu 1e39", [&] { F::rrelu(x(), big, 2 * big); }},
        {"rrelu nan lower", [&] { F::rrelu(x(), nan, 0.3); }},
        {"rrelu nan upper training", [&] { F::rrelu(x(), 0.1, nan, true); }},
        {"hardtanh -1e39", [&] { F::hardtanh(x(), -big, 1); }},
        {"elu 1e39", [&] { F::elu(x(), big); }},
        {"pad value 1e39", [&] { F::pad(x(), {1, 1}, "constant", big); }},
        {"PReLU init 1e39", [&] { nn::PReLU(nn::PReLUOptions().init(big)); }},
    };
    std::size_t checked = 0;
    for (const auto& [key, value] : o.items()) {
        INFO(key);
        REQUIRE(calls.count(key) == 1);
        ++checked;
        const std::string want = value.get<std::string>();
        if (want == "no error") {
            CHECK_NOTHROW(calls.at(key)());
        } else {
            NNKIT_CHECK_THROWS(calls.at(key)(), ValueError, want);
        }
    }
    CHECK(checked == calls.size());
}
