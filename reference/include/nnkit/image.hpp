// Images in and out, for the lessons' pictures and homework.
#pragma once

#include <string>

#include "nnkit/tensor.hpp"

namespace nnkit {

// Reads a PNG/JPEG/BMP file as (C, H, W) floats in [0, 1], C = 1 (grey), 3 (RGB) or 4 (RGBA),
// the layout of torchvision's ToTensor().
Tensor load_image(const std::string& path);

// Writes (C, H, W) with C in {1, 3, 4}, or (H, W), as a PNG. Values are clamped to [0, 1].
void save_image(const Tensor& image, const std::string& path);

// The bundled datasets/ folder ($NNKIT_DATASETS overrides it), e.g.
// datasets_dir() + "/images/astronaut.png".
std::string datasets_dir();

}  // namespace nnkit
