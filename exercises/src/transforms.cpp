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

Shape with_hw(const Tensor& img, std::size_t h, std::size_t w) {
    Shape s = img.shape();
    s[s.size() - 2] = h;
    s.back() = w;
    return s;
}

}  // namespace

Tensor crop(const Tensor& img, std::int64_t top, std::int64_t left, std::size_t height, std::size_t width) {
    [[maybe_unused]] const Planes p = planes_of(img, "crop");
    checked_numel(with_hw(img, height, width));  // a size no machine holds is refused, in PyTorch's words
    // A window this far out is all zeros wherever it is: clamped, top + row and W - left cannot overflow.
    constexpr std::int64_t far = std::int64_t(1) << 62;
    top = std::clamp(top, -far, far);
    left = std::clamp(left, -far, far);
    // out[..., y, x] = img[..., top + y, left + x] for y < height, x < width, for every
    // leading index (channel); a zero where (top + y, left + x) is outside the image (torchvision
    // pads it with zeros: top and left may be negative, the window may reach past the bottom or
    // the right). The shape keeps the leading dims: (*, height, width).
    throw NotImplemented("transforms::crop", "lessons/02-containers-alexnet/README.md#tencrop");
}

Tensor center_crop(const Tensor& img, std::array<std::size_t, 2> size) {
    [[maybe_unused]] const Planes p = planes_of(img, "center_crop");
    // top = int(round((H - h) / 2.0)), left likewise, with Python's round: halves go to the
    // even integer (round(2.5) = 2, round(3.5) = 4). std::nearbyint does that by default.
    // A crop larger than the image is padded with zeros as torchvision does, (h - H) // 2 rows
    // above and the rest below: top = -((h - H) / 2). Then it is one crop(...).
    throw NotImplemented("transforms::center_crop", "lessons/02-containers-alexnet/README.md#tencrop");
}

Tensor hflip(const Tensor& img) {
    [[maybe_unused]] const Planes p = planes_of(img, "hflip");
    // out[..., y, x] = img[..., y, W - 1 - x]
    throw NotImplemented("transforms::hflip", "lessons/02-containers-alexnet/README.md#tencrop");
}

Tensor vflip(const Tensor& img) {
    [[maybe_unused]] const Planes p = planes_of(img, "vflip");
    // out[..., y, x] = img[..., H - 1 - y, x]
    throw NotImplemented("transforms::vflip", "lessons/02-containers-alexnet/README.md#tencrop");
}

std::vector<Tensor> five_crop(const Tensor& img, std::array<std::size_t, 2> size) {
    [[maybe_unused]] const Planes p = planes_of(img, "five_crop");
    // A crop larger than the image: ValueError "Requested crop size (8, 8) is bigger than input size (7, 9)".
    // The four corners, in the order top-left, top-right, bottom-left, bottom-right,
    // then center_crop(img, size).
    throw NotImplemented("transforms::five_crop", "lessons/02-containers-alexnet/README.md#tencrop");
}

std::vector<Tensor> ten_crop(const Tensor& img, std::array<std::size_t, 2> size, bool vertical_flip) {
    // five_crop(img), then five_crop of the flipped image. Careful: the 6th crop is the
    // top-left corner OF THE FLIPPED IMAGE, i.e. the mirrored top-right corner.
    throw NotImplemented("transforms::ten_crop", "lessons/02-containers-alexnet/README.md#tencrop");
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
