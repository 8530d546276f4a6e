// Unit `transforms`: crop, flips, center_crop, five_crop and ten_crop against torchvision 0.14.1.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/image.hpp"
#include "nnkit/transforms.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {
void check_ten_crop(const std::string& name) {
    const Fixture f(name);
    const auto size = f.json_shape("size");
    const transforms::TenCrop t(size[0], size[1], f.bool_option("vertical_flip"));
    const auto crops = t(Tensor(f.f32("input")));
    if (crops.size() != 10) FAIL("TenCrop must return 10 crops, got " + std::to_string(crops.size()));
    NNKIT_CHECK_CLOSE(name + ": the 10 crops stacked", f.f32("output"), transforms::stack(crops).data());
    CHECK(t.repr() == f.string_option("repr"));
}
}  // namespace

NNKIT_TEST("crop by hand: rows 1-2, columns 0-1 of a 3x3 image", 1, "output", "tencrop") {
    const Tensor img(xt::xarray<float>({{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}}));
    NNKIT_CHECK_CLOSE("crop", xt::xarray<float>({{{3, 4}, {6, 7}}}), transforms::crop(img, 1, 0, 2, 2).data());
}

NNKIT_TEST("crop pads with zeros where the window leaves the image, as torchvision: above, left, below, right, "
           "around and wholly outside",
           1, "output", "tencrop") {
    for (const char* name : {"transforms/crop_above_left", "transforms/crop_below_right", "transforms/crop_around",
                             "transforms/crop_outside"}) {
        const Fixture f(name);
        INFO(f.configuration());
        NNKIT_CHECK_CLOSE(name, f.f32("output"),
                          transforms::crop(Tensor(f.f32("input")), f.int_option("top"), f.int_option("left"),
                                           std::size_t(f.int_option("height")), std::size_t(f.int_option("width")))
                              .data());
    }
}

NNKIT_TEST("center_crop larger than the image pads (c - n) // 2 zeros before and the rest after, as torchvision", 1,
           "output", "tencrop") {
    for (const char* name :
         {"transforms/center_crop_padded", "transforms/center_crop_padded_odd", "transforms/center_crop_padded_both"}) {
        const Fixture f(name);
        INFO(f.configuration());
        const auto size = f.int_list_option("size");
        NNKIT_CHECK_CLOSE(name, f.f32("output"),
                          transforms::center_crop(Tensor(f.f32("input")), {std::size_t(size[0]), std::size_t(size[1])})
                              .data());
    }
}

NNKIT_TEST("hflip mirrors columns, vflip mirrors rows", 1, "output", "tencrop") {
    const Tensor img(xt::xarray<float>({{{0, 1, 2}, {3, 4, 5}}}));
    NNKIT_CHECK_CLOSE("hflip", xt::xarray<float>({{{2, 1, 0}, {5, 4, 3}}}), transforms::hflip(img).data());
    NNKIT_CHECK_CLOSE("vflip", xt::xarray<float>({{{3, 4, 5}, {0, 1, 2}}}), transforms::vflip(img).data());
}

NNKIT_TEST("center_crop rounds half margins to even, as torchvision (Python's round)", 1, "output", "tencrop") {
    const Fixture f("transforms/center_crop_halves");
    NNKIT_CHECK_CLOSE("center_crop (3, 4) of 8x7", f.f32("output"),
                      transforms::center_crop(Tensor(f.f32("input")), {3, 4}).data());
}

NNKIT_TEST("TenCrop(4) of a 3x7x9 image: four corners, centre, then the same of the mirrored image", 2, "output",
           "tencrop") {
    check_ten_crop("transforms/ten_crop_4");
}

NNKIT_TEST("TenCrop((3, 5)): height and width differ", 1, "output", "tencrop") { check_ten_crop("transforms/ten_crop_3x5"); }

NNKIT_TEST("TenCrop(4, vertical_flip=True) flips top-bottom", 1, "output", "tencrop") {
    check_ten_crop("transforms/ten_crop_4_vertical");
}

NNKIT_TEST("TenCrop of the full size returns the image five times, then its mirror five times", 1, "output",
           "tencrop") {
    check_ten_crop("transforms/ten_crop_full");
}

NNKIT_TEST("TenCrop works on the last two dimensions: an (H, W) image and an (N, C, H, W) batch", 1, "output",
           "tencrop") {
    check_ten_crop("transforms/ten_crop_2d_image");
    check_ten_crop("transforms/ten_crop_4d_image");
}

NNKIT_TEST("five_crop((4, 3)) of a 3x7x9 image: top-left, top-right, bottom-left, bottom-right, centre", 1, "output",
           "tencrop") {
    const Fixture f("transforms/five_crop_4x3");
    const auto crops = transforms::five_crop(Tensor(f.f32("input")), {4, 3});
    if (crops.size() != 5) FAIL("five_crop must return 5 crops, got " + std::to_string(crops.size()));
    NNKIT_CHECK_CLOSE("the 5 crops stacked", f.f32("output"), transforms::stack(crops).data());
}

NNKIT_TEST("hflip and vflip return new images and leave their input unchanged", 1, "property", "tencrop") {
    const xt::xarray<float> values = {{{0, 1, 2}, {3, 4, 5}}};
    const Tensor img(values);
    const Tensor h = transforms::hflip(img), v = transforms::vflip(img);
    NNKIT_CHECK_CLOSE("the input after hflip and vflip", values, img.data());
    NNKIT_CHECK_CLOSE("vflip after hflip ran", xt::xarray<float>({{{3, 4, 5}, {0, 1, 2}}}), v.data());
}

NNKIT_TEST("TenCrop(224) of the astronaut: per-channel sums and corner pixels of each crop", 1, "output", "tencrop") {
    const Fixture f("transforms/astronaut_224");
    const auto crops = transforms::TenCrop(224)(load_image(datasets_dir() + "/images/astronaut.png"));
    xt::xarray<float> sums = xt::zeros<float>({std::size_t(10), std::size_t(3)});
    xt::xarray<float> corners = xt::zeros<float>({std::size_t(10), std::size_t(3), std::size_t(4)});
    for (std::size_t i = 0; i < crops.size() && i < 10; ++i)
        for (std::size_t c = 0; c < 3; ++c) {
            const auto& a = crops[i].data();
            double s = 0;
            for (std::size_t y = 0; y < 224; ++y)
                for (std::size_t x = 0; x < 224; ++x) s += a(c, y, x);
            sums(i, c) = float(s);
            corners(i, c, 0) = a(c, 0, 0);
            corners(i, c, 1) = a(c, 0, 223);
            corners(i, c, 2) = a(c, 223, 0);
            corners(i, c, 3) = a(c, 223, 223);
        }
    NNKIT_CHECK_CLOSE_TOL("channel sums", f.f32("channel_sums"), sums, f.rtol(), f.atol());
    NNKIT_CHECK_CLOSE("corner pixels", f.f32("corner_pixels"), corners);
}

NNKIT_TEST("a crop larger than the image is torchvision's ValueError", 1, "error", "tencrop") {
    const Fixture f("transforms/errors");
    NNKIT_CHECK_THROWS(transforms::ten_crop(zeros({3, 7, 9}), {8, 8}), ValueError, f.string_option("too_big"));
    INFO("a (3, 7, 9) image: the crop is too big in one dimension only");
    NNKIT_CHECK_THROWS(transforms::ten_crop(zeros({3, 7, 9}), {8, 4}), ValueError, f.string_option("too_tall"));
    NNKIT_CHECK_THROWS(transforms::ten_crop(zeros({3, 7, 9}), {4, 10}), ValueError, f.string_option("too_wide"));
}
