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

// BEGIN SOLUTION
// A dimension in [-rank, rank) as an index; a 0-D array has the dimensions -1 and 0.
std::size_t wrap_dim(std::ptrdiff_t dim, std::size_t rank) {
    const std::ptrdiff_t r = rank == 0 ? 1 : std::ptrdiff_t(rank);
    if (dim < -r || dim >= r)
        throw IndexError("Dimension out of range (expected to be in range of [" + std::to_string(-r) + ", " +
                         std::to_string(r - 1) + "], but got " + std::to_string(dim) + ")");
    return std::size_t(dim < 0 ? dim + r : dim);
}

// The array seen as (outer, n, inner) around one dimension: element (o, k, i) sits at
// (o * n + k) * inner + i, so one softmax runs over k with stride `inner`.
struct Along {
    std::size_t outer = 1, n = 1, inner = 1;
};

template <typename Shape>
Along along(const Shape& shape, std::size_t d) {
    Along a;
    if (shape.size() == 0) return a;
    for (std::size_t j = 0; j < d; ++j) a.outer *= shape[j];
    a.n = shape[d];
    for (std::size_t j = d + 1; j < shape.size(); ++j) a.inner *= shape[j];
    return a;
}

template <typename T>
void check_grad_shape(const char* function, const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    if (grad_output.shape() != output.shape())
        throw ShapeError(std::string(function) + ": grad_output must have the output's shape " +
                         shape_list(output.shape()) + ", got " + shape_list(grad_output.shape()));
}

// Calls body(values, offset of element 0, stride) once per slice along `dim`.
template <typename Body>
void for_each_slice(const Along& a, Body body) {
    if (a.outer == 0 || a.n == 0 || a.inner == 0) return;  // an empty tensor: nothing to visit, though a dim be 2^31
    for (std::size_t o = 0; o < a.outer; ++o)
        for (std::size_t i = 0; i < a.inner; ++i) body(o * a.n * a.inner + i, a.inner);
}

// The layout of a loss's input: N samples, C classes, `inner` positions per sample.
struct LossLayout {
    std::size_t N = 1, C = 0, inner = 1;
    bool unbatched = false;  // input (C): one sample, a 0-D result
};

// PyTorch 1.13's checks (nll_loss_nd, then nll_loss or nll_loss2d), in its order and words.
template <typename T>
LossLayout check_loss_args(const xt::xarray<T>& input, const Labels& target, const xt::xarray<T>* weight) {
    const std::size_t dim = input.dimension();
    if (dim < 1) throw ValueError("Expected 1 or more dimensions (got 0)");
    const std::size_t target_batch = target.dimension() == 0 ? 0 : target.shape(0);
    if (dim != 1 && input.shape(0) != target_batch)
        throw ValueError("Expected input batch_size (" + std::to_string(input.shape(0)) +
                         ") to match target batch_size (" + std::to_string(target_batch) + ").");
    LossLayout l;
    if (dim <= 2) {
        if (target.dimension() > 1) throw ShapeError("0D or 1D target tensor expected, multi-target not supported");
        const bool no_batch_dim = dim == 1 && target.dimension() == 0;
        if (!no_batch_dim && input.shape(0) != target_batch)
            throw ShapeError("size mismatch (got input: " + shape_list(input.shape()) +
                             ", target: " + shape_list(target.shape()) + ")");
        l.unbatched = dim == 1;
        l.N = dim == 1 ? 1 : input.shape(0);
        l.C = input.shape(dim - 1);
        if (weight && (weight->dimension() != 1 || weight->size() != l.C))
            throw ShapeError("weight tensor should be defined either for all " + std::to_string(l.C) +
                             " classes or no classes but got weight tensor of shape: " +
                             shape_list(weight->shape()));
        return l;
    }
    if (dim == 4) {
        if (target.dimension() != 3)
            throw ShapeError("only batches of spatial targets supported (3D tensors) but got targets of dimension: " +
                             std::to_string(target.dimension()));
        if (target.shape(0) != input.shape(0) || target.shape(1) != input.shape(2) || target.shape(2) != input.shape(3))
            throw ShapeError("size mismatch (got input: " + shape_list(input.shape()) +
                             " , target: " + shape_list(target.shape()));
    } else {
        // 3-D and 5-D or more: the target must be (N, d1, ..., dk).
        bool same = target.dimension() == dim - 1;
        for (std::size_t d = 2; same && d < dim; ++d) same = target.shape(d - 1) == input.shape(d);
        if (!same) {
            std::vector<std::size_t> want{input.shape(0)};
            for (std::size_t d = 2; d < dim; ++d) want.push_back(input.shape(d));
            throw ShapeError("Expected target size " + shape_list(want) + ", got " + shape_list(target.shape()));
        }
    }
    l.N = input.shape(0);
    l.C = input.shape(1);
    for (std::size_t d = 2; d < dim; ++d) l.inner *= input.shape(d);
    if (weight && weight->size() != l.C)
        throw ShapeError("weight tensor should be defined either for all or no classes");
    return l;
}

// One target's class, checked: the ignored ones give -1.
std::int64_t class_of(std::int64_t t, const LossLayout& l, std::int64_t ignore_index) {
    if (t == ignore_index) return -1;
    if (t < 0 || t >= std::int64_t(l.C)) throw IndexError("Target " + std::to_string(t) + " is out of bounds.");
    return t;
}

// The target of sample n at position i (a 1-D input reads the target's first element).
std::int64_t target_at(const Labels& target, const LossLayout& l, std::size_t n, std::size_t i) {
    return target.data()[n * l.inner + i];
}

template <typename T>
double class_weight(const xt::xarray<T>* weight, std::int64_t c) {
    return weight ? double(weight->data()[c]) : 1.0;
}

// The mean's divisor: the summed weights of the targets that count.
template <typename T>
double counted_weight(const Labels& target, const LossLayout& l, const LossOptions<T>& o) {
    double total = 0;
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            const std::int64_t c = class_of(target_at(target, l, n, i), l, o.ignore_index);
            if (c >= 0) total += class_weight(o.weight, c);
        }
    return total;
}

// Shape of the per-element losses: the target's (a 1-D input gives 0-D).
template <typename T>
xt::xarray<T> per_element(const Labels& target, const LossLayout& l) {
    if (l.unbatched) return xt::xarray<T>::from_shape({});
    return xt::xarray<T>::from_shape(target.shape());
}

template <typename T>
xt::xarray<T> scalar(double v) {
    xt::xarray<T> out = xt::xarray<T>::from_shape({});
    out() = T(v);
    return out;
}

// The gradient's factor per element: grad_output's element for None, its only value
// for Sum, that divided by the counted weight for Mean.
template <typename T>
struct GradScale {
    const xt::xarray<T>& grad_output;
    Reduction reduction;
    double divisor;
    double at(std::size_t element) const {
        if (reduction == Reduction::None) return double(grad_output.data()[element]);
        const double g = double(grad_output.data()[0]);
        return reduction == Reduction::Mean ? g / divisor : g;
    }
};

template <typename T>
void check_loss_grad(const char* function, const xt::xarray<T>& grad_output, const Labels& target,
                     const LossLayout& l, Reduction reduction) {
    const xt::xarray<T> want = reduction == Reduction::None ? per_element<T>(target, l) : scalar<T>(0);
    check_grad_shape(function, grad_output, want);
}

// PyTorch 1.13's checks of a class-probability target (cross_entropy_loss with equal shapes,
// then cross_entropy_loss_prob_target), in its order; the shapes are nnkit's own rule, since
// PyTorch takes another shape as class indices.
template <typename T>
LossLayout check_prob_args(const xt::xarray<T>& input, const xt::xarray<T>& target, const LossOptions<T>& o) {
    if (!std::equal(input.shape().begin(), input.shape().end(), target.shape().begin(), target.shape().end()))
        throw ShapeError("cross_entropy: a target of class probabilities must have the input's shape " +
                         shape_list(input.shape()) + ", got " + shape_list(target.shape()) +
                         " (class indices are a Labels target)");
    if (input.dimension() == 0) throw IndexError("Dimension specified as 1 but tensor has no dimensions");
    if (o.ignore_index >= 0) throw ValueError("ignore_index is not supported for floating point target");
    LossLayout l;
    l.unbatched = input.dimension() == 1;
    l.N = l.unbatched ? 1 : input.shape(0);
    l.C = input.shape(l.unbatched ? 0 : 1);
    for (std::size_t d = 2; d < input.dimension(); ++d) l.inner *= input.shape(d);
    if (o.weight && (o.weight->dimension() != 1 || o.weight->size() != l.C))
        throw ShapeError("cross_entropy: weight tensor should be defined either for all " + std::to_string(l.C) +
                         " classes or no classes but got weight tensor of shape: " + shape_list(o.weight->shape()));
    return l;
}

// The output of a class-probability loss with reduction None: the input without its class dim.
template <typename T>
xt::xarray<T> per_position(const xt::xarray<T>& input, const LossLayout& l) {
    if (l.unbatched) return xt::xarray<T>::from_shape({});
    std::vector<std::size_t> shape{input.shape(0)};
    for (std::size_t d = 2; d < input.dimension(); ++d) shape.push_back(input.shape(d));
    return xt::xarray<T>::from_shape(shape);
}

void check_smoothing(double label_smoothing) {
    if (label_smoothing > 1.0) {
        std::ostringstream got;  // as PyTorch prints a double: 1.5, 2, 1.25
        got << label_smoothing;
        throw ValueError("label_smoothing must be between 0.0 and 1.0. Got: " + got.str());
    }
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION

}  // namespace

// ---------------------------------------------------------------- softmax

template <typename T>
xt::xarray<T> log_softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim) {
    // BEGIN SOLUTION
    const Along a = along(input.shape(), wrap_dim(dim, input.dimension()));
    xt::xarray<T> out = xt::xarray<T>::from_shape(input.shape());
    const T* x = input.data();
    T* y = out.data();
    for_each_slice(a, [&](std::size_t base, std::size_t stride) {
        if (a.n == 0) return;
        // log(sum_k exp(x_k)) = m + log(sum_k exp(x_k - m)) with m the largest x_k: every exp
        // is then at most 1, where exp(x_k) alone overflows for x_k > 88 in float.
        T m = -std::numeric_limits<T>::infinity();
        for (std::size_t k = 0; k < a.n; ++k) m = std::max(m, x[base + k * stride]);
        T sum = 0;
        for (std::size_t k = 0; k < a.n; ++k) sum += std::exp(x[base + k * stride] - m);
        const T log_sum = std::log(sum);
        for (std::size_t k = 0; k < a.n; ++k) y[base + k * stride] = x[base + k * stride] - m - log_sum;
    });
    return out;
    // STUB
    // y = x - log(sum over dim of exp(x)), computed stably: subtract the slice's maximum m first,
    //   y_k = (x_k - m) - log(sum_j exp(x_j - m)).
    // Every slice along `dim` is normalised on its own; the output has the input's shape. A 0-D
    // input is one slice of one element. Rows of -inf, or with +inf or NaN, give NaN (as PyTorch).
    // Errors: a dim outside [-rank, rank) (a 0-D input: [-1, 0]), IndexError
    // "Dimension out of range (expected to be in range of [-2, 1], but got 2)".
    //> throw NotImplemented("log_softmax_forward", "lessons/05-training/README.md#log-softmax");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> log_softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output,
                                   std::ptrdiff_t dim) {
    // BEGIN SOLUTION
    const Along a = along(output.shape(), wrap_dim(dim, output.dimension()));
    check_grad_shape("log_softmax_backward", grad_output, output);
    xt::xarray<T> grad = xt::xarray<T>::from_shape(output.shape());
    const T* g = grad_output.data();
    const T* y = output.data();
    T* dx = grad.data();
    for_each_slice(a, [&](std::size_t base, std::size_t stride) {
        // y = x - logsumexp(x): dy_k/dx_j = δ_kj - softmax_j, so dx_j = g_j - exp(y_j) · sum_k g_k.
        T sum = 0;
        for (std::size_t k = 0; k < a.n; ++k) sum += g[base + k * stride];
        for (std::size_t k = 0; k < a.n; ++k)
            dx[base + k * stride] = g[base + k * stride] - std::exp(y[base + k * stride]) * sum;
    });
    return grad;
    // STUB
    // With y = log_softmax(x) (the forward's output), along dim:
    //   grad_input_j = grad_output_j - exp(y_j) * sum_k grad_output_k
    // Errors: the forward's dim error, then a grad_output not of the output's shape, ShapeError
    // "log_softmax_backward: grad_output must have the output's shape [2, 3], got [3, 2]".
    //> throw NotImplemented("log_softmax_backward", "lessons/05-training/README.md#log-softmax");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> softmax_forward(const xt::xarray<T>& input, std::ptrdiff_t dim) {
    // BEGIN SOLUTION
    const Along a = along(input.shape(), wrap_dim(dim, input.dimension()));
    xt::xarray<T> out = xt::xarray<T>::from_shape(input.shape());
    const T* x = input.data();
    T* y = out.data();
    for_each_slice(a, [&](std::size_t base, std::size_t stride) {
        if (a.n == 0) return;
        T m = -std::numeric_limits<T>::infinity();
        for (std::size_t k = 0; k < a.n; ++k) m = std::max(m, x[base + k * stride]);
        T sum = 0;
        for (std::size_t k = 0; k < a.n; ++k) sum += y[base + k * stride] = std::exp(x[base + k * stride] - m);
        for (std::size_t k = 0; k < a.n; ++k) y[base + k * stride] /= sum;
    });
    return out;
    // STUB
    // y_k = exp(x_k - m) / sum_j exp(x_j - m) along dim, m the slice's maximum (the same value as
    // without m, but no exp overflows). Same shapes and errors as log_softmax_forward.
    //> throw NotImplemented("softmax_forward", "lessons/05-training/README.md#softmax");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> softmax_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output, std::ptrdiff_t dim) {
    // BEGIN SOLUTION
    const Along a = along(output.shape(), wrap_dim(dim, output.dimension()));
    check_grad_shape("softmax_backward", grad_output, output);
    xt::xarray<T> grad = xt::xarray<T>::from_shape(output.shape());
    const T* g = grad_output.data();
    const T* y = output.data();
    T* dx = grad.data();
    for_each_slice(a, [&](std::size_t base, std::size_t stride) {
        // dy_k/dx_j = y_k (δ_kj - y_j), so dx_j = y_j (g_j - sum_k g_k y_k).
        T dot = 0;
        for (std::size_t k = 0; k < a.n; ++k) dot += g[base + k * stride] * y[base + k * stride];
        for (std::size_t k = 0; k < a.n; ++k)
            dx[base + k * stride] = y[base + k * stride] * (g[base + k * stride] - dot);
    });
    return grad;
    // STUB
    // With y = softmax(x) along dim: grad_input_j = y_j * (grad_output_j - sum_k grad_output_k * y_k).
    // Errors: as log_softmax_backward, e.g. ShapeError "softmax_backward: grad_output must have the output's shape
    // [2, 3], got [2, 3, 1]".
    //> throw NotImplemented("softmax_backward", "lessons/05-training/README.md#softmax");
    // END SOLUTION
}

// ---------------------------------------------------------------- nll_loss

template <typename T>
xt::xarray<T> nll_loss_forward(const xt::xarray<T>& input, const Labels& target, const LossOptions<T>& options) {
    // BEGIN SOLUTION
    const LossLayout l = check_loss_args(input, target, options.weight);
    xt::xarray<T> losses = per_element<T>(target, l);
    double total = 0, total_weight = 0;  // double, as PyTorch accumulates float losses
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            const std::int64_t c = class_of(target_at(target, l, n, i), l, options.ignore_index);
            double loss = 0;
            if (c >= 0) {
                const double w = class_weight(options.weight, c);
                loss = -w * double(input.data()[(n * l.C + std::size_t(c)) * l.inner + i]);
                total += loss, total_weight += w;
            }
            if (options.reduction == Reduction::None) losses.data()[n * l.inner + i] = T(loss);
        }
    if (options.reduction == Reduction::None) return losses;
    // Mean: 0 / 0 = NaN when no target counts, as in PyTorch.
    return scalar<T>(options.reduction == Reduction::Sum ? total : total / total_weight);
    // STUB
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
    //> throw NotImplemented("nll_loss_forward", "lessons/05-training/README.md#nll-loss");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> nll_loss_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input, const Labels& target,
                                const LossOptions<T>& options) {
    // BEGIN SOLUTION
    const LossLayout l = check_loss_args(input, target, options.weight);
    check_loss_grad("nll_loss_backward", grad_output, target, l, options.reduction);
    xt::xarray<T> grad = xt::zeros<T>(input.shape());
    const GradScale<T> scale{grad_output, options.reduction,
                             options.reduction == Reduction::Mean ? counted_weight(target, l, options) : 1.0};
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            const std::int64_t c = class_of(target_at(target, l, n, i), l, options.ignore_index);
            if (c < 0) continue;
            grad.data()[(n * l.C + std::size_t(c)) * l.inner + i] =
                T(-class_weight(options.weight, c) * scale.at(n * l.inner + i));
        }
    return grad;
    // STUB
    // Only the picked entries get a gradient: grad_input[n, t, i] = -weight[t] * g, where g is
    // grad_output[n, i] (None), grad_output (Sum) or grad_output / (the Mean's divisor); every other
    // entry, and every ignored position, is 0. The result has the input's shape.
    // Errors: those of nll_loss_forward, then a grad_output not of the forward output's shape, ShapeError
    // "nll_loss_backward: grad_output must have the output's shape [6], got [6, 5]" (Mean, Sum: []).
    //> throw NotImplemented("nll_loss_backward", "lessons/05-training/README.md#nll-loss");
    // END SOLUTION
}

// ---------------------------------------------------------------- cross_entropy

template <typename T>
xt::xarray<T> cross_entropy_forward(const xt::xarray<T>& input, const Labels& target,
                                    const LossOptions<T>& options) {
    // BEGIN SOLUTION
    check_smoothing(options.label_smoothing);
    const std::ptrdiff_t class_dim = input.dimension() == 1 ? 0 : 1;
    if (input.dimension() == 0) check_loss_args(input, target, options.weight);
    const xt::xarray<T> logp = log_softmax_forward(input, class_dim);
    xt::xarray<T> nll = nll_loss_forward(logp, target, options);
    const double eps = options.label_smoothing;
    if (!(eps > 0)) return nll;
    // Label smoothing: the target is (1 - eps) one_hot(t) + eps / C everywhere, so each counted
    // position adds eps / C times -sum_c weight[c] logp[n, c, i] to (1 - eps) times the nll.
    const LossLayout l = check_loss_args(input, target, options.weight);
    xt::xarray<T> smooth = per_element<T>(target, l);
    double total = 0;
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            double s = 0;
            if (class_of(target_at(target, l, n, i), l, options.ignore_index) >= 0)
                for (std::size_t c = 0; c < l.C; ++c)
                    s -= class_weight(options.weight, std::int64_t(c)) * double(logp.data()[(n * l.C + c) * l.inner + i]);
            total += s;
            if (options.reduction == Reduction::None) smooth.data()[n * l.inner + i] = T(s);
        }
    const double share = eps / double(l.C);
    if (options.reduction == Reduction::None) {
        for (std::size_t k = 0; k < nll.size(); ++k)
            nll.data()[k] = T((1 - eps) * double(nll.data()[k]) + share * double(smooth.data()[k]));
        return nll;
    }
    if (options.reduction == Reduction::Mean) total /= counted_weight(target, l, options);
    return scalar<T>((1 - eps) * double(nll()) + share * total);
    // STUB
    // cross_entropy(x, t) = nll_loss(log_softmax(x, class dim), t) with the same options, the class dim
    // being 1 (or 0 for a (C) input). With label_smoothing eps > 0 the target becomes
    // (1 - eps) * one_hot(t) + eps / C: each counted position's loss is
    //   (1 - eps) * (-weight[t] * logp[t]) + (eps / C) * (-sum_c weight[c] * logp[c]),
    // reduced as in nll_loss (Mean divides both parts by the same sum of weight[t]). eps <= 0: no smoothing.
    // Errors: first eps > 1, ValueError "label_smoothing must be between 0.0 and 1.0. Got: 1.5"; then those
    // of nll_loss_forward.
    //> throw NotImplemented("cross_entropy_forward", "lessons/05-training/README.md#cross-entropy");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> cross_entropy_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const Labels& target, const LossOptions<T>& options) {
    // BEGIN SOLUTION
    check_smoothing(options.label_smoothing);
    const LossLayout l = check_loss_args(input, target, options.weight);
    check_loss_grad("cross_entropy_backward", grad_output, target, l, options.reduction);
    const xt::xarray<T> p = softmax_forward(input, input.dimension() == 1 ? 0 : 1);
    xt::xarray<T> grad = xt::zeros<T>(input.shape());
    const GradScale<T> scale{grad_output, options.reduction,
                             options.reduction == Reduction::Mean ? counted_weight(target, l, options) : 1.0};
    const double eps = options.label_smoothing > 0 ? options.label_smoothing : 0.0;
    double all_weights = 0;  // sum_c weight[c]
    for (std::size_t c = 0; c < l.C; ++c) all_weights += class_weight(options.weight, std::int64_t(c));
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            const std::int64_t t = class_of(target_at(target, l, n, i), l, options.ignore_index);
            if (t < 0) continue;
            const double s = scale.at(n * l.inner + i);
            // The loss is -sum_c q_c logp_c with q_c = (1 - eps) w_t [c = t] + (eps / C) w_c, and
            // d(-sum_c q_c logp_c)/dx_j = p_j sum_c q_c - q_j: softmax minus the (weighted) target.
            const double q_sum = (1 - eps) * class_weight(options.weight, t) + eps / double(l.C) * all_weights;
            for (std::size_t c = 0; c < l.C; ++c) {
                const std::size_t at = (n * l.C + c) * l.inner + i;
                double q = eps / double(l.C) * class_weight(options.weight, std::int64_t(c));
                if (std::int64_t(c) == t) q += (1 - eps) * class_weight(options.weight, t);
                grad.data()[at] = T(s * (double(p.data()[at]) * q_sum - q));
            }
        }
    return grad;
    // STUB
    // Without smoothing and weights, the gradient of the loss at a counted position is softmax(x) - one_hot(t),
    // times g (grad_output[n, i] for None, grad_output for Sum, grad_output / the Mean's divisor). In general, with
    // q_c = (1 - eps) * weight[t] * [c == t] + (eps / C) * weight[c]:
    //   grad_input[n, c, i] = g * (p_c * sum_k q_k - q_c),   p = softmax(x) along the class dim,
    // and 0 at ignored positions. Errors: those of cross_entropy_forward, then a grad_output not of the forward
    // output's shape, "cross_entropy_backward: grad_output must have the output's shape [6], got [6, 5]".
    //> throw NotImplemented("cross_entropy_backward", "lessons/05-training/README.md#cross-entropy");
    // END SOLUTION
}

// ---------------------------------------------------------------- cross_entropy with class probabilities

template <typename T>
xt::xarray<T> cross_entropy_prob_forward(const xt::xarray<T>& input, const xt::xarray<T>& target,
                                         const LossOptions<T>& options) {
    // BEGIN SOLUTION
    const LossLayout l = check_prob_args(input, target, options);
    check_smoothing(options.label_smoothing);
    const xt::xarray<T> logp = log_softmax_forward(input, l.unbatched ? 0 : 1);
    const double eps = options.label_smoothing > 0 ? options.label_smoothing : 0.0;
    xt::xarray<T> out = per_position(input, l);
    double total = 0;
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            double s = 0;
            for (std::size_t c = 0; c < l.C; ++c) {
                const std::size_t at = (n * l.C + c) * l.inner + i;
                const double q = (1 - eps) * double(target.data()[at]) + eps / double(l.C);
                s -= class_weight(options.weight, std::int64_t(c)) * q * double(logp.data()[at]);
            }
            total += s;
            if (options.reduction == Reduction::None) out.data()[n * l.inner + i] = T(s);
        }
    if (options.reduction == Reduction::None) return out;
    if (options.reduction == Reduction::Sum) return scalar<T>(total);
    // The mean over positions, N·d1·...·dk = numel / C; an empty input has none: NaN, as 0/0.
    return scalar<T>(input.size() == 0 ? std::nan("") : total / double(l.N * l.inner));
    // STUB
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
    //> throw NotImplemented("cross_entropy_prob_forward", "lessons/05-training/README.md#class-probabilities");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> cross_entropy_prob_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                          const xt::xarray<T>& target, const LossOptions<T>& options) {
    // BEGIN SOLUTION
    const LossLayout l = check_prob_args(input, target, options);
    check_smoothing(options.label_smoothing);
    check_grad_shape("cross_entropy_prob_backward", grad_output,
                     options.reduction == Reduction::None ? per_position(input, l) : scalar<T>(0));
    const xt::xarray<T> p = softmax_forward(input, l.unbatched ? 0 : 1);
    const double eps = options.label_smoothing > 0 ? options.label_smoothing : 0.0;
    xt::xarray<T> grad = xt::zeros<T>(input.shape());
    for (std::size_t n = 0; n < l.N; ++n)
        for (std::size_t i = 0; i < l.inner; ++i) {
            double g = 0;
            if (options.reduction == Reduction::None) g = double(grad_output.data()[n * l.inner + i]);
            else if (options.reduction == Reduction::Sum) g = double(grad_output());
            else g = double(grad_output()) / double(l.N * l.inner);
            // With u_c = weight[c] q_c the loss is -sum_c u_c logp_c, whose gradient is p_j sum_c u_c - u_j.
            double u_sum = 0;
            for (std::size_t c = 0; c < l.C; ++c) {
                const std::size_t at = (n * l.C + c) * l.inner + i;
                u_sum += class_weight(options.weight, std::int64_t(c)) *
                         ((1 - eps) * double(target.data()[at]) + eps / double(l.C));
            }
            for (std::size_t c = 0; c < l.C; ++c) {
                const std::size_t at = (n * l.C + c) * l.inner + i;
                const double u = class_weight(options.weight, std::int64_t(c)) *
                                 ((1 - eps) * double(target.data()[at]) + eps / double(l.C));
                grad.data()[at] = T(g * (double(p.data()[at]) * u_sum - u));
            }
        }
    return grad;
    // STUB
    // With u_c = weight[c] * q_c (q as in the forward), the loss at (n, i) is -sum_c u_c logp_c, and
    //   grad_input[n, c, i] = g * (p_c * sum_k u_k - u_c),   p = softmax(x) along the class dim,
    // g = grad_output[n, i] (None), grad_output (Sum) or grad_output / (input.size() / C) (Mean). A target
    // that sums to 1 without weights gives p - target, as for class indices. Errors: the forward's, then a
    // grad_output not of the forward output's shape ("cross_entropy_prob_backward: grad_output must have the
    // output's shape [3], got [3, 4]").
    //> throw NotImplemented("cross_entropy_prob_backward", "lessons/05-training/README.md#class-probabilities");
    // END SOLUTION
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
