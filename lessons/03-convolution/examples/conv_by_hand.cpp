// Lesson 3: the homework's hand calculation, the matrix K of a 3x3 kernel on a
// 4x4 input, and the Conv2d module printing itself as PyTorch does.
#include <cmath>
#include <iostream>

#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "nnkit/kernels/conv.hpp"
#include "nnkit/nn/conv.hpp"

using namespace nnkit;

int main() {
    // x:(3, 5, 5), channels all 1, 2, 3;  w:(2, 3, 3, 3), all ones and all twos.
    xt::xarray<double> x = xt::zeros<double>({3, 5, 5});
    for (std::size_t c = 0; c < 3; ++c) xt::view(x, c) = double(c + 1);
    xt::xarray<double> w = xt::ones<double>({2, 3, 3, 3});
    xt::view(w, 1) = 2.0;
    ConvParams p1;
    p1.padding = {1};
    const auto y0 = conv_forward<double>(x, w, nullptr, {});  // (2, 3, 3): 54 and 108 everywhere
    const auto y1 = conv_forward<double>(x, w, nullptr, p1);  // (2, 5, 5): corners 24, edges 36
    std::cout << "padding 0:\n" << y0 << "\npadding 1:\n" << y1 << "\n";
    if (y0(0, 1, 1) != 54 || y0(1, 2, 2) != 108 || y1(0, 0, 0) != 24 || y1(0, 0, 2) != 36 || y1(1, 0, 0) != 48)
        return 1;

    const xt::xarray<double> k = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    const auto K = conv2d_matrix<double>(k, 4, 4, {});
    std::cout << "K (4x16):\n" << K << "\n";
    if (K.shape(0) != 4 || K.shape(1) != 16 || K(3, 15) != 9) return 1;

    nn::Conv2d conv(nn::Conv2dOptions(3, 64, 11).stride(4).padding(2));
    std::cout << conv << "\n";
    return conv.repr() == "Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))" ? 0 : 1;
}
