// Pooling sizes a careless caller passes (fixture pool_error/size_edges): a negative int (held
// wrapped in the kernels' size_t sizes) is refused as the negative number PyTorch names; an
// adaptive output no machine holds is refused before it is allocated, in ATen's words.
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// The int -n, as a caller writes it.
constexpr std::int64_t minus(std::int64_t n) { return -n; }

// D entries, all `value` but the last, which is `last`.
template <std::size_t D>
nnkit::Sizes but_last(std::int64_t value, std::int64_t last) {
    std::vector<std::int64_t> v(D, value);
    v.back() = last;
    return nnkit::Sizes(v);
}

template <std::size_t D>
std::map<std::string, std::function<void()>> calls() {
    const Tensor x = zeros([] { Shape s{1, 2}; s.resize(D + 2, 4); return s; }()).requires_grad_();
    const std::string p = std::to_string(D) + "d ";
    const std::size_t huge = std::size_t(1) << 62;
    using MaxO = nn::MaxPoolOptions<D>;
    using AvgO = nn::AvgPoolOptions<D>;
    return {
        {p + "adaptive_avg last -1", [=] { F::adaptive_avg_pool<D>(x, but_last<D>(2, minus(1))); }},
        {p + "adaptive_max last -1", [=] { F::adaptive_max_pool<D>(x, but_last<D>(2, minus(1))); }},
        {p + "adaptive_avg -3", [=] { F::adaptive_avg_pool<D>(x, minus(3)); }},
        {p + "adaptive_max -3", [=] { F::adaptive_max_pool<D>(x, minus(3)); }},
        {p + "adaptive_avg 2^62", [=] { F::adaptive_avg_pool<D>(x, huge); }},
        {p + "adaptive_max 2^62", [=] { F::adaptive_max_pool<D>(x, huge); }},
        {p + "max stride -5", [=] { F::max_pool<D>(x, MaxO(2).stride(minus(5))); }},
        {p + "avg stride -5", [=] { F::avg_pool<D>(x, AvgO(2).stride(minus(5))); }},
        {p + "max stride last -3", [=] { F::max_pool<D>(x, MaxO(2).stride(but_last<D>(1, minus(3)))); }},
        {p + "max kernel_size -1", [=] { F::max_pool<D>(x, MaxO(minus(1)).stride(1)); }},
    };
}

}  // namespace

TEST_CASE("pooling refuses negative sizes and outputs no machine holds in PyTorch's words") {
    const Fixture f("pool_error/size_edges");
    const auto o = nlohmann::json::parse(f.options_text());
    std::map<std::string, std::function<void()>> all = calls<1>();
    all.merge(calls<2>());
    all.merge(calls<3>());
    std::size_t checked = 0;
    for (const auto& [key, value] : o.items()) {
        INFO(key);
        REQUIRE(all.count(key) == 1);
        ++checked;
        NNKIT_CHECK_THROWS(all.at(key)(), ValueError, value.get<std::string>());
    }
    CHECK(checked == all.size());
}

TEST_CASE("an adaptive pooling to an empty output returns it without visiting 2^61 windows") {
    const Tensor x = zeros({1, 2, 4, 4, 4}).requires_grad_();
    const std::size_t big = std::size_t(1) << 61;  // 2 * 2^61 still fits the strides xtensor computes
    const Tensor y = F::adaptive_max_pool3d(x, nn::AdaptiveSize<3>({big, 0, 1}));
    CHECK(y.shape() == Shape{1, 2, big, 0, 1});
    sum(y).backward();
    CHECK(x.grad().shape() == x.shape());
    const Tensor z = F::adaptive_avg_pool2d(zeros({2, 4, 4}), nn::AdaptiveSize<2>({big, 0}));
    CHECK(z.shape() == Shape{2, big, 0});
}

TEST_CASE("a pooling module prints a negative size as given, as PyTorch does (its forward refuses it)") {
    const Fixture f("pooling/module_repr");
    CHECK(nn::MaxPool2d(-1).repr() == f.string_option("MaxPool2d(-1)"));
    CHECK(nn::AvgPool1d(-2).repr() == f.string_option("AvgPool1d(-2)"));
    CHECK(nn::MaxUnpool2d(nn::MaxUnpool2dOptions({2, -1})).repr() == f.string_option("MaxUnpool2d((2, -1))"));
}
