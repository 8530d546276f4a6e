// Image transforms for data augmentation (torchvision.transforms 0.14.1), on image
// tensors (*, H, W), e.g. (C, H, W) from load_image. Lesson 2, "TenCrop".
// https://pytorch.org/vision/0.14/transforms.html
//
//   auto crops = transforms::TenCrop(224)(img);      // 10 tensors (C, 224, 224)
//   Tensor batch = transforms::stack(crops);         // (10, C, 224, 224): run the net, average the logits
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nnkit/tensor.hpp"

namespace nnkit::transforms {

// img:(*, H, W) -> (*, height, width), the window whose top-left corner is (top, left). Where
// the window leaves the image (top or left negative, or past the far side) it holds zeros, as
// torchvision pads.
Tensor crop(const Tensor& img, std::int64_t top, std::int64_t left, std::size_t height, std::size_t width);
// img:(*, H, W) -> (*, h, w) centred: top = round((H - h) / 2) with Python's round (half to even);
// a crop larger than the image is padded with zeros, (h - H) // 2 rows before, as torchvision.
Tensor center_crop(const Tensor& img, std::array<std::size_t, 2> size);
Tensor hflip(const Tensor& img);  // mirror left-right: (*, H, W) -> (*, H, W)
Tensor vflip(const Tensor& img);  // mirror top-bottom

// (top-left, top-right, bottom-left, bottom-right, center); size = (h, w). A crop larger
// than the image: ValueError "Requested crop size (h, w) is bigger than input size (H, W)".
std::vector<Tensor> five_crop(const Tensor& img, std::array<std::size_t, 2> size);
// five_crop(img), then five_crop of the flipped image (hflip, or vflip when vertical_flip).
std::vector<Tensor> ten_crop(const Tensor& img, std::array<std::size_t, 2> size, bool vertical_flip = false);

// Tensors of one shape S -> (n, *S), as torch.stack(crops).
Tensor stack(const std::vector<Tensor>& tensors);

// https://pytorch.org/vision/0.14/generated/torchvision.transforms.TenCrop.html
class TenCrop {
public:
    explicit TenCrop(std::size_t size, bool vertical_flip = false) : TenCrop(size, size, vertical_flip) {}
    TenCrop(std::size_t height, std::size_t width, bool vertical_flip = false)
        : size{height, width}, vertical_flip(vertical_flip) {}
    std::vector<Tensor> operator()(const Tensor& img) const { return ten_crop(img, size, vertical_flip); }
    std::string repr() const;  // "TenCrop(size=(224, 224), vertical_flip=False)"

    std::array<std::size_t, 2> size;
    bool vertical_flip;
};

}  // namespace nnkit::transforms
