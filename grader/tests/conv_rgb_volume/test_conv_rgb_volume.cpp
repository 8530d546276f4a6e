// Unit `conv_rgb_volume` (homework 2(b)): an RGB image as a depth-3 volume through a
// Conv3d(1, 1, 3, padding=(1, 0, 0)), against PyTorch 1.13 on a crop of coffee.png, and the
// PNG it writes.
#include <filesystem>
#include <unistd.h>

#include <xtensor/xview.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/homework/conv_rgb_volume.hpp"
#include "nnkit/image.hpp"

using namespace nnkit;
using namespace nnkit::grading;
namespace fs = std::filesystem;

namespace {

// A file name of this test process in the temporary folder (checks run in parallel).
std::string temp_png(const std::string& what) {
    return (fs::temp_directory_path() / ("nnkit-conv_rgb_volume-" + std::to_string(getpid()) + "-" + what + ".png"))
        .string();
}

// The fixture's crop, read again from the image with load_image: what PyTorch saw.
xt::xarray<float> crop_of(const Fixture& f) {
    const Tensor image = load_image(datasets_dir() + "/" + f.string_option("image"));
    const auto t = std::size_t(f.int_option("top")), l = std::size_t(f.int_option("left"));
    const auto h = std::size_t(f.int_option("height")), w = std::size_t(f.int_option("width"));
    xt::xarray<float> c = xt::view(image.data(), xt::all(), xt::range(t, t + h), xt::range(l, l + w));
    NNKIT_CHECK_CLOSE_TOL("the crop of " + f.string_option("image") + " (grader self-check)", f.f32("input"), c, 0, 0);
    return c;
}

// What save_image writes for `image` and load_image reads back: clamped to [0, 1], in steps of 1/255.
xt::xarray<float> as_png(const xt::xarray<float>& image) { return xt::clip(image, 0.0f, 1.0f); }

}  // namespace

NNKIT_TEST("conv3d_rgb matches PyTorch's Conv3d(1, 1, 3, padding=(1, 0, 0)) on a crop of coffee.png, random kernel",
           3, "output", "homework") {
    const Fixture f("conv_rgb_volume/random_kernel");
    const Tensor y = conv3d_rgb(Tensor(f.f32("input")), f.f32("weight"));
    NNKIT_CHECK_CLOSE_TOL("conv3d_rgb of a (3, 10, 12) crop", f.f32("output"), y.data(), f.rtol(), f.atol());
}

NNKIT_TEST("conv3d_rgb on the smallest image the kernel fits: (3, 3, 3) -> (3, 1, 1)", 1, "output", "homework") {
    const Fixture f("conv_rgb_volume/smallest_image");
    const Tensor y = conv3d_rgb(Tensor(f.f32("input")), f.f32("weight"));
    NNKIT_CHECK_CLOSE_TOL("conv3d_rgb of a (3, 3, 3) image", f.f32("output"), y.data(), f.rtol(), f.atol());
}

NNKIT_TEST("conv3d_rgb rejects an image that is not (3, H, W) and a kernel that is not (3, 3, 3)", 1, "error",
           "homework") {
    const Array kernel = xt::zeros<float>({3, 3, 3});
    NNKIT_CHECK_THROWS(conv3d_rgb(Tensor(xt::zeros<float>({1, 8, 8})), kernel), ShapeError, "image");
    NNKIT_CHECK_THROWS(conv3d_rgb(Tensor(xt::zeros<float>({8, 8})), kernel), ShapeError, "image");
    NNKIT_CHECK_THROWS(conv3d_rgb(Tensor(xt::zeros<float>({3, 8, 8})), Array(xt::zeros<float>({3, 3}))), ShapeError,
                       "kernel");
    NNKIT_CHECK_THROWS(conv3d_rgb(Tensor(xt::zeros<float>({3, 8, 8})), Array(xt::zeros<float>({3, 3, 5}))), ShapeError,
                       "kernel");
    NNKIT_CHECK_THROWS(conv3d_rgb(Tensor(xt::zeros<float>({3, 8, 8, 1})), kernel), ShapeError, "image");
}

NNKIT_TEST("conv3d_rgb passes on Conv3d's error for an image smaller than the kernel", 1, "error", "homework") {
    const Fixture f("conv_rgb_volume/error_too_small");
    INFO(f.configuration());
    const Tensor image(xt::xarray<float>::from_shape(f.json_shape("input_shape")));
    NNKIT_CHECK_THROWS(conv3d_rgb(image, Array(xt::zeros<float>({3, 3, 3}))), std::invalid_argument,
                       f.string_option("error"));
}

NNKIT_TEST("homework_rgb_kernel is the 3x3 edge detector weighted 1/2, 1, 1/2 along the depth", 1, "output",
           "homework") {
    const Fixture f("conv_rgb_volume/homework_kernel");
    NNKIT_CHECK_CLOSE("homework_rgb_kernel (kD, kH, kW)", f.f32("weight"), homework_rgb_kernel());
}

NNKIT_TEST("homework_conv3d_rgb reads a crop of coffee.png, filters it as PyTorch does and writes the PNG", 2,
           "output", "homework") {
    const Fixture f("conv_rgb_volume/homework_kernel");
    const std::string in = temp_png("crop"), out = temp_png("out");
    save_image(Tensor(crop_of(f)), in);
    const Tensor y = homework_conv3d_rgb(in, out);
    NNKIT_CHECK_CLOSE_TOL("the image homework_conv3d_rgb returns", f.f32("output"), y.data(), f.rtol(), f.atol());
    if (!fs::exists(out)) FAIL("homework_conv3d_rgb(in_path, out_path) wrote no file at out_path");
    const Tensor png = load_image(out);
    // One step of 8-bit rounding (1/255) apart at most.
    NNKIT_CHECK_CLOSE_TOL("the PNG homework_conv3d_rgb writes (clamped to [0, 1], 8 bits)", as_png(f.f32("output")),
                          png.data(), 0, 1.0 / 255 + 1e-6);
    fs::remove(in);
    fs::remove(out);
}

NNKIT_TEST("homework_conv3d_rgb on the whole coffee.png writes an RGB PNG of (3, H-2, W-2): conv3d_rgb.png", 1,
           "output", "homework") {
    const std::string in = datasets_dir() + "/images/coffee.png";
    const Shape s = load_image(in).shape();
    // Written beside the other results (build/release/grader/ when you run ./kit grade), for you to open.
    const std::string keep = (fs::current_path() / "conv3d_rgb.png").string();
    const std::string part = (fs::current_path() / ("conv3d_rgb." + std::to_string(getpid()) + ".png")).string();
    const Tensor y = homework_conv3d_rgb(in, part);
    const Shape want = {3, s[1] - 2, s[2] - 2};
    const Shape written = fs::exists(part) ? load_image(part).shape() : Shape{};
    if (written != want) fs::remove(part);
    if (y.shape() != want)
        FAIL("homework_conv3d_rgb(coffee.png) returned " << to_string(y.shape()) << ", expected " << to_string(want)
                                                         << ": the depth padding 1 keeps the 3 colours, the 3x3 "
                                                            "window without padding loses 2 rows and 2 columns");
    if (written.empty()) FAIL("homework_conv3d_rgb(coffee.png, out_path) wrote no file at out_path");
    if (written != want) FAIL("the PNG written has shape " << to_string(written) << ", expected " << to_string(want));
    fs::rename(part, keep);  // atomic (same folder): the reference run of this check may write it too
}
