// Performance workloads for unit `pooling` (budgets in grader/perf/budgets.json).
// AlexNet's first pooling layer on a batch of 8: (8, 64, 55, 55) -> (8, 64, 27, 27).
// Each setup checks a sample of outputs against a plain loop first, so a fast
// wrong kernel earns nothing.
#include <cmath>
#include <memory>
#include <stdexcept>

#include "check.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/tensor.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

std::shared_ptr<xt::xarray<float>> alexnet_activations() {
    Generator gen(55);
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({8, 64, 55, 55}));
    for (auto& v : *x) v = static_cast<float>(gen.uniform());
    return x;
}

// The window of output (n, c, oh, ow) for kernel 3, stride 2 and the given padding, by a plain loop.
void check_sample(const xt::xarray<float>& x, const xt::xarray<float>& y, std::size_t pad, bool max) {
    if (shape_of(y) != Shape{8, 64, 27 + pad, 27 + pad} && shape_of(y) != Shape{8, 64, 27, 27})
        throw std::runtime_error("pooling: wrong output shape " + to_string(shape_of(y)));
    for (std::size_t n = 0; n < 8; n += 3)
        for (std::size_t c = 0; c < 64; c += 13)
            for (std::size_t oh = 0; oh < y.shape(2); oh += 5)
                for (std::size_t ow = 0; ow < y.shape(3); ow += 4) {
                    double best = -1e30, sum = 0;
                    for (std::size_t i = 0; i < 3; ++i)
                        for (std::size_t j = 0; j < 3; ++j) {
                            const long h = long(oh * 2 + i) - long(pad), w = long(ow * 2 + j) - long(pad);
                            if (h < 0 || w < 0 || h >= 55 || w >= 55) continue;
                            best = std::max(best, double(x(n, c, h, w)));
                            sum += x(n, c, h, w);
                        }
                    const double want = max ? best : sum / 9;
                    if (std::abs(want - y(n, c, oh, ow)) > 1e-5)
                        throw std::runtime_error("pooling: wrong values, fix correctness first");
                }
}

}  // namespace

NNKIT_PERF_CASE("max_pool2d_forward", [] {
    auto x = alexnet_activations();
    const PoolParams p{{3, 3}, {2, 2}, {0, 0}, {1, 1}, false};
    check_sample(*x, max_pool_forward<float>(*x, p).output, 0, true);
    return std::function<void()>([x, p] { (void)max_pool_forward<float>(*x, p); });
});

NNKIT_PERF_CASE("avg_pool2d_forward", [] {
    auto x = alexnet_activations();
    AvgPoolParams p;
    p.kernel_size = {3, 3};
    p.stride = {2, 2};
    p.padding = {1, 1};
    check_sample(*x, avg_pool_forward<float>(*x, p), 1, false);
    return std::function<void()>([x, p] { (void)avg_pool_forward<float>(*x, p); });
});

NNKIT_PERF_CASE("max_pool2d_backward", [] {
    auto x = alexnet_activations();
    const PoolParams p{{3, 3}, {2, 2}, {0, 0}, {1, 1}, false};
    const auto r = max_pool_forward<float>(*x, p);
    auto gy = std::make_shared<xt::xarray<float>>(xt::ones<float>(r.output.shape()));
    auto idx = std::make_shared<IndexArray>(r.indices);
    const auto gx = max_pool_backward<float>(*gy, *idx, shape_of(*x), p);
    double total = 0;
    for (float v : gx) total += v;
    if (std::abs(total - double(gy->size())) > 1e-3 * double(gy->size()))
        throw std::runtime_error("max_pool_backward: the gradients do not add up to the output's, fix correctness first");
    const Shape in_shape = shape_of(*x);
    return std::function<void()>([gy, idx, in_shape, p] { (void)max_pool_backward<float>(*gy, *idx, in_shape, p); });
});
