// What F::conv* accepts and refuses at the edges, as PyTorch 1.13 (fixture conv_error/empty_spatial):
// an empty spatial dim of a non-empty batch is refused after the kernel-size check, and an empty
// batch gives an empty result. The checks are core (the shared geometry), not a unit's.
// (With no input channels PyTorch 1.13 returns a (1, 0, 5, 7) tensor for a (1, 0, 3, 5) input and
// two filters; nnkit returns the (1, 2, 5, 7) zeros that a sum over no channels is.)
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("convolutions refuse an empty spatial dim of a non-empty batch, with PyTorch's messages in its order") {
    const Fixture f("conv_error/empty_spatial");
    const auto want = [&](const char* key) { return f.string_option(key); };
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 1, 0, 5}), zeros({2, 1, 1, 1}), {}, 1, 1),
                       ShapeError, want("conv2d padded"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 1, 0, 5}), zeros({2, 1, 1, 1})), ShapeError, want("conv2d unpadded"));
    NNKIT_CHECK_THROWS(
        F::conv2d(zeros({1, 1, 0, 5}), zeros({2, 1, 1, 1}), {}, 1, F::ConvPadding{0, 1}),
        ShapeError, want("conv2d width padded only"));
    NNKIT_CHECK_THROWS(F::conv1d(zeros({1, 1, 0}), zeros({2, 1, 1}), {}, 1, 1), ShapeError,
                       want("conv1d padded"));
    NNKIT_CHECK_THROWS(F::conv3d(zeros({1, 1, 2, 0, 2}), zeros({2, 1, 1, 1, 1}), {}, 1, 1),
                       ShapeError, want("conv3d padded"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 0, 5}), zeros({2, 1, 1, 1}), {}, 1, 1), ShapeError,
                       want("conv2d unbatched padded"));
    NNKIT_CHECK_THROWS(F::conv_transpose2d(zeros({1, 1, 0, 5}), zeros({1, 2, 1, 1})), ShapeError,
                       want("conv_transpose2d"));
    const auto dims = [](const Tensor& t) {
        std::string s;
        for (auto d : t.shape()) s += (s.empty() ? "" : " ") + std::to_string(d);
        return s;
    };
    CHECK(dims(F::conv2d(zeros({0, 1, 0, 5}), zeros({2, 1, 1, 1}), {}, 1, 1)) ==
          want("conv2d empty batch padded"));
}

TEST_CASE("convolutions refuse a zero kernel size in the words of PyTorch's native kernels") {
    const Fixture f("conv_error/zero_kernel");
    const auto want = [&](const char* key) { return f.string_option(key); };
    NNKIT_CHECK_THROWS(F::conv1d(zeros({1, 1, 4}), zeros({1, 1, 0})), ShapeError, want("conv1d"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 0, 2})), ShapeError, want("conv2d"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 2, 0}), {}, 2, 1), ShapeError, want("conv2d width"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 4, 4}), zeros({1, 1, 0, 2})), ShapeError, want("conv2d unbatched"));
    NNKIT_CHECK_THROWS(F::conv3d(zeros({1, 1, 4, 4, 4}), zeros({1, 1, 2, 2, 0})), ShapeError, want("conv3d"));
    NNKIT_CHECK_THROWS(F::conv1d(zeros({1, 1, 4}), zeros({1, 1, 0}), {}, 1, 0, 2), ShapeError, want("conv1d dilated"));
    NNKIT_CHECK_THROWS(F::conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 2, 0}), {}, 1, 0, 2), ShapeError,
                       want("conv2d dilated"));
    NNKIT_CHECK_THROWS(F::conv3d(zeros({1, 1, 4, 4, 4}), zeros({1, 1, 2, 0, 2}), {}, 1, 0, nnkit::Sizes{1, 2, 1}),
                       ShapeError, want("conv3d dilated"));
    NNKIT_CHECK_THROWS(F::conv_transpose1d(zeros({1, 1, 4}), zeros({1, 1, 0})), ShapeError, want("conv_transpose1d"));
    NNKIT_CHECK_THROWS(F::conv_transpose2d(zeros({2, 1, 4, 4}), zeros({1, 1, 0, 2}), {}, 1, 0, 0, 1, 2), ShapeError,
                       want("conv_transpose2d"));
    NNKIT_CHECK_THROWS(F::conv_transpose3d(zeros({1, 1, 4, 4, 4}), zeros({1, 1, 2, 0, 2})), ShapeError,
                       want("conv_transpose3d"));
    // 1.13 picks oneDNN for a batch of several, whose words are "could not create a descriptor ...";
    // nnkit has one path and keeps the native words.
    NNKIT_CHECK_THROWS(F::conv2d(zeros({3, 1, 4, 4}), zeros({1, 1, 0, 2})), ShapeError, want("conv2d"));
}
