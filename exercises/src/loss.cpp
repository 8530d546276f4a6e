// Unit `loss` — lesson 5, "Loss". A classifier's last layer gives C scores (logits) per
// sample; softmax turns them into probabilities, log_softmax into their logarithms, and
// nll_loss picks the log-probability of the right class. cross_entropy is both in one,
// with a gradient that is simply softmax(x) - one_hot(target).
// Shapes: input (N, C), (C) or (N, C, d1, ..., dk); target (N), () or (N, d1, ..., dk).
#include "nnkit/kernels/loss.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "nnkit/errors.hpp"

namespace nnkit {

namespace {

// Scaffolding: a shape in PyTorch's notation, "[2, 3, 5, 5]" (its messages use it).
template <typename Shape>
std::string shape_list(const Shape& shape, std::size_t from = 0) {
    std::string s = "[";
    for (std::size_t d = from; d < shape.size(); ++d) s += (d > from ? ", " : "") + std::to_string(shape[d]);
    return s + "]";
}

// Helper functions for your solution can go here.

}  // namespace

// ---------------------------------------------------------------- softmax

template <typename T>
xt::xarray<T> log_softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim) {
    // y = x - log(sum over dim of exp(x)), computed stably: subtract the slice's maximum m first,
    //   y_k = (x_k - m) - log(sum_j exp(x_j - m)).
    // Every slice along `dim` is normalised on its own; the output has the input's shape. A 0-D
    // input is one slice of one element. Rows of -inf, or with +inf or NaN, give NaN (as PyTorch).
    // Errors: a dim outside [-rank, rank) (a 0-D input: [-1, 0]), IndexError
    // "Dimension out of range (expected to be in range of [-2, 1], but got 2)".
    throw NotImplemented("log_softmax_forward", "lessons/05-training/README.md#log-softmax");
}

template <typename T>
xt::xarray<T> log_softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output,
                                   std::ptrdiff_t dim) {
    // With y = log_softmax(x) (the forward's output), along dim:
    //   grad_input_j = grad_output_j - exp(y_j) * sum_k grad_output_k
    // Errors: the forward's dim error, then a grad_output not of the output's shape, ShapeError
    // "log_softmax_backward: grad_output must have the output's shape [2, 3], got [3, 2]".
    throw NotImplemented("log_softmax_backward", "lessons/05-training/README.md#log-softmax");
}

template <typename T>
xt::xarray<T> softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim) {
    // y_k = exp(x_k - m) / sum_j exp(x_j - m) along dim, m the slice's maximum (the same value as
    // without m, but no exp overflows). Same shapes and errors as log_softmax_forward.
    throw NotImplemented("softmax_forward", "lessons/05-training/README.md#softmax");
}

template <typename T>
xt::xarray<T> softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output, std::ptrdiff_t dim) {
    // With y = softmax(x) along dim: grad_input_j = y_j * (grad_output_j - sum_k grad_output_k * y_k).
    // Errors: as log_softmax_backward, e.g. ShapeError "softmax_backward: grad_output must have the output's shape
    // [2, 3], got [2, 3, 1]".
    throw NotImplemented("softmax_backward", "lessons/05-training/README.md#softmax");
}

// ---------------------------------------------------------------- nll_loss

template <typename T>
xt::xarray<T> nll_loss_forward(const xt::xarray<T>& input, const Labels& target, const LossOptions<T>& options) {
    // loss[n, i] = -weight[t] * input[n, t, i] with t = target[n, i], the inner index i running over
    // the positions d1...dk (none for (N, C) and (C)); 0 where t == ignore_index. Then
    //   None: the losses, in the target's shape (a (C) input: 0-D);  Sum: their sum (0-D);
    //   Mean: their sum / the sum of weight[t] over the targets that count (0 / 0 = NaN).
    // Without a weight every weight[t] is 1. Accumulate in double, as PyTorch does.
    // Errors, in PyTorch's order and words (see the lesson for all of them):
    //   a 0-D input, ValueError "Expected 1 or more dimensions (got 0)";
    //   input batch != target batch (not for a (C) input; a 0-D target's batch is 0), ValueError
    //     "Expected input batch_size (3) to match target batch_size (2).";
    //   for (C) and (N, C) inputs, ShapeError: a target of 2 or more dims, "0D or 1D target tensor expected,
    //     multi-target not supported"; a (C) input with a 1-D target of another length than C, "size mismatch
    //     (got input: [4], target: [1])"; a weight that is not (C), "weight tensor should be defined either for
    //     all 4 classes or no classes but got weight tensor of shape: [3]";
    //   for 4-D inputs, ShapeError: a target that is not 3-D, "only batches of spatial targets supported (3D
    //     tensors) but got targets of dimension: 2"; a target not (N, H, W), "size mismatch (got input: [2, 3, 5,
    //     5] , target: [2, 5, 4]" (sic); for 3-D and 5-D or more a target not (N, d1, ..., dk), "Expected target
    //     size [2, 5], got [2, 4]"; then a weight without C elements, "weight tensor should be defined either for
    //     all or no classes";
    //   a target outside [0, C) that is not ignore_index, IndexError "Target 4 is out of bounds.".
    throw NotImplemented("nll_loss_forward", "lessons/05-training/README.md#nll-loss");
}

template <typename T>
xt::xarray<T> nll_loss_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input, const Labels& target,
                                const LossOptions<T>& options) {
    // Only the picked entries get a gradient: grad_input[n, t, i] = -weight[t] * g, where g is
    // grad_output[n, i] (None), grad_output (Sum) or grad_output / (the Mean's divisor); every other
    // entry, and every ignored position, is 0. The result has the input's shape.
    // Errors: those of nll_loss_forward, then a grad_output not of the forward output's shape, ShapeError
    // "nll_loss_backward: grad_output must have the output's shape [6], got [6, 5]" (Mean, Sum: []).
    throw NotImplemented("nll_loss_backward", "lessons/05-training/README.md#nll-loss");
}

// ---------------------------------------------------------------- cross_entropy

template <typename T>
xt::xarray<T> cross_entropy_forward(const xt::xarray<T>& input, const Labels& target,
                                    const LossOptions<T>& options) {
    // cross_entropy(x, t) = nll_loss(log_softmax(x, class dim), t) with the same options, the class dim
    // being 1 (or 0 for a (C) input). With label_smoothing eps > 0 the target becomes
    // (1 - eps) * one_hot(t) + eps / C: each counted position's loss is
    //   (1 - eps) * (-weight[t] * logp[t]) + (eps / C) * (-sum_c weight[c] * logp[c]),
    // reduced as in nll_loss (Mean divides both parts by the same sum of weight[t]). eps <= 0: no smoothing.
    // Errors: first eps > 1, ValueError "label_smoothing must be between 0.0 and 1.0. Got: 1.5"; then those
    // of nll_loss_forward.
    throw NotImplemented("cross_entropy_forward", "lessons/05-training/README.md#cross-entropy");
}

template <typename T>
xt::xarray<T> cross_entropy_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const Labels& target, const LossOptions<T>& options) {
    // Without smoothing and weights, the gradient of the loss at a counted position is softmax(x) - one_hot(t),
    // times g (grad_output[n, i] for None, grad_output for Sum, grad_output / the Mean's divisor). In general, with
    // q_c = (1 - eps) * weight[t] * [c == t] + (eps / C) * weight[c]:
    //   grad_input[n, c, i] = g * (p_c * sum_k q_k - q_c),   p = softmax(x) along the class dim,
    // and 0 at ignored positions. Errors: those of cross_entropy_forward, then a grad_output not of the forward
    // output's shape, "cross_entropy_backward: grad_output must have the output's shape [6], got [6, 5]".
    throw NotImplemented("cross_entropy_backward", "lessons/05-training/README.md#cross-entropy");
}

// ---------------------------------------------------------------- cross_entropy with class probabilities

template <typename T>
xt::xarray<T> cross_entropy_prob_forward(const xt::xarray<T>& input, const xt::xarray<T>& target,
                                         const LossOptions<T>& options) {
    // As cross_entropy_forward, with the target a distribution over the classes instead of an index:
    //   loss[n, i] = -sum_c weight[c] * q[n, c, i] * logp[n, c, i],   logp = log_softmax(x) along the class dim,
    // q = target, or (1 - eps) * target + eps / C with label_smoothing eps > 0. None: the input's shape without
    // the class dim (0-D for a (C) input); Sum: the sum; Mean: the sum / (input.size() / C), NaN if the input
    // is empty (the weights are not in the divisor here). Errors, in this order: a target of another shape
    // (ShapeError "cross_entropy: a target of class probabilities must have the input's shape [3, 4], got [3]
    // (class indices are a Labels target)"); a 0-D input (IndexError "Dimension specified as 1 but tensor has
    // no dimensions"); ignore_index >= 0 (ValueError "ignore_index is not supported for floating point
    // target"); a weight not of shape (C) (ShapeError "cross_entropy: weight tensor should be defined either
    // for all 4 classes or no classes but got weight tensor of shape: [3]"); label_smoothing > 1.
    throw NotImplemented("cross_entropy_prob_forward", "lessons/05-training/README.md#class-probabilities");
}

template <typename T>
xt::xarray<T> cross_entropy_prob_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                          const xt::xarray<T>& target, const LossOptions<T>& options) {
    // With u_c = weight[c] * q_c (q as in the forward), the loss at (n, i) is -sum_c u_c logp_c, and
    //   grad_input[n, c, i] = g * (p_c * sum_k u_k - u_c),   p = softmax(x) along the class dim,
    // g = grad_output[n, i] (None), grad_output (Sum) or grad_output / (input.size() / C) (Mean). A target
    // that sums to 1 without weights gives p - target, as for class indices. Errors: the forward's, then a
    // grad_output not of the forward output's shape ("cross_entropy_prob_backward: grad_output must have the
    // output's shape [3], got [3, 4]").
    throw NotImplemented("cross_entropy_prob_backward", "lessons/05-training/README.md#class-probabilities");
}

#define NNKIT_LOSS_INSTANTIATE(T)                                                                              \
    template xt::xarray<T> log_softmax_forward(const xt::xarray<T>&, std::ptrdiff_t);                          \
    template xt::xarray<T> log_softmax_backward(const xt::xarray<T>&, const xt::xarray<T>&, std::ptrdiff_t);   \
    template xt::xarray<T> softmax_forward(const xt::xarray<T>&, std::ptrdiff_t);                              \
    template xt::xarray<T> softmax_backward(const xt::xarray<T>&, const xt::xarray<T>&, std::ptrdiff_t);       \
    template xt::xarray<T> nll_loss_forward(const xt::xarray<T>&, const Labels&, const LossOptions<T>&);       \
    template xt::xarray<T> nll_loss_backward(const xt::xarray<T>&, const xt::xarray<T>&, const Labels&,        \
                                             const LossOptions<T>&);                                           \
    template xt::xarray<T> cross_entropy_forward(const xt::xarray<T>&, const Labels&, const LossOptions<T>&);  \
    template xt::xarray<T> cross_entropy_backward(const xt::xarray<T>&, const xt::xarray<T>&, const Labels&,   \
                                                  const LossOptions<T>&);                                      \
    template xt::xarray<T> cross_entropy_prob_forward(const xt::xarray<T>&, const xt::xarray<T>&,             \
                                                      const LossOptions<T>&);                                  \
    template xt::xarray<T> cross_entropy_prob_backward(const xt::xarray<T>&, const xt::xarray<T>&,            \
                                                       const xt::xarray<T>&, const LossOptions<T>&);
NNKIT_LOSS_INSTANTIATE(float)
NNKIT_LOSS_INSTANTIATE(double)

}  // namespace nnkit
