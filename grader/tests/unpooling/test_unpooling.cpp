// Unit `unpooling`: max unpooling against PyTorch 1.13 fixtures, central
// differences, and PyTorch's checks on indices and output_size.
#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

bool has_option(const Fixture& f, const std::string& key) {
    return f.options_text().find("\"" + key + "\"") != std::string::npos;
}

Shape size_of(const Fixture& f, const Shape& input_shape) {
    std::optional<Shape> given;
    if (has_option(f, "output_size")) given = f.json_shape("output_size");
    return unpool_output_size(input_shape, f.json_shape("kernel_size"), f.json_shape("stride"),
                              f.json_shape("padding"), given);
}

void check_case(const std::string& name, bool backward = true) {
    const Fixture f(name);
    const auto x = f.f32("input");
    const IndexArray idx = f.i64("indices");
    INFO("options " << f.options_text());
    const Shape size = size_of(f, shape_of(x));
    NNKIT_CHECK_CLOSE("max_unpool_forward for " + name, f.f32("output"), max_unpool_forward<float>(x, idx, size));
    if (backward)
        NNKIT_CHECK_CLOSE("max_unpool_backward for " + name, f.f32("grad_input"),
                          max_unpool_backward<float>(f.f32("grad_output"), idx, size));
}

void check_error(const std::string& name) {
    const Fixture f(name);
    INFO(f.configuration());
    const Shape input_shape = f.json_shape("input_shape");
    const std::string want = f.string_option("error");
    if (f.has("indices")) {
        const xt::xarray<float> x = xt::ones<float>(input_shape);
        const IndexArray idx = f.i64("indices");
        NNKIT_CHECK_THROWS(max_unpool_forward<float>(x, idx, size_of(f, input_shape)), std::logic_error, want);
    } else {
        NNKIT_CHECK_THROWS(size_of(f, input_shape), ValueError, want);
    }
}

}  // namespace

NNKIT_TEST("unpool_output_size and max_unpool re-read flat indices in the output's plane (5x5, PyTorch)", 1,
           "output", "max-unpooling") {
    check_case("max_unpool/hand_1_to_16_into_5x5", false);
}

NNKIT_TEST("max_unpool matches PyTorch in 2-D at the default size and with output_size", 2, "output",
           "max-unpooling") {
    for (const char* c : {"max_unpool/2d_k2", "max_unpool/2d_output_size", "max_unpool/2d_output_size_nchw",
                          "max_unpool/2d_unbatched"})
        check_case(c);
}

NNKIT_TEST("max_unpool with overlapping windows, and in 1-D and 3-D", 2, "output", "max-unpooling") {
    for (const char* c : {"max_unpool/2d_k3_s2_p1", "max_unpool/1d", "max_unpool/1d_unbatched", "max_unpool/3d"})
        check_case(c);
}

NNKIT_TEST("max_unpool with an output_size of D + 2 entries in 1-D and 3-D, and a 3-D unbatched input", 1, "output",
           "max-unpooling") {
    for (const char* c : {"max_unpool/1d_output_size_ncl", "max_unpool/3d_output_size_ncdhw", "max_unpool/3d_unbatched"})
        check_case(c);
}

NNKIT_TEST("max_unpool: an index written by several inputs keeps the last one's value, and the backward gathers for all",
           1, "output", "max-unpooling") {
    check_case("max_unpool/repeated_index_distinct_values");
}

NNKIT_TEST("max_unpool_backward gathers the gradient at the indices (double, central differences)", 1, "gradient",
           "max-unpooling") {
    Generator gen(77);
    // Windows that do not overlap, so no index repeats: where one does, the forward keeps only
    // the last write, yet PyTorch's backward (and yours) still gathers for every input.
    const PoolParams p{{2, 3}, {2, 3}, {0, 1}, {1, 1}, false};
    DArray pooled_from = random_array({2, 2, 6, 7}, gen);
    const auto r = max_pool_forward<double>(pooled_from, p);
    const Shape size = unpool_output_size(shape_of(r.output), {2, 3}, {2, 3}, {0, 1}, std::nullopt);
    const IndexArray idx = r.indices;
    gradcheck(
        "max_unpool_backward", [&](const std::vector<DArray>& a) { return max_unpool_forward<double>(a[0], idx, size); },
        [&](const std::vector<DArray>&, const DArray& gy) {
            return std::vector<DArray>{max_unpool_backward<double>(gy, idx, size)};
        },
        {r.output}, {"input"}, gen);
}

NNKIT_TEST("max_unpool rejects an index outside the output plane, naming the last bad one as PyTorch", 2, "error",
           "max-unpooling") {
    for (const char* c : {"unpool_error/invalid_index", "unpool_error/negative_index",
                          "unpool_error/index_outside_small_output", "unpool_error/invalid_index_1d",
                          "unpool_error/invalid_index_3d", "unpool_error/index_one_past_end"})
        check_error(c);
}

NNKIT_TEST("max_unpool bounds each index by its own (n, c) plane, not by the whole output", 1, "error",
           "max-unpooling") {
    check_error("unpool_error/index_past_plane_of_two");
}

NNKIT_TEST("max_unpool_backward rejects an index one past the end of the output plane, and a negative one", 1,
           "error", "max-unpooling") {
    const DArray gy = xt::zeros<double>({1, 1, 4, 4});
    for (const std::int64_t bad : {16, -1}) {
        IndexArray idx = IndexArray::from_shape({1, 1, 2, 2});
        idx(0, 0, 0, 0) = 0, idx(0, 0, 0, 1) = 5, idx(0, 0, 1, 0) = 10, idx(0, 0, 1, 1) = bad;
        INFO("indices [[0, 5], [10, " << bad << "]] into a 4x4 output plane");
        NNKIT_CHECK_THROWS(max_unpool_backward<double>(gy, idx, {4, 4}), IndexError, "invalid max index");
    }
    // Two planes: an index is bounded by one plane (16 cells), not by the whole output (32).
    const DArray gy2 = xt::zeros<double>({1, 2, 4, 4});
    IndexArray idx2 = xt::zeros<std::int64_t>({1, 2, 2, 2});
    idx2(0, 0, 1, 1) = 16;
    INFO("two 4x4 output planes, plane 0's indices [[0, 0], [0, 16]]");
    NNKIT_CHECK_THROWS(max_unpool_backward<double>(gy2, idx2, {4, 4}), IndexError, "invalid max index");
}

NNKIT_TEST("max_unpool takes an output_size of 1, 2 or 3 entries only", 1, "error", "max-unpooling") {
    const DArray x = xt::zeros<double>({1, 1, 1, 2, 2});
    const IndexArray idx = xt::zeros<std::int64_t>({1, 1, 1, 2, 2});
    NNKIT_CHECK_THROWS(max_unpool_forward<double>(x, idx, {1, 1, 4, 4}), ValueError,
                       "output_size must have 1, 2 or 3 entries");
    NNKIT_CHECK_THROWS(max_unpool_forward<double>(x, idx, {}), ValueError, "output_size must have 1, 2 or 3 entries");
}

NNKIT_TEST("max_unpool rejects indices of another shape and inputs of the wrong rank", 1, "error", "max-unpooling") {
    for (const char* c : {"unpool_error/indices_shape", "unpool_error/wrong_dims"}) check_error(c);
}

NNKIT_TEST("max_unpool refuses an empty non-batch dim with PyTorch's words (1-D: of its 2-D view)", 1, "error",
           "max-unpooling") {
    for (const char* c : {"unpool_error/empty_height_2d", "unpool_error/empty_channels_2d",
                          "unpool_error/empty_unbatched_2d", "unpool_error/empty_length_1d",
                          "unpool_error/empty_depth_3d"})
        check_error(c);
}

NNKIT_TEST("max_unpool rejects wrong ranks in 1-D, 2-D and 3-D, checking the rank before the indices' shape", 1,
           "error", "max-unpooling") {
    for (const char* c : {"unpool_error/wrong_dims_1d", "unpool_error/rank_4_1d", "unpool_error/wrong_dims_3d",
                          "unpool_error/rank_6_3d", "unpool_error/rank_5_2d",
                          "unpool_error/wrong_dims_before_indices_shape"})
        check_error(c);
}

NNKIT_TEST("unpool_output_size accepts only sizes strictly between default - stride and default + stride", 1,
           "error", "max-unpooling") {
    for (const char* c : {"unpool_error/output_size_too_big", "unpool_error/output_size_too_small",
                          "unpool_error/output_size_length", "unpool_error/output_size_1d",
                          "unpool_error/output_size_bad_width"})
        check_error(c);
}

NNKIT_TEST("unpool_output_size names a refused N, C, H, W size by its spatial part, and checks 3-D sizes", 1, "error",
           "max-unpooling") {
    for (const char* c : {"unpool_error/output_size_nchw_too_big", "unpool_error/output_size_3d_bad_height",
                          "unpool_error/output_size_3d_bad_width"})
        check_error(c);
}

NNKIT_TEST("nn::MaxUnpool2d undoes nn::MaxPool2d through autograd, and prints as PyTorch", 1, "gradient",
           "max-unpooling") {
    const Fixture f("max_unpool/2d_k2");
    nn::MaxUnpool2d unpool(2);
    CHECK(unpool.repr() == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
    Tensor x(f.f32("input"), true);
    Tensor y = unpool.forward(x, f.i64("indices"));
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("MaxUnpool2d output", f.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
}
