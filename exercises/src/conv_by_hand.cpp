// Unit `conv_by_hand` — lesson 3, homework 2(a): a convolution worked out by hand.
// x:(3, 5, 5) with channels all 1, all 2, all 3;  w:(2, 3, 3, 3), all ones and all twos
//   ->  y:(2, H_out, W_out).  Every output cell is  w_o · Σ_c (taps of the window on real cells) · x_c.
// Nothing is computed here: the answer is typed in, and the grader checks it cell by cell.
#include "nnkit/homework/conv_by_hand.hpp"

#include <string>

#include "nnkit/errors.hpp"

namespace nnkit {

xt::xarray<double> homework_conv_by_hand(int padding) {
    // Work the two output maps out on paper first (homework.md, 2(a)), then type them in, one
    // nested literal per padding: y[o][i][j] is output channel o (kernel o), row i, column j.
    //   if (padding == 0) return {{{...}, {...}, ...},     // the map of the all-ones kernel
    //                             {{...}, {...}, ...}};    // the map of the all-twos kernel
    //   if (padding == 1) return {...};
    // The grader explains every wrong cell, with the sum it should be.
    throw NotImplemented("homework_conv_by_hand", "lessons/03-convolution/homework.md#2a-by-hand");
}

}  // namespace nnkit
