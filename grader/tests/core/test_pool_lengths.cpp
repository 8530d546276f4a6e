// Pooling sizes of the wrong length (fixture pool_error/tuple_lengths): each F:: pooling refuses
// them in its own PyTorch words, kernel_size before stride before padding before dilation, and
// takes what PyTorch takes (a 1-tuple for every 2-d and 3-d size, an empty stride as omitted). The
// checks are core code around the student's kernels, so a core test.
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

nnkit::Sizes sizes(std::size_t n, std::int64_t value) { return nnkit::Sizes(std::vector<std::int64_t>(n, value)); }

// The calls the fixture names "<D>d <op> <arg> <n>", as the generator makes them.
template <std::size_t D>
std::map<std::string, std::function<void()>> calls(std::size_t n) {
    const Tensor x = zeros(Shape(D + 2, 4)).requires_grad_();
    const IndexArray idx = xt::zeros<long long>(std::vector<std::size_t>(D + 2, 4));
    const std::string p = std::to_string(D) + "d ", m = " " + std::to_string(n);
    using MaxO = nn::MaxPoolOptions<D>;
    using AvgO = nn::AvgPoolOptions<D>;
    using UnO = nn::MaxUnpoolOptions<D>;
    return {
        {p + "max kernel_size" + m, [=] { F::max_pool<D>(x, MaxO(sizes(n, 2))); }},
        {p + "max stride" + m, [=] { F::max_pool<D>(x, MaxO(2).stride(sizes(n, 2))); }},
        {p + "max padding" + m, [=] { F::max_pool<D>(x, MaxO(2).stride(2).padding(sizes(n, 0))); }},
        {p + "max dilation" + m, [=] { F::max_pool<D>(x, MaxO(2).stride(2).dilation(sizes(n, 1))); }},
        {p + "avg kernel_size" + m, [=] { F::avg_pool<D>(x, AvgO(sizes(n, 2))); }},
        {p + "avg stride" + m, [=] { F::avg_pool<D>(x, AvgO(2).stride(sizes(n, 2))); }},
        {p + "avg padding" + m, [=] { F::avg_pool<D>(x, AvgO(2).stride(2).padding(sizes(n, 0))); }},
        {p + "adaptive_avg output_size" + m, [=] { F::adaptive_avg_pool<D>(x, sizes(n, 2)); }},
        {p + "adaptive_max output_size" + m, [=] { F::adaptive_max_pool<D>(x, sizes(n, 2)); }},
        {p + "unpool kernel_size" + m, [=] { F::max_unpool<D>(x, idx, UnO(sizes(n, 2))); }},
        {p + "unpool stride" + m, [=] { F::max_unpool<D>(x, idx, UnO(2).stride(sizes(n, 2))); }},
        {p + "unpool padding" + m, [=] { F::max_unpool<D>(x, idx, UnO(2).stride(2).padding(sizes(n, 0))); }},
    };
}

}  // namespace

TEST_CASE("pooling sizes of the wrong length are refused in each function's PyTorch words, a 1-tuple taken where "
          "PyTorch takes one") {
    const Fixture f("pool_error/tuple_lengths");
    const auto o = nlohmann::json::parse(f.options_text());
    std::map<std::string, std::function<void()>> all;
    for (std::size_t n = 0; n <= 4; ++n) {
        all.merge(calls<1>(n));
        all.merge(calls<2>(n));
        all.merge(calls<3>(n));
    }
    std::size_t checked = 0;
    for (const auto& [key, value] : o.items()) {
        INFO(key);
        REQUIRE(all.count(key) == 1);
        const std::string want = value.get<std::string>();
        ++checked;
        if (want == "no error") {
            CHECK_NOTHROW(all.at(key)());
        } else {
            NNKIT_CHECK_THROWS(all.at(key)(), ValueError, want);
        }
    }
    CHECK(checked > 60);
}
