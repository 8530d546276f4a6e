// Unit `conv_rgb_volume` — lesson 3, homework 2(b): an RGB image as a depth-3 volume.
// image:(3, H, W)  ->  volume:(N=1, C=1, D=3, H, W)  -Conv3d(1, 1, 3, padding=(1, 0, 0), bias=False)->
//   (1, 1, 3, H-2, W-2)  ->  image:(3, H-2, W-2)
// The colours become the depth: the kernel slides over (R, G, B) as over any third spatial dim, and
// the depth padding 1 keeps three slices, so the output is again an RGB image.
#include "nnkit/homework/conv_rgb_volume.hpp"

#include "nnkit/errors.hpp"
#include "nnkit/image.hpp"
#include "nnkit/nn/conv.hpp"

namespace nnkit {

Tensor conv3d_rgb(const Tensor& image, const Array& kernel) {
    // 1. Check that `image` is (3, H, W) and `kernel` (3, 3, 3) (ShapeError naming the argument).
    // 2. nn::Conv3d conv(nn::Conv3dOptions(1, 1, 3).padding(...).bias(false)); pad the depth only:
    //    padding is (D, H, W), in PyTorch's order. Its weight is (C_out, C_in, kD, kH, kW) = (1, 1, 3, 3, 3).
    // 3. View the image as a volume (1, 1, 3, H, W) (Array::reshape), run conv, and view the
    //    result (1, 1, 3, H-2, W-2) as an image (3, H-2, W-2).
    throw NotImplemented("conv3d_rgb", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
}

Array homework_rgb_kernel() {
    // k(d, h, w) = depth[d] · edges(h, w) with depth = (1/2, 1, 1/2) and
    // edges = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]  (see nnkit/homework/conv_rgb_volume.hpp).
    throw NotImplemented("homework_rgb_kernel", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
}

Tensor homework_conv3d_rgb(const std::string& in_path, const std::string& out_path) {
    // load_image, conv3d_rgb with homework_rgb_kernel(), save_image; return what you saved.
    throw NotImplemented("homework_conv3d_rgb", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
}

}  // namespace nnkit
