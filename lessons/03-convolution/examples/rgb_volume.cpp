// Homework 2(b): an RGB image read as a depth-3 volume (1, 1, 3, H, W) and
// convolved by a 3x3x3 Conv3d with padding (1, 0, 0): the depth stays 3, so
// the output is again an RGB image, (3, H-2, W-2). It is written as a PNG.
//   usage: ./kit example rgb_volume [input.png] [output.png]   (the binary: example_03_rgb_volume)   (default: coffee.png -> ./conv3d_rgb_blur.png)
#include <filesystem>
#include <iostream>

#include "nnkit/image.hpp"
#include "nnkit/nn/conv.hpp"

using namespace nnkit;

int main(int argc, char** argv) {
    const std::string in = argc > 1 ? argv[1] : datasets_dir() + "/images/coffee.png";
    const std::string out = argc > 2 ? argv[2] : "conv3d_rgb_blur.png";
    const Tensor image = load_image(in);  // (3, H, W) in [0, 1]
    const std::size_t C = image.size(0), H = image.size(1), W = image.size(2);
    if (C != 3) {
        std::cerr << in << " is not an RGB image\n";
        return 1;
    }
    nn::Conv3d conv(nn::Conv3dOptions(1, 1, 3).padding({1, 0, 0}).bias(false));
    // A blur over the 3x3 neighbourhood that also mixes each colour with its neighbours
    // in depth (R with G, G with R and B, B with G): weights 1/27.
    conv.weight.data().fill(1.0f / 27.0f);
    Array volume = image.data();
    volume.reshape({1, 1, C, H, W});
    Tensor y = conv(Tensor(volume));  // (1, 1, 3, H-2, W-2)
    std::cout << conv << "\ninput " << to_string(image.shape()) << " -> output " << to_string(y.shape()) << "\n";
    Array rgb = y.data();
    rgb.reshape({3, H - 2, W - 2});
    // The blur of a depth-3 volume with zero padding in depth darkens R and B (only 2 of 3 slices are
    // real there): scale each slice back by 3 / (number of real slices).
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t i = 0; i < (H - 2) * (W - 2); ++i) rgb.data()[c * (H - 2) * (W - 2) + i] *= (c == 1 ? 1.0f : 1.5f);
    save_image(Tensor(rgb), out);
    std::cout << "wrote " << std::filesystem::absolute(out).string()
              << ": the photo a little blurred, and each colour mixed with its neighbours in depth"
                 " (R with G, B with G), so the red saucer turns olive\n";
    return y.shape() == Shape{1, 1, 3, H - 2, W - 2} ? 0 : 1;
}
