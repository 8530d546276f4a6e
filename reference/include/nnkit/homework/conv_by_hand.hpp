// Lesson 3, homework 2(a): a convolution worked out by hand, typed in, and graded.
// Exercise unit `conv_by_hand` (reference/src/conv_by_hand.cpp); lessons/03-convolution/homework.md.
//
// x:(3, 5, 5), its channels all 1, all 2 and all 3;  w:(2, 3, 3, 3), kernel 0 all ones and
// kernel 1 all twos (each spans the 3 input channels);  no bias, stride 1
//   ->  y:(2, H_out, W_out), one map per kernel.
#pragma once

#include <xtensor/xarray.hpp>

namespace nnkit {

// The two output maps for `padding` 0 or 1, as a nested literal y[o][i][j]
// (output channel o, row i, column j). The grader compares every cell with
// the reference convolution and explains each wrong one.
xt::xarray<double> homework_conv_by_hand(int padding);

}  // namespace nnkit
