#include <string>

#include "nnkit/autograd.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/nn/functional/linear.hpp"

namespace nnkit::nn::functional {

namespace {

std::string sizes(const Shape& s) {
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

// PyTorch's addmm expands the bias to (rows, out): numpy's rule, each bias dim 1 or equal, counted
// from the end. Its message when that fails.
void check_expands(const Shape& bias, const Shape& target) {
    if (bias.size() > target.size())
        throw ShapeError("expand(torch.FloatTensor{" + sizes(bias) + "}, size=" + sizes(target) +
                         "): the number of sizes provided (" + std::to_string(target.size()) +
                         ") must be greater or equal to the number of dimensions in the tensor (" +
                         std::to_string(bias.size()) + ")");
    for (std::size_t i = 0; i < bias.size(); ++i) {
        const std::size_t b = bias[bias.size() - 1 - i], t = target[target.size() - 1 - i];
        if (b != 1 && b != t)
            throw ShapeError("The expanded size of the tensor (" + std::to_string(t) + ") must match the existing size (" +
                             std::to_string(b) + ") at non-singleton dimension " +
                             std::to_string(target.size() - 1 - i) + ".  Target sizes: " + sizes(target) +
                             ".  Tensor sizes: " + sizes(bias));
    }
}

// The bias broadcast over y viewed as (rows, out): y[r, o] += bias[r', o'] with broadcast dims read at 0.
// `grad` true: instead sums g (rows, out) into the bias's shape, the gradient of that broadcast.
void broadcast_bias(Array& y_or_grad, const Shape& view, Array& bias, bool grad) {
    const std::size_t rows = view[0], out = view[1];
    const Shape b = Shape(bias.shape().begin(), bias.shape().end());
    const std::size_t b_out = b.empty() ? 1 : b.back();
    const std::size_t b_rows = b.size() == 2 ? b[0] : 1;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t o = 0; o < out; ++o) {
            const std::size_t at = (b_rows == 1 ? 0 : r) * b_out + (b_out == 1 ? 0 : o);
            if (grad)
                bias.data()[at] += y_or_grad.data()[r * out + o];
            else
                y_or_grad.data()[r * out + o] += bias.data()[at];
        }
}

// A 1-d weight (in,): x @ w, PyTorch's matmul, without a bias; its node by the input's rank.
Tensor linear_vector(const Tensor& input, const Tensor& weight) {
    const Shape w2 = {1, weight.shape()[0]};
    Array y = linear_forward<float>(input.data(), Array(xt::reshape_view(weight.data(), w2)), nullptr);
    Shape out = input.shape();
    out.pop_back();
    const Shape y_shape(y.shape().begin(), y.shape().end());
    y.reshape(out);
    if (!autograd::should_record({input, weight})) return Tensor(std::move(y));
    const char* name = input.dim() == 1 ? "DotBackward0" : input.dim() == 2 ? "MvBackward0" : "UnsafeViewBackward0";
    const autograd::SavedArray x(input), w(weight);
    return autograd::record(std::move(y), {input, weight}, name, [x, w, y_shape, w2](const Array& grad_output) {
        const Array g = xt::reshape_view(grad_output, y_shape);
        auto grads = linear_backward<float>(g, x.get(), Array(xt::reshape_view(w.get(), w2)), false);
        return autograd::grads(std::move(grads.input), Array(xt::reshape_view(grads.weight, {w2[1]})));
    });
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    const bool has_bias = bias.defined();
    if (weight.dim() == 1 && input.dim() >= 1) {
        if (has_bias) throw ShapeError("mat2 must be a matrix, got 1-D tensor");
        return linear_vector(input, weight);
    }
    // PyTorch 1.13 adds any bias that its addmm can expand to (rows, out); the student's kernel takes
    // the usual (out,) one, and a 2-d or 3-d input with another broadcastable bias is added here.
    const bool usual = !has_bias || (bias.dim() == 1 && weight.dim() == 2 && bias.shape()[0] == weight.shape()[0]);
    if (usual || input.dim() < 2 || input.dim() > 3 || weight.dim() != 2) {
        Array y = linear_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr);
        if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
        const autograd::SavedArray x(input), w(weight);  // shared, not copied
        return autograd::record(std::move(y), {input, weight, bias}, "AddmmBackward0",
                                [x, w, has_bias](const Array& grad_output) {
                                    auto g = linear_backward<float>(grad_output, x.get(), w.get(), has_bias);
                                    return autograd::grads(std::move(g.input), std::move(g.weight),
                                                           std::move(g.bias));
                                });
    }
    Array y = linear_forward<float>(input.data(), weight.data(), nullptr);  // checks input and weight
    const std::size_t out = weight.shape()[0], rows = y.size() / (out ? out : 1);
    const Shape view = {rows, out}, bias_shape = bias.shape();
    check_expands(bias_shape, view);
    Array b = bias.data();
    broadcast_bias(y, view, b, false);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    const char* name = input.dim() == 2 ? "AddmmBackward0" : "ViewBackward0";  // 3-d: addmm, then a view
    const autograd::SavedArray x(input), w(weight);
    return autograd::record(std::move(y), {input, weight, bias}, name,
                            [x, w, view, bias_shape](const Array& grad_output) {
                                auto g = linear_backward<float>(grad_output, x.get(), w.get(), false);
                                Array gb = xt::zeros<float>(bias_shape);
                                Array go = grad_output;
                                broadcast_bias(go, view, gb, true);
                                return autograd::grads(std::move(g.input), std::move(g.weight), std::move(gb));
                            });
}

}  // namespace nnkit::nn::functional
