// Loss kernels: log_softmax and softmax over one dimension, the negative log-likelihood
// and cross-entropy losses over class-index targets, and cross-entropy over class
// probabilities.
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.log_softmax.html
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.nll_loss.html
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.cross_entropy.html
// Exercise unit `loss` (reference/src/loss.cpp, exercises/src/loss.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xarray.hpp>

namespace nnkit {

// Class indices (PyTorch's int64 target tensor).
using Labels = xt::xarray<std::int64_t>;

// How the per-element losses become the result (PyTorch's `reduction`).
enum class Reduction { None, Mean, Sum };

// ---------------------------------------------------------------- softmax
// input:(*) -> (*), normalised along `dim` (negative counts from the end; a 0-D input
// takes dim 0 or -1). log_softmax(x) = x - max - log(sum(exp(x - max))): never exp of a large x.
template <typename T>
xt::xarray<T> log_softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim);
// grad_output, output:(*) (the forward's output) -> grad input:(*)
template <typename T>
xt::xarray<T> log_softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output,
                                   std::ptrdiff_t dim);

template <typename T>
xt::xarray<T> softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim);
template <typename T>
xt::xarray<T> softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output, std::ptrdiff_t dim);

// ---------------------------------------------------------------- losses
// What nll_loss and cross_entropy take besides input and target.
template <typename T>
struct LossOptions {
    const xt::xarray<T>* weight = nullptr;  // (C): one weight per class; nullptr: all 1
    Reduction reduction = Reduction::Mean;  // Mean divides by the summed weights of the counted targets
    std::int64_t ignore_index = -100;       // a target equal to it counts nowhere, not even in the mean
    double label_smoothing = 0.0;           // cross_entropy only, in [0, 1]; 0 or below: none
};

// Shapes, with C classes:
//   input  (N, C)      target (N)      the usual batch
//   input  (C)         target ()       one sample
//   input  (N, C, d1, ..., dk)  target (N, d1, ..., dk)   a class per position (segmentation)
// Output: Reduction::None the target's shape; Mean and Sum a 0-D array.
// nll_loss's input holds log-probabilities (log_softmax's output); cross_entropy's holds logits.
template <typename T>
xt::xarray<T> nll_loss_forward(const xt::xarray<T>& input, const Labels& target, const LossOptions<T>& options);
// grad_output: the forward output's shape -> grad input: the input's shape
template <typename T>
xt::xarray<T> nll_loss_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input, const Labels& target,
                                const LossOptions<T>& options);

template <typename T>
xt::xarray<T> cross_entropy_forward(const xt::xarray<T>& input, const Labels& target,
                                    const LossOptions<T>& options);
template <typename T>
xt::xarray<T> cross_entropy_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const Labels& target, const LossOptions<T>& options);

// Cross-entropy against class probabilities (PyTorch 1.13's float target of the input's shape:
// soft labels, a teacher's softmax): input, target (N, C) or (C) or (N, C, d1, ..., dk).
// loss[n, i] = -sum_c weight[c] q[n, c, i] logp[n, c, i], q = target (label smoothing: (1 - eps)
// target + eps / C). Output: None the input's shape without the class dim; Sum a 0-D sum; Mean
// that sum divided by input.numel() / C (the weights do not enter the divisor; NaN for an empty
// input). options.ignore_index must be negative (there are no class indices to ignore).
template <typename T>
xt::xarray<T> cross_entropy_prob_forward(const xt::xarray<T>& input, const xt::xarray<T>& target,
                                         const LossOptions<T>& options);
// grad_output: the forward output's shape -> grad input: the input's shape
template <typename T>
xt::xarray<T> cross_entropy_prob_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                          const xt::xarray<T>& target, const LossOptions<T>& options);

}  // namespace nnkit
