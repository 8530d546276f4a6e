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
    // BEGIN SOLUTION
    const Shape s = image.shape();
    if (s.size() != 3 || s[0] != 3)
        throw ShapeError("conv3d_rgb: image must be RGB, (3, H, W), got " + to_string(s));
    const Shape k(kernel.shape().begin(), kernel.shape().end());
    if (k != Shape{3, 3, 3})
        throw ShapeError("conv3d_rgb: kernel must be (kD, kH, kW) = (3, 3, 3), got " + to_string(k));
    const std::size_t H = s[1], W = s[2];
    nn::Conv3d conv(nn::Conv3dOptions(1, 1, 3).padding({1, 0, 0}).bias(false));
    Array weight = kernel;
    weight.reshape({1, 1, 3, 3, 3});  // (C_out, C_in, kD, kH, kW)
    conv.weight.data() = std::move(weight);
    // (3, H, W) and (1, 1, 3, H, W) are the same values in the same order: only the shape changes.
    Array volume = image.data();
    volume.reshape({1, 1, 3, H, W});
    Array out = conv(Tensor(std::move(volume))).data();  // (1, 1, 3, H-2, W-2); smaller images: Conv3d's error
    out.reshape({out.shape(2), out.shape(3), out.shape(4)});
    return Tensor(std::move(out));
    // STUB
    // 1. Check that `image` is (3, H, W) and `kernel` (3, 3, 3) (ShapeError naming the argument).
    // 2. nn::Conv3d conv(nn::Conv3dOptions(1, 1, 3).padding(...).bias(false)); pad the depth only:
    //    padding is (D, H, W), in PyTorch's order. Its weight is (C_out, C_in, kD, kH, kW) = (1, 1, 3, 3, 3).
    // 3. View the image as a volume (1, 1, 3, H, W) (Array::reshape), run conv, and view the
    //    result (1, 1, 3, H-2, W-2) as an image (3, H-2, W-2).
    //> throw NotImplemented("conv3d_rgb", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
    // END SOLUTION
}

Array homework_rgb_kernel() {
    // BEGIN SOLUTION
    const Array edges = {{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}};
    Array k = Array::from_shape({3, 3, 3});
    const float depth[3] = {0.5f, 1.0f, 0.5f};
    for (std::size_t d = 0; d < 3; ++d)
        for (std::size_t h = 0; h < 3; ++h)
            for (std::size_t w = 0; w < 3; ++w) k(d, h, w) = depth[d] * edges(h, w);
    return k;
    // STUB
    // k(d, h, w) = depth[d] · edges(h, w) with depth = (1/2, 1, 1/2) and
    // edges = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]  (see nnkit/homework/conv_rgb_volume.hpp).
    //> throw NotImplemented("homework_rgb_kernel", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
    // END SOLUTION
}

Tensor homework_conv3d_rgb(const std::string& in_path, const std::string& out_path) {
    // BEGIN SOLUTION
    Tensor out = conv3d_rgb(load_image(in_path), homework_rgb_kernel());
    save_image(out, out_path);
    return out;
    // STUB
    // load_image, conv3d_rgb with homework_rgb_kernel(), save_image; return what you saved.
    //> throw NotImplemented("homework_conv3d_rgb", "lessons/03-convolution/homework.md#2b-an-rgb-image-as-a-volume");
    // END SOLUTION
}

}  // namespace nnkit
