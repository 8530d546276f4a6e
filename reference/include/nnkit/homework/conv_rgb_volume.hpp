// Lesson 3, homework 2(b): an RGB image read as a depth-3 volume and filtered by a Conv3d.
// Exercise unit `conv_rgb_volume` (reference/src/conv_rgb_volume.cpp); lessons/03-convolution/homework.md.
// https://pytorch.org/docs/1.13/generated/torch.nn.Conv3d.html
//
// image:(3, H, W)  ->  volume:(N=1, C=1, D=3, H, W)  -Conv3d(1, 1, 3, padding=(1, 0, 0), bias=False)->
//   (1, 1, 3, H-2, W-2)  ->  image:(3, H-2, W-2)
// The depth padding keeps D = 3 (the kernel's depth slides over R, G, B), so the result is an RGB image again.
#pragma once

#include <string>

#include "nnkit/tensor.hpp"

namespace nnkit {

// Convolves `image` (3, H, W) as a volume (1, 1, 3, H, W) with an nn::Conv3d whose weight is
// `kernel` (kD, kH, kW) = (3, 3, 3): padding (1, 0, 0), no bias. Returns (3, H-2, W-2).
Tensor conv3d_rgb(const Tensor& image, const Array& kernel);

// The homework's kernel (kD, kH, kW) = (3, 3, 3): the 3x3 edge detector
// [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]] weighted 1/2, 1, 1/2 along the depth, so each
// colour's edges are mixed with half as much of its neighbours' (R with G, G with R and B).
Array homework_rgb_kernel();

// Loads `in_path` (an RGB image), applies conv3d_rgb with homework_rgb_kernel(),
// writes the result as a PNG to `out_path` (save_image clamps to [0, 1]) and returns it, (3, H-2, W-2).
Tensor homework_conv3d_rgb(const std::string& in_path, const std::string& out_path);

}  // namespace nnkit
