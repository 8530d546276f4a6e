#include <algorithm>
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

// numpy's broadcast of two shapes, with at::infer_size's message when a dim is neither 1 nor equal.
Shape broadcast_shape(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {  // i counts from the end
        const std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1, db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw ShapeError("The size of tensor a (" + std::to_string(da) + ") must match the size of tensor b (" +
                             std::to_string(db) + ") at non-singleton dimension " + std::to_string(n - 1 - i));
        out[n - 1 - i] = da == 1 ? db : da;
    }
    return out;
}

// y += bias broadcast to y's shape (an in-place add: the bias may not grow y), or with `grad`, the
// bias's gradient: g summed over the dims the broadcast repeated.
void add_broadcast(Array& y_or_grad, Array& bias, bool grad) {
    const Shape y(y_or_grad.shape().begin(), y_or_grad.shape().end()), b(bias.shape().begin(), bias.shape().end());
    const std::size_t nd = y.size(), lead = nd - b.size();
    std::vector<std::size_t> stride(b.size(), 0);  // the bias's stride per y dim (0 where broadcast)
    std::size_t step = 1;
    for (std::size_t i = b.size(); i-- > 0;) {
        stride[i] = b[i] == 1 ? 0 : step;
        step *= b[i];
    }
    std::vector<std::size_t> at(nd, 0);
    for (std::size_t k = 0; k < y_or_grad.size(); ++k) {
        std::size_t j = 0;
        for (std::size_t i = 0; i < b.size(); ++i) j += at[lead + i] * stride[i];
        if (grad)
            bias.data()[j] += y_or_grad.data()[k];
        else
            y_or_grad.data()[k] += bias.data()[j];
        for (std::size_t d = nd; d-- > 0;) {  // the next multi-index of y
            if (++at[d] < y[d]) break;
            at[d] = 0;
        }
    }
}

// The student's kernel, then PyTorch's node for this path (by the input's rank and the bias).
Tensor linear_kernel(const Tensor& input, const Tensor& weight, const Tensor& bias, const char* name) {
    const bool has_bias = bias.defined();
    Array y = linear_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    const autograd::SavedArray x(input), w(weight);  // shared, not copied
    return autograd::record(std::move(y), {input, weight, bias}, name, [x, w, has_bias](const Array& grad_output) {
        auto g = linear_backward<float>(grad_output, x.get(), w.get(), has_bias);
        return autograd::grads(std::move(g.input), std::move(g.weight), std::move(g.bias));
    });
}

// A bias the kernel does not take, added to the kernel's output: addmm's expand to (rows, out) for a
// 2-d or 3-d input, the in-place add's broadcast for the others.
Tensor linear_broadcast_bias(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    Array y = linear_forward<float>(input.data(), weight.data(), nullptr);  // checks input and weight
    const Shape y_shape(y.shape().begin(), y.shape().end()), bias_shape = bias.shape();
    const bool addmm = input.dim() == 2 || input.dim() == 3;
    const std::size_t out = weight.shape()[0], rows = y.size() / (out ? out : 1);
    const Shape view = {rows, out};
    if (addmm) {
        check_expands(bias_shape, view);
    } else if (broadcast_shape(y_shape, bias_shape) != y_shape) {
        throw ShapeError("output with shape " + sizes(y_shape) + " doesn't match the broadcast shape " +
                         sizes(broadcast_shape(y_shape, bias_shape)));
    }
    Array b = bias.data();
    if (addmm)
        broadcast_bias(y, view, b, false);
    else
        add_broadcast(y, b, false);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    const char* name = !addmm ? "AddBackward0" : input.dim() == 2 ? "AddmmBackward0" : "ViewBackward0";
    const autograd::SavedArray x(input), w(weight);
    return autograd::record(std::move(y), {input, weight, bias}, name,
                            [x, w, view, bias_shape, addmm](const Array& grad_output) {
                                auto g = linear_backward<float>(grad_output, x.get(), w.get(), false);
                                Array gb = xt::zeros<float>(bias_shape);
                                Array go = grad_output;
                                if (addmm)
                                    broadcast_bias(go, view, gb, true);
                                else
                                    add_broadcast(go, gb, true);
                                return autograd::grads(std::move(g.input), std::move(g.weight), std::move(gb));
                            });
}

}  // namespace

// PyTorch 1.13's at::linear: a 2-d input with a bias is addmm, a contiguous 3-d one addmm on its
// (rows, in) view; any other rank is matmul, and a bias is added in place. Each path has its node
// and its rule for the bias; the student's kernel does the product (and adds an (out,) bias).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    const bool has_bias = bias.defined();
    if (weight.dim() == 1 && input.dim() >= 1) {
        if (has_bias) throw ShapeError("mat2 must be a matrix, got 1-D tensor");
        return linear_vector(input, weight);
    }
    if (input.dim() == 0 || weight.dim() != 2) return linear_kernel(input, weight, bias, "AddmmBackward0");  // refused
    const std::size_t rank = input.dim();
    if (!has_bias)
        return linear_kernel(input, weight, bias, rank == 1 ? "SqueezeBackward3" : rank == 2 ? "MmBackward0"
                                                                                             : "UnsafeViewBackward0");
    const bool usual = bias.dim() == 1 && bias.shape()[0] == weight.shape()[0];
    if (usual)
        return linear_kernel(input, weight, bias, rank == 2 ? "AddmmBackward0" : rank == 3 ? "ViewBackward0"
                                                                                           : "AddBackward0");
    return linear_broadcast_bias(input, weight, bias);
}


}  // namespace nnkit::nn::functional
