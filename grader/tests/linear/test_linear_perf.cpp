// Performance workload for linear_backward (budget in grader/perf/budgets.json):
// the batch of linear_forward's case, (64, 512) -> (64, 256), backward.
#include <cmath>
#include <memory>
#include <stdexcept>

#include "check.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/tensor.hpp"

using namespace nnkit;
using namespace nnkit::grading;

NNKIT_PERF_CASE("linear_backward", [] {
    Generator gen(8);
    const std::size_t M = 64, in = 512, out = 256;
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({M, in}));
    auto w = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({out, in}));
    auto gy = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({M, out}));
    for (auto* a : {x.get(), w.get(), gy.get()})
        for (auto& v : *a) v = static_cast<float>(gen.uniform() - 0.5);
    const auto g = linear_backward<float>(*gy, *x, *w, true);
    for (std::size_t o = 0; o < out; o += 17)
        for (std::size_t i = 0; i < in; i += 29) {
            double s = 0;
            for (std::size_t m = 0; m < M; ++m) s += double((*gy)(m, o)) * double((*x)(m, i));
            if (std::abs(s - g.weight(o, i)) > 1e-3) throw std::runtime_error("linear_backward: wrong weight gradient");
        }
    return std::function<void()>([x, w, gy] { (void)linear_backward<float>(*gy, *x, *w, true); });
});
