// Unit `pooling`: max, average and adaptive average pooling against PyTorch 1.13
// fixtures, central differences in double precision, PyTorch's errors, and the
// "max-pooled image is brighter" property.
#include <cmath>
#include <sstream>

#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/image.hpp"
#include "nnkit/kernels/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

PoolParams max_params(const Fixture& f) {
    return {f.json_shape("kernel_size"), f.json_shape("stride"), f.json_shape("padding"), f.json_shape("dilation"),
            f.bool_option("ceil_mode")};
}

AvgPoolParams avg_params(const Fixture& f) {
    AvgPoolParams p;
    p.kernel_size = f.json_shape("kernel_size");
    p.stride = f.json_shape("stride");
    p.padding = f.json_shape("padding");
    p.ceil_mode = f.bool_option("ceil_mode");
    p.count_include_pad = f.bool_option("count_include_pad");
    if (f.options_text().find("\"divisor_override\"") != std::string::npos)
        p.divisor_override = f.int_option("divisor_override");
    return p;
}

void check_max_forward(const std::string& name) {
    const Fixture f(name);
    const auto r = max_pool_forward<float>(f.f32("input"), max_params(f));
    INFO("options " << f.options_text());
    NNKIT_CHECK_CLOSE("max_pool_forward output for " + name, f.f32("output"), r.output);
    NNKIT_CHECK_CLOSE_TOL("max_pool_forward indices for " + name, f.i64("indices"), r.indices, 0, 0);
}

void check_max_backward(const std::string& name) {
    const Fixture f(name);
    const auto x = f.f32("input");
    const IndexArray idx = f.i64("indices");
    INFO("options " << f.options_text());
    NNKIT_CHECK_CLOSE("max_pool_backward for " + name, f.f32("grad_input"),
                      max_pool_backward<float>(f.f32("grad_output"), idx, shape_of(x), max_params(f)));
}

void check_avg(const std::string& name) {
    const Fixture f(name);
    const auto x = f.f32("input");
    INFO("options " << f.options_text());
    NNKIT_CHECK_CLOSE("avg_pool_forward for " + name, f.f32("output"), avg_pool_forward<float>(x, avg_params(f)));
    NNKIT_CHECK_CLOSE("avg_pool_backward for " + name, f.f32("grad_input"),
                      avg_pool_backward<float>(f.f32("grad_output"), shape_of(x), avg_params(f)));
}

void check_adaptive(const std::string& name) {
    const Fixture f(name);
    const auto x = f.f32("input");
    const Shape size = f.json_shape("output_size");
    NNKIT_CHECK_CLOSE("adaptive_avg_pool_forward for " + name, f.f32("output"),
                      adaptive_avg_pool_forward<float>(x, size));
    NNKIT_CHECK_CLOSE("adaptive_avg_pool_backward for " + name, f.f32("grad_input"),
                      adaptive_avg_pool_backward<float>(f.f32("grad_output"), shape_of(x), size));
}

// Runs the case's op on a zero input of the recorded shape; it must throw PyTorch's message.
void check_error(const std::string& name) {
    const Fixture f(name);
    INFO(f.configuration());
    const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
    const std::string op = f.string_option("op_name");
    const std::string want = f.string_option("error");
    if (op == "max_pool") {
        NNKIT_CHECK_THROWS(max_pool_forward<float>(x, max_params(f)), std::invalid_argument, want);
    } else if (op == "avg_pool") {
        NNKIT_CHECK_THROWS(avg_pool_forward<float>(x, avg_params(f)), std::invalid_argument, want);
    } else {
        NNKIT_CHECK_THROWS(adaptive_avg_pool_forward<float>(x, f.json_shape("output_size")), std::invalid_argument,
                           want);
    }
}

}  // namespace

// ---------------------------------------------------------------- max pooling

NNKIT_TEST("max_pool_forward matches PyTorch on the 1..16 grid: indices [[5, 7], [13, 15]]", 1, "output",
           "max-pooling") {
    check_max_forward("max_pool/hand_1_to_16");
}

NNKIT_TEST("max_pool_forward 2-D, kernel 2 and AlexNet's kernel 3 stride 2", 2, "output", "max-pooling") {
    for (const char* c : {"max_pool/2d_k2", "max_pool/2d_k3_s2", "max_pool/2d_unbatched"}) check_max_forward(c);
}

NNKIT_TEST("max_pool_forward with ceil_mode: 5x5 k3 s3 p1 -> 2x2 and 5x5 k2 s2 -> 3x3", 2, "output", "output-size") {
    for (const char* c : {"max_pool/2d_k3_s3_p1_ceil", "max_pool/2d_k2_s2_ceil"}) check_max_forward(c);
}

NNKIT_TEST("max_pool_forward never picks padding, with padding, dilation and overlapping windows", 2, "output",
           "max-pooling") {
    for (const char* c : {"max_pool/2d_overlap_p1", "max_pool/2d_dilation", "max_pool/2d_k3_s2_dilation2",
                          "max_pool/2d_all_minus_inf"})
        check_max_forward(c);
}

NNKIT_TEST("max_pool_forward 1-D and 3-D, with padding, dilation and ceil_mode", 2, "output", "max-pooling") {
    for (const char* c : {"max_pool/1d", "max_pool/1d_pad_dilation_ceil", "max_pool/3d", "max_pool/3d_unbatched"})
        check_max_forward(c);
}

NNKIT_TEST("max_pool_forward breaks ties with the first maximum in row-major order", 2, "output", "max-pooling") {
    for (const char* c : {"max_pool/1d_ties", "max_pool/2d_ties", "max_pool/3d_ties", "max_pool/2d_k2_ties_batch8",
                          "max_pool/2d_k2_ties_odd", "max_pool/3d_k122_ties", "max_pool/2d_k3_s2_ties_batch4"})
        check_max_forward(c);
}

NNKIT_TEST("max_pool_forward propagates NaN and keeps the index of the window's last NaN", 1, "output",
           "max-pooling") {
    for (const char* c : {"max_pool/2d_nan", "max_pool/2d_nan_k3_s2", "max_pool/2d_nan_pad_dilation"})
        check_max_forward(c);
}

NNKIT_TEST("max_pool_forward keeps NaN in 1-D and 3-D windows cut by the padding", 1, "output", "max-pooling") {
    for (const char* c : {"max_pool/1d_nan_border", "max_pool/3d_nan_border"}) check_max_forward(c);
}

NNKIT_TEST("max pooling of an empty batch (N = 0), 1-D to 3-D: an empty output and gradient of the right shape", 1,
           "output", "max-pooling") {
    for (const char* c : {"max_pool/1d_batch0", "max_pool/2d_batch0", "max_pool/3d_batch0"}) {
        check_max_forward(c);
        check_max_backward(c);
    }
}

NNKIT_TEST("max_pool_backward sends each gradient to its argmax, adding where windows overlap", 2, "gradient",
           "max-pooling") {
    for (const char* c : {"max_pool/hand_1_to_16", "max_pool/2d_k3_s2", "max_pool/2d_overlap_p1",
                          "max_pool/2d_dilation", "max_pool/2d_ties", "max_pool/2d_unbatched",
                          "max_pool/2d_k2_ties_batch8", "max_pool/2d_k2_ties_odd", "max_pool/2d_nan",
                          "max_pool/2d_nan_k3_s2", "max_pool/2d_nan_pad_dilation", "max_pool/2d_k3_s2_ties_batch4"})
        check_max_backward(c);
}

NNKIT_TEST("max_pool_backward in 1-D and 3-D", 1, "gradient", "max-pooling") {
    for (const char* c : {"max_pool/1d_pad_dilation_ceil", "max_pool/3d", "max_pool/3d_unbatched",
                          "max_pool/3d_ties", "max_pool/3d_k122_ties", "max_pool/1d_nan_border", "max_pool/3d_nan_border"})
        check_max_backward(c);
}

NNKIT_TEST("max pooling agrees with central differences on random configurations (double)", 2, "gradient",
           "max-pooling") {
    Generator gen(404);
    const std::vector<std::pair<Shape, PoolParams>> configs = {
        {{2, 2, 6, 7}, {{3, 2}, {2, 2}, {1, 0}, {1, 1}, true}},
        {{1, 3, 9}, {{3}, {2}, {1}, {2}, false}},
        {{1, 1, 4, 5, 4}, {{2, 3, 2}, {2, 1, 2}, {1, 1, 0}, {1, 1, 1}, true}},
    };
    for (const auto& [shape, p] : configs) {
        // Distinct values well apart, so that a step of eps never changes the argmax.
        DArray x = DArray::from_shape(shape);
        for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = double((i * 7919) % x.size()) / double(x.size());
        const auto fwd = [p = p](const std::vector<DArray>& a) { return max_pool_forward<double>(a[0], p).output; };
        const auto bwd = [p = p](const std::vector<DArray>& a, const DArray& gy) {
            const auto r = max_pool_forward<double>(a[0], p);
            return std::vector<DArray>{max_pool_backward<double>(gy, r.indices, shape_of(a[0]), p)};
        };
        INFO("input shape " << to_string(shape));
        gradcheck("max_pool_backward", fwd, bwd, {x}, {"input"}, gen);
    }
}

// ---------------------------------------------------------------- average pooling

NNKIT_TEST("avg_pool on ones 4x4 k3 s1 p1: corner 4/9 with padding counted, 1.0 without", 1, "output",
           "average-pooling") {
    for (const char* c : {"avg_pool/2d_ones_k3_p1", "avg_pool/2d_ones_k3_p1_exclude"}) check_avg(c);
}

NNKIT_TEST("avg_pool matches PyTorch in 2-D with and without count_include_pad", 2, "output", "average-pooling") {
    for (const char* c : {"avg_pool/2d_k2", "avg_pool/2d_pad_include", "avg_pool/2d_pad_exclude",
                          "avg_pool/2d_unbatched"})
        check_avg(c);
}

NNKIT_TEST("avg_pool with ceil_mode does not count the overhang past the padding", 2, "output", "average-pooling") {
    for (const char* c : {"avg_pool/1d_ceil_overhang", "avg_pool/2d_ceil_include", "avg_pool/2d_ceil_exclude",
                          "avg_pool/2d_ceil_no_pad"})
        check_avg(c);
}

NNKIT_TEST("avg_pool with divisor_override divides by it", 1, "output", "average-pooling") {
    for (const char* c : {"avg_pool/2d_divisor", "avg_pool/3d_exclude_divisor"}) check_avg(c);
}

NNKIT_TEST("avg_pool in 1-D and 3-D", 1, "output", "average-pooling") {
    for (const char* c : {"avg_pool/1d", "avg_pool/3d"}) check_avg(c);
}

NNKIT_TEST("avg_pool in 3-D counts without the padding and without the ceil_mode overhang, batched and unbatched", 1,
           "output", "average-pooling") {
    for (const char* c : {"avg_pool/3d_exclude_ceil", "avg_pool/3d_include_ceil", "avg_pool/3d_unbatched_exclude"})
        check_avg(c);
}

NNKIT_TEST("average pooling of an empty batch (N = 0), 1-D to 3-D", 1, "output", "average-pooling") {
    for (const char* c : {"avg_pool/1d_batch0", "avg_pool/2d_batch0", "avg_pool/3d_batch0"}) check_avg(c);
}

NNKIT_TEST("average pooling agrees with central differences on random configurations (double)", 2, "gradient",
           "average-pooling") {
    Generator gen(405);
    AvgPoolParams a;
    a.kernel_size = {3, 2};
    a.stride = {2, 1};
    a.padding = {1, 1};
    a.ceil_mode = true;
    AvgPoolParams b = a;
    b.count_include_pad = false;
    AvgPoolParams c;
    c.kernel_size = {2, 2, 3};
    c.stride = {1, 2, 2};
    c.padding = {1, 0, 1};
    c.divisor_override = 4;
    for (const auto& [shape, p] : std::vector<std::pair<Shape, AvgPoolParams>>{
             {{2, 2, 5, 6}, a}, {{2, 5, 4}, b}, {{1, 1, 3, 4, 5}, c}}) {
        const auto fwd = [p = p](const std::vector<DArray>& in) { return avg_pool_forward<double>(in[0], p); };
        const auto bwd = [p = p](const std::vector<DArray>& in, const DArray& gy) {
            return std::vector<DArray>{avg_pool_backward<double>(gy, shape_of(in[0]), p)};
        };
        INFO("input shape " << to_string(shape));
        gradcheck("avg_pool_backward", fwd, bwd, {random_array(shape, gen)}, {"input"}, gen);
    }
}

// ---------------------------------------------------------------- adaptive average pooling

NNKIT_TEST("adaptive_avg_pool 5 -> 3 on 0..4 gives [0.5, 2, 3.5]", 1, "output", "adaptive-average-pooling") {
    check_adaptive("adaptive_avg_pool/hand_5_to_3");
}

NNKIT_TEST("adaptive_avg_pool down to AlexNet's 6x6, up-sampling, unbatched, identity, 1-D and 3-D", 2, "output",
           "adaptive-average-pooling") {
    for (const char* c : {"adaptive_avg_pool/down_13_to_6", "adaptive_avg_pool/up_3x4_to_5x7",
                          "adaptive_avg_pool/unbatched", "adaptive_avg_pool/identity", "adaptive_avg_pool/1d_7_to_3",
                          "adaptive_avg_pool/3d_unbatched"})
        check_adaptive(c);
}

NNKIT_TEST("adaptive_avg_pool 1-D unbatched, 3-D batched, and empty batches", 1, "output",
           "adaptive-average-pooling") {
    for (const char* c : {"adaptive_avg_pool/1d_unbatched_9_to_4", "adaptive_avg_pool/3d_batched",
                          "adaptive_avg_pool/2d_batch0", "adaptive_avg_pool/1d_unbatched_empty_channels",
                          "adaptive_avg_pool/3d_batch0"})
        check_adaptive(c);
}

// ---------------------------------------------------------------- errors

NNKIT_TEST("pooling rejects stride 0 and padding above kernel/2 with PyTorch's messages", 1, "error",
           "output-size") {
    for (const char* c : {"pool_error/max2d_stride_zero", "pool_error/max2d_pad_too_big", "pool_error/max3d_pad_too_big",
                          "pool_error/max1d_stride_zero", "pool_error/avg2d_pad_too_big", "pool_error/avg1d_stride_zero"})
        check_error(c);
}

NNKIT_TEST("pooling rejects a negative stride or kernel size (an int below 0, held wrapped) in PyTorch's words", 1,
           "error", "output-size") {
    for (const char* c : {"pool_error/max2d_stride_negative", "pool_error/max1d_stride_negative",
                          "pool_error/avg3d_stride_negative", "pool_error/max3d_kernel_negative"})
        check_error(c);
}

NNKIT_TEST("pooling rejects an output smaller than 1 with PyTorch's message", 1, "error", "output-size") {
    for (const char* c : {"pool_error/max2d_output_too_small", "pool_error/max3d_output_too_small",
                          "pool_error/max1d_output_too_small", "pool_error/avg2d_output_too_small",
                          "pool_error/avg1d_output_too_small", "pool_error/avg3d_output_too_small",
                          "pool_error/avg3d_input_smaller_than_kernel", "pool_error/avg3d_input_smaller_in_height",
                          "pool_error/avg3d_input_smaller_in_width"})
        check_error(c);
}

NNKIT_TEST("max pooling rejects zero kernel sizes and dilations with PyTorch's messages", 1, "error", "max-pooling") {
    for (const char* c : {"pool_error/max2d_kernel_zero", "pool_error/max2d_dilation_zero",
                          "pool_error/max3d_kernel_zero", "pool_error/max3d_dilation_zero",
                          "pool_error/max3d_dilation_zero_depth",
                          "pool_error/max1d_dilation_zero"})
        check_error(c);
}

NNKIT_TEST("pooling rejects inputs of the wrong rank or with empty channels", 1, "error", "max-pooling") {
    for (const char* c : {"pool_error/max2d_wrong_dims", "pool_error/max2d_empty_channels", "pool_error/max3d_wrong_dims",
                          "pool_error/max3d_empty_channels", "pool_error/max1d_wrong_dims",
                          "pool_error/adaptive_wrong_dims"})
        check_error(c);
}

NNKIT_TEST("pooling rejects one rank too many and an empty spatial dimension, in 1-D, 2-D and 3-D, max and avg", 1,
           "error", "max-pooling") {
    for (const char* c : {"pool_error/max2d_rank5", "pool_error/avg2d_rank5", "pool_error/max2d_empty_height",
                          "pool_error/avg2d_empty_channels", "pool_error/max1d_empty_channels",
                          "pool_error/max3d_empty_width", "pool_error/avg3d_empty_width", "pool_error/avg1d_wrong_dims"})
        check_error(c);
}

NNKIT_TEST("adaptive_avg_pool rejects a wrong rank in 1-D and 3-D and an empty spatial dimension", 1, "error",
           "adaptive-average-pooling") {
    for (const char* c : {"pool_error/adaptive1d_wrong_dims", "pool_error/adaptive3d_wrong_dims",
                          "pool_error/adaptive2d_empty_height"})
        check_error(c);
}

NNKIT_TEST("avg_pool rejects divisor_override 0", 1, "error", "average-pooling") {
    check_error("pool_error/avg2d_divisor_zero");
}

NNKIT_TEST("avg_pool checks divisor_override 0 before anything else", 1, "error", "average-pooling") {
    check_error("pool_error/avg2d_divisor_zero_first");
}

NNKIT_TEST("pooling rejects a zero kernel size in average pooling and in 1-D max pooling", 1, "error",
           "average-pooling") {
    for (const char* c : {"pool_error/avg2d_kernel_zero", "pool_error/avg1d_kernel_zero", "pool_error/avg3d_kernel_zero",
                          "pool_error/max1d_kernel_zero"})
        check_error(c);
}

NNKIT_TEST("pooling rejects a stride of 0 or too much padding in one dimension only", 1, "error", "output-size") {
    for (const char* c : {"pool_error/max2d_stride_zero_in_width", "pool_error/max3d_stride_zero_in_height",
                          "pool_error/max3d_pad_too_big_in_height", "pool_error/avg3d_stride_zero_in_width"})
        check_error(c);
}

NNKIT_TEST("pooling rejects unbatched inputs without channels, and one rank too many in 1-D and 3-D", 1, "error",
           "max-pooling") {
    for (const char* c : {"pool_error/max2d_unbatched_empty_channels", "pool_error/max3d_unbatched_empty_channels",
                          "pool_error/max1d_unbatched_empty_channels", "pool_error/avg1d_unbatched_empty_channels",
                          "pool_error/avg2d_unbatched_empty_channels", "pool_error/avg3d_unbatched_empty_channels",
                          "pool_error/max1d_rank4", "pool_error/max3d_rank6", "pool_error/avg1d_rank4",
                          "pool_error/avg3d_rank6"})
        check_error(c);
}

NNKIT_TEST("adaptive_avg_pool rejects an empty length in 1-D and an empty height or channel dimension in 3-D", 1,
           "error", "adaptive-average-pooling") {
    for (const char* c : {"pool_error/adaptive1d_empty_length", "pool_error/adaptive3d_empty_height",
                          "pool_error/adaptive3d_empty_channels"})
        check_error(c);
}

// ---------------------------------------------------------------- properties

NNKIT_TEST("a max-pooled photograph is brighter than an average-pooled one (mean of max >= mean of avg)", 1,
           "property", "max-pooling") {
    const Tensor image = load_image(datasets_dir() + "/images/astronaut.png");
    for (std::size_t k : {2, 4, 8}) {
        const PoolParams mp{{k, k}, {k, k}, {0, 0}, {1, 1}, false};
        AvgPoolParams ap;
        ap.kernel_size = ap.stride = {k, k};
        ap.padding = {0, 0};
        const auto mx = max_pool_forward<float>(image.data(), mp).output;
        const auto av = avg_pool_forward<float>(image.data(), ap);
        const double max_mean = xt::mean(mx)(), avg_mean = xt::mean(av)();
        INFO("kernel " << k << ": mean of max pooling " << max_mean << ", of average pooling " << avg_mean);
        CHECK(max_mean >= avg_mean);
        CHECK(max_mean > avg_mean + 0.01);  // strictly: a photograph is not flat
        // Pooling with equal kernel and stride covers every pixel once: the average is preserved.
        const std::size_t h = image.size(1) / k * k, w = image.size(2) / k * k;
        CHECK(avg_mean == Approx(double(xt::mean(xt::view(image.data(), xt::all(), xt::range(0, h), xt::range(0, w)))()))
                              .epsilon(1e-4));
    }
}

// ---------------------------------------------------------------- random sweeps
// 40 seeded random configurations per kind (datasets/cases/pooling.py, sweep): every option
// drawn at once, 1-D to 3-D, unbatched and batched up to 64.

namespace {
std::vector<std::string> sweep_cases(const std::string& op) {
    std::vector<std::string> out;
    std::istringstream in(Fixture(op + "/sweep_index").string_option("cases"));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}
}  // namespace

NNKIT_TEST("max_pool_forward matches PyTorch on 40 random configurations: every option at once, 1-D to 3-D, "
           "batch up to 64",
           2, "output", "max-pooling") {
    for (const auto& c : sweep_cases("max_pool")) check_max_forward(c);
}

NNKIT_TEST("max_pool_backward matches PyTorch on 40 random configurations", 2, "gradient", "max-pooling") {
    for (const auto& c : sweep_cases("max_pool")) check_max_backward(c);
}

NNKIT_TEST("avg_pool forward and backward match PyTorch on 40 random configurations: padding, ceil_mode, "
           "count_include_pad and divisor_override together",
           3, "output", "average-pooling") {
    for (const auto& c : sweep_cases("avg_pool")) check_avg(c);
}
