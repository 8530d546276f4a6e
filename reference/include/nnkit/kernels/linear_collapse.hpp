// "Stacked linear layers without activations are one linear layer": the exercise
// that collapses y = L_n(...L_2(L_1(x))) into a single y = x·Wᵀ + b.
// Exercise unit `linear_collapse` (reference/src/linear_collapse.cpp); the arrays' half.
#pragma once

#include <vector>

#include <xtensor/xarray.hpp>


namespace nnkit {

template <typename T>
struct CollapsedLinear {
    xt::xarray<T> weight;  // (out_n, in_1)
    xt::xarray<T> bias;    // (out_n), or (0,) when no layer has a bias
};

// weights[k]:(out_k, in_k) with in_{k+1} = out_k; biases[k]:(out_k), or (0,) for a layer without bias.
// Layer 0 is applied first. Returns W = W_n ··· W_2 · W_1 and b = W_n(···(W_2 b_1 + b_2)···) + b_n.
template <typename T>
CollapsedLinear<T> collapse_linear(const std::vector<xt::xarray<T>>& weights, const std::vector<xt::xarray<T>>& biases);

// The same for modules, nn::collapse_linear, is in nnkit/nn/linear_collapse.hpp.

}  // namespace nnkit
