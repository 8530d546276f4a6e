#include "nnkit/image.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#ifndef NNKIT_DATASETS_DIR
#error "NNKIT_DATASETS_DIR must be defined by the build"
#endif

namespace nnkit {

std::string datasets_dir() {
    const char* env = std::getenv("NNKIT_DATASETS");
    return env && *env ? env : NNKIT_DATASETS_DIR;
}

Tensor load_image(const std::string& path) {
    int w = 0, h = 0, c = 0;
    unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &c, 0);
    if (!pixels) throw ValueError("load_image: cannot read " + path + ": " + stbi_failure_reason());
    // stb gives (H, W, C) bytes; torchvision's layout is (C, H, W) in [0, 1].
    const auto C = std::size_t(c), H = std::size_t(h), W = std::size_t(w);
    Array a = Array::from_shape({C, H, W});
    for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
            for (std::size_t k = 0; k < C; ++k) a(k, y, x) = pixels[(y * W + x) * C + k] / 255.0f;
    stbi_image_free(pixels);
    return Tensor(std::move(a));
}

void save_image(const Tensor& image, const std::string& path) {
    Shape s = image.shape();
    if (s.size() == 2) s.insert(s.begin(), 1);
    if (s.size() != 3 || (s[0] != 1 && s[0] != 3 && s[0] != 4))
        throw ShapeError("save_image: image must be (C, H, W) with C in {1, 3, 4} or (H, W), got " +
                         to_string(image.shape()));
    const std::size_t C = s[0], H = s[1], W = s[2];
    if (H == 0 || W == 0)  // a PNG has at least one row and one column
        throw ShapeError("save_image: a PNG needs at least one row and one column, got an image of shape " +
                         to_string(image.shape()));
    if (W * C > std::size_t(INT32_MAX) || H > std::size_t(INT32_MAX))  // stb counts in int
        throw ShapeError("save_image: a row of " + std::to_string(W) + " pixels or " + std::to_string(H) +
                         " rows is more than a PNG writer takes (2^31 - 1 bytes per row and rows)");
    const float* src = image.data().data();
    std::vector<unsigned char> bytes(C * H * W);
    for (std::size_t k = 0; k < C; ++k)
        for (std::size_t i = 0; i < H * W; ++i) {
            const float v = std::clamp(src[k * H * W + i], 0.0f, 1.0f);  // NaN compares false: clamps to 0
            bytes[i * C + k] = static_cast<unsigned char>(v == v ? v * 255.0f + 0.5f : 0.0f);
        }
    if (!stbi_write_png(path.c_str(), int(W), int(H), int(C), bytes.data(), int(W * C)))
        throw ValueError("save_image: cannot write " + path);
}

}  // namespace nnkit
