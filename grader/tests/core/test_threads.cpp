// The reference's parallel loops (OpenMP) give the results of its serial ones, and the plumbing
// under the fast kernels (threads, im2col, BLAS) refuses what it cannot honour. The graded checks
// run on one thread (nnkit-run sets OMP_NUM_THREADS=1), so the threaded paths are tested here.
#include <stdexcept>
#include <vector>

#include "check.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/kernels/blas.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/parallel.hpp"
#include "nnkit/tensor.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// Runs f with n OpenMP threads, then restores the previous count.
template <typename F>
auto with_threads(int n, F&& f) {
    const int before = parallel::max_threads();
    parallel::set_max_threads(n);
    auto result = f();
    parallel::set_max_threads(before);
    return result;
}

}  // namespace

TEST_CASE("convolution on 2 threads equals the direct kernel, for batches split into uneven chunks") {
    Generator gen(5);
    struct Case {
        Shape input, weight;
        ConvParams params;
    };
    // Batches of 1 (no chunks), 5 and 13 (uneven chunks), 16 with AlexNet's 13x13 outputs; groups.
    const Case cases[] = {
        {{1, 3, 9, 9}, {4, 3, 3, 3}, {{1}, {1}, {1}, 1, {0}}},
        {{5, 6, 14, 14}, {16, 6, 5, 5}, {{1}, {0}, {1}, 1, {0}}},
        {{13, 4, 7, 7}, {6, 2, 3, 3}, {{2}, {1}, {1}, 2, {0}}},
        {{16, 8, 13, 13}, {8, 8, 3, 3}, {{1}, {1}, {1}, 1, {0}}},
    };
    for (const auto& c : cases) {
        const auto x = random_array(c.input, gen), w = random_array(c.weight, gen);
        const xt::xarray<double> b = random_array({c.weight[0]}, gen);
        const auto direct = conv_forward_direct<double>(x, w, &b, c.params);
        const auto y = with_threads(2, [&] { return conv_forward<double>(x, w, &b, c.params); });
        const std::string name = "batch " + std::to_string(c.input[0]);
        NNKIT_CHECK_CLOSE_TOL(name + " forward", direct, y, 1e-12, 1e-12);

        const auto gy = random_array(shape_of(direct), gen);
        const auto want = conv_backward_direct<double>(gy, x, w, true, c.params);
        const auto got = with_threads(2, [&] { return conv_backward<double>(gy, x, w, true, c.params); });
        NNKIT_CHECK_CLOSE_TOL(name + " grad input", want.input, got.input, 1e-12, 1e-12);
        NNKIT_CHECK_CLOSE_TOL(name + " grad weight", want.weight, got.weight, 1e-12, 1e-12);
        NNKIT_CHECK_CLOSE_TOL(name + " grad bias", want.bias, got.bias, 1e-12, 1e-12);
    }
}

TEST_CASE("max and adaptive average pooling, and ReLU, on 2 threads equal their 1-thread results exactly") {
    Generator gen(6);
    const xt::xarray<float> x = randn({16, 64, 27, 27}, &gen).data();
    PoolParams p{{3, 3}, {2, 2}, {1, 1}, {1, 1}, true};
    const auto one = with_threads(1, [&] { return max_pool_forward<float>(x, p); });
    const auto two = with_threads(2, [&] { return max_pool_forward<float>(x, p); });
    CHECK(one.output == two.output);
    CHECK(one.indices == two.indices);
    const Shape in_shape = shape_of(x);
    const auto g1 = with_threads(1, [&] { return max_pool_backward<float>(one.output, one.indices, in_shape, p); });
    const auto g2 = with_threads(2, [&] { return max_pool_backward<float>(one.output, one.indices, in_shape, p); });
    CHECK(g1 == g2);
    const Shape six{6, 6};
    const auto a1 = with_threads(1, [&] { return adaptive_avg_pool_forward<float>(x, six); });
    const auto a2 = with_threads(2, [&] { return adaptive_avg_pool_forward<float>(x, six); });
    CHECK(a1 == a2);
    const auto ga1 = with_threads(1, [&] { return adaptive_avg_pool_backward<float>(a1, in_shape, six); });
    const auto ga2 = with_threads(2, [&] { return adaptive_avg_pool_backward<float>(a1, in_shape, six); });
    CHECK(ga1 == ga2);
    const auto r1 = with_threads(1, [&] { return relu_forward<float>(x); });
    const auto r2 = with_threads(2, [&] { return relu_forward<float>(x); });
    CHECK(r1 == r2);
    const auto b1 = with_threads(1, [&] { return relu_backward<float>(x, r1); });
    const auto b2 = with_threads(2, [&] { return relu_backward<float>(x, r1); });
    CHECK(b1 == b2);
}

TEST_CASE("the kernels' plumbing refuses arguments it cannot honour") {
    NNKIT_CHECK_THROWS(parallel::set_max_threads(0), ValueError, "n must be at least 1");
    // im2col/col2im: rows of cols closer together than prod(out) would overlap.
    ConvParams p;
    const ConvGeometry g = conv_geometry({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, p);  // 3x3 outputs: 9 a row
    std::vector<float> x(25), cols(9 * 9);
    NNKIT_CHECK_THROWS(im2col<float>(g, 1, x.data(), cols.data(), 8), ValueError, "ld (8) must be 0 or at least");
    NNKIT_CHECK_THROWS(col2im<float>(g, 1, cols.data(), x.data(), 8), ValueError, "ld (8) must be 0 or at least");
    im2col<float>(g, 1, x.data(), cols.data(), 9);  // exactly prod(out) is fine
    // blas::gemm: CBLAS sizes are int; a larger one is refused before any memory is read.
    float a = 0, b = 0, c = 0;
    NNKIT_CHECK_THROWS(blas::gemm<float>(false, false, 2, 2, std::size_t(1) << 31, 1.0f, &a, &b, 0.0f, &c),
                       std::length_error, "exceeds CBLAS's int");
}
