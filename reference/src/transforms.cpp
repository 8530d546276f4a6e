// Unit `transforms` — lesson 2, "TenCrop": the test-time augmentation of AlexNet.
// Shapes: img:(*, H, W) -> crops:(*, h, w); the leading dims (channels) ride along.
// Every function copies: nnkit tensors own their storage (torchvision returns views).
#include "nnkit/transforms.hpp"

#include <algorithm>
#include <cmath>

#include "nnkit/errors.hpp"
#include "nnkit/nn/module.hpp"  // py_bool, py_tuple

namespace nnkit::transforms {

namespace {

struct Planes {
    std::size_t P, H, W;  // P = product of the leading dims
};

Planes planes_of(const Tensor& img, const char* fn) {
    const Shape s = img.shape();
    if (s.size() < 2)
        throw ShapeError(std::string(fn) + ": img must have at least 2 dims (*, H, W), got " + to_string(s));
    const std::size_t H = s[s.size() - 2], W = s.back();
    return {H * W != 0 ? img.numel() / (H * W) : 0, H, W};
}

[[maybe_unused]] Shape with_hw(const Tensor& img, std::size_t h, std::size_t w) {
    Shape s = img.shape();
    s[s.size() - 2] = h;
    s.back() = w;
    return s;
}

}  // namespace

Tensor crop(const Tensor& img, std::size_t top, std::size_t left, std::size_t height, std::size_t width) {
    const Planes p = planes_of(img, "crop");
    if (top + height > p.H || left + width > p.W)
        throw ValueError("crop: the window top=" + std::to_string(top) + ", left=" + std::to_string(left) +
                         ", height=" + std::to_string(height) + ", width=" + std::to_string(width) +
                         " must lie inside the image (" + std::to_string(p.H) + ", " + std::to_string(p.W) + ")");
    // BEGIN SOLUTION
    Array out = Array::from_shape(with_hw(img, height, width));
    const float* src = img.data().data();
    float* dst = out.data();
    for (std::size_t c = 0; c < p.P; ++c)
        for (std::size_t y = 0; y < height; ++y) {
            const float* row = src + (c * p.H + top + y) * p.W + left;
            std::copy(row, row + width, dst + (c * height + y) * width);
        }
    return Tensor(std::move(out));
    // STUB
    // out[..., y, x] = img[..., top + y, left + x] for y < height, x < width, for every
    // leading index (channel). The shape keeps the leading dims: (*, height, width).
    //> throw NotImplemented("transforms::crop", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

Tensor center_crop(const Tensor& img, std::array<std::size_t, 2> size) {
    [[maybe_unused]] const Planes p = planes_of(img, "center_crop");
    if (size[0] > p.H || size[1] > p.W)
        throw ValueError("center_crop: crop size (" + std::to_string(size[0]) + ", " + std::to_string(size[1]) +
                         ") is bigger than the image (" + std::to_string(p.H) + ", " + std::to_string(p.W) +
                         "); torchvision would pad, nnkit does not");
    // BEGIN SOLUTION
    // int(round((H - h) / 2.0)): Python rounds halves to even, so a margin of 5 gives top 2, 7 gives 4.
    const auto top = static_cast<std::size_t>(std::nearbyint((p.H - size[0]) / 2.0));
    const auto left = static_cast<std::size_t>(std::nearbyint((p.W - size[1]) / 2.0));
    return crop(img, top, left, size[0], size[1]);
    // STUB
    // top = int(round((H - h) / 2.0)), left likewise, with Python's round: halves go to the
    // even integer (round(2.5) = 2, round(3.5) = 4). std::nearbyint does that by default.
    //> throw NotImplemented("transforms::center_crop", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

Tensor hflip(const Tensor& img) {
    [[maybe_unused]] const Planes p = planes_of(img, "hflip");
    // BEGIN SOLUTION
    Array out = Array::from_shape(img.data().shape());
    const float* src = img.data().data();
    for (std::size_t r = 0; r < p.P * p.H; ++r)
        std::reverse_copy(src + r * p.W, src + (r + 1) * p.W, out.data() + r * p.W);
    return Tensor(std::move(out));
    // STUB
    // out[..., y, x] = img[..., y, W - 1 - x]
    //> throw NotImplemented("transforms::hflip", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

Tensor vflip(const Tensor& img) {
    [[maybe_unused]] const Planes p = planes_of(img, "vflip");
    // BEGIN SOLUTION
    Array out = Array::from_shape(img.data().shape());
    const float* src = img.data().data();
    for (std::size_t c = 0; c < p.P; ++c)
        for (std::size_t y = 0; y < p.H; ++y)
            std::copy(src + (c * p.H + y) * p.W, src + (c * p.H + y + 1) * p.W,
                      out.data() + (c * p.H + p.H - 1 - y) * p.W);
    return Tensor(std::move(out));
    // STUB
    // out[..., y, x] = img[..., H - 1 - y, x]
    //> throw NotImplemented("transforms::vflip", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

std::vector<Tensor> five_crop(const Tensor& img, std::array<std::size_t, 2> size) {
    [[maybe_unused]] const Planes p = planes_of(img, "five_crop");
    // BEGIN SOLUTION
    const std::size_t h = size[0], w = size[1];
    if (h > p.H || w > p.W)
        throw ValueError("Requested crop size (" + std::to_string(h) + ", " + std::to_string(w) +
                         ") is bigger than input size (" + std::to_string(p.H) + ", " + std::to_string(p.W) + ")");
    return {crop(img, 0, 0, h, w), crop(img, 0, p.W - w, h, w), crop(img, p.H - h, 0, h, w),
            crop(img, p.H - h, p.W - w, h, w), center_crop(img, size)};
    // STUB
    // A crop larger than the image: ValueError "Requested crop size (8, 8) is bigger than input size (7, 9)".
    // The four corners, in the order top-left, top-right, bottom-left, bottom-right,
    // then center_crop(img, size).
    //> throw NotImplemented("transforms::five_crop", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

std::vector<Tensor> ten_crop(const Tensor& img, std::array<std::size_t, 2> size, bool vertical_flip) {
    // BEGIN SOLUTION
    std::vector<Tensor> out = five_crop(img, size);
    const std::vector<Tensor> flipped = five_crop(vertical_flip ? vflip(img) : hflip(img), size);
    out.insert(out.end(), flipped.begin(), flipped.end());
    return out;
    // STUB
    // five_crop(img), then five_crop of the flipped image. Careful: the 6th crop is the
    // top-left corner OF THE FLIPPED IMAGE, i.e. the mirrored top-right corner.
    //> throw NotImplemented("transforms::ten_crop", "lessons/02-containers-alexnet/README.md#tencrop");
    // END SOLUTION
}

Tensor stack(const std::vector<Tensor>& tensors) {
    if (tensors.empty()) throw ValueError("stack expects a non-empty TensorList");
    const Shape s = tensors[0].shape();
    Shape out_shape{tensors.size()};
    out_shape.insert(out_shape.end(), s.begin(), s.end());
    Array out = Array::from_shape(out_shape);
    const std::size_t n = tensors[0].numel();
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].shape() != s)
            throw ShapeError("stack expects each tensor to be equal size, but got " + to_string(s) + " at entry 0 and " +
                             to_string(tensors[i].shape()) + " at entry " + std::to_string(i));
        std::copy(tensors[i].data().data(), tensors[i].data().data() + n, out.data() + i * n);
    }
    return Tensor(std::move(out));
}

std::string TenCrop::repr() const {
    return "TenCrop(size=" + nn::py_tuple({size[0], size[1]}) + ", vertical_flip=" + nn::py_bool(vertical_flip) + ")";
}

}  // namespace nnkit::transforms
