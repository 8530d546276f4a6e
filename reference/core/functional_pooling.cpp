#include <functional>
#include "nnkit/autograd.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/nn/functional/pooling.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

template <std::size_t D>
std::string ExpandingArray<D>::repr() const {
    return scalar_ ? std::to_string(values_[0]) : tuple_repr();
}

template <std::size_t D>
std::string ExpandingArray<D>::tuple_repr() const {
    return D == 1 ? "(" + std::to_string(values_[0]) + ",)" : py_tuple(values_);
}

template class ExpandingArray<1>;
template class ExpandingArray<2>;
template class ExpandingArray<3>;

template <std::size_t D>
Shape AdaptiveSize<D>::resolve(const Shape& input_shape) const {
    // F.adaptive_*_pool2d/3d pass a tuple size through _list_with_default, whose own rank check
    // comes before ATen's (an int size goes straight to ATen; 1-d never takes this path).
    if (!scalar_ && D >= 2 && input_shape.size() <= D)
        throw ShapeError("Input dimension should be at least " + std::to_string(D + 1));
    Shape out;
    for (std::size_t i = 0; i < D; ++i) {
        const std::size_t from_end = D - i;  // the input dim this entry stands for, counted from the end
        const std::size_t in = input_shape.size() >= from_end ? input_shape[input_shape.size() - from_end] : 0;
        out.push_back(values_[i].value_or(in));
    }
    return out;
}

template <std::size_t D>
std::string AdaptiveSize<D>::repr() const {
    const auto item = [](const std::optional<std::size_t>& v) { return v ? std::to_string(*v) : std::string("None"); };
    if (scalar_) return item(values_[0]);
    std::string s = "(";
    for (std::size_t i = 0; i < D; ++i) s += (i ? ", " : "") + item(values_[i]);
    return s + (D == 1 ? ",)" : ")");
}

template class AdaptiveSize<1>;
template class AdaptiveSize<2>;
template class AdaptiveSize<3>;

}  // namespace nnkit::nn

namespace nnkit::nn::functional {

namespace {

const char* max_pool_node(std::size_t D) {
    return D == 1 || D == 2 ? "MaxPool2DWithIndicesBackward0" : "MaxPool3DWithIndicesBackward0";
}

// A shape with a 1 inserted before its last dim (PyTorch's unsqueeze(-2), the 1-d poolings) or
// after it (unsqueeze(-1), the 1-d unpooling).
Shape with_one(Shape s, bool after_last) {
    s.insert(after_last ? s.end() : s.end() - 1, 1);
    return s;
}

// Records `y`, pooled from `input`, as PyTorch's graph has it: one node `node` for 2-d and 3-d;
// for 1-d, the unsqueeze, the 2-d node and the squeeze that PyTorch runs (nnkit's kernels pool
// 1-d directly, so only the shapes around the node change). `backward` maps y's gradient to input's.
Tensor record_pool(const Tensor& input, Array y, std::size_t D, const char* node,
                   std::function<Array(const Array&)> backward, bool one_after_last = false) {
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    if (D != 1)
        return autograd::record(std::move(y), {input}, node,
                                [backward](const Array& g) { return autograd::grads(backward(g)); });
    const Shape out(y.shape().begin(), y.shape().end());
    const Shape in2 = with_one(input.shape(), one_after_last), out2 = with_one(out, one_after_last);
    const Tensor x2 = autograd::record_view(input, in2, "UnsqueezeBackward0");
    const Tensor y2 = autograd::record(Array(xt::reshape_view(y, out2)), {x2}, node,
                                       [backward, out, in2](const Array& g) {
                                           const Array g1 = xt::reshape_view(g, out);
                                           const Array gx = backward(g1);
                                           return autograd::grads(Array(xt::reshape_view(gx, in2)));
                                       });
    return autograd::record_view(y2, out, "SqueezeBackward1");
}

template <std::size_t D>
PoolParams params_of(const MaxPoolOptions<D>& o) {
    return {o.kernel_size_.values(), o.stride_.values(), o.padding_.values(), o.dilation_.values(), o.ceil_mode_};
}

template <std::size_t D>
AvgPoolParams params_of(const AvgPoolOptions<D>& o) {
    AvgPoolParams p;
    p.kernel_size = o.kernel_size_.values();
    p.stride = o.stride_.values();
    p.padding = o.padding_.values();
    p.ceil_mode = o.ceil_mode_;
    p.count_include_pad = o.count_include_pad_;
    p.divisor_override = o.divisor_override_;
    return p;
}

}  // namespace

template <std::size_t D>
MaxPoolWithIndices max_pool_with_indices(const Tensor& input, const MaxPoolOptions<D>& options) {
    const PoolParams params = params_of(options);
    MaxPoolResult<float> r = max_pool_forward<float>(input.data(), params);
    MaxPoolWithIndices out;
    out.indices = std::move(r.indices);
    if (!autograd::should_record({input})) {
        out.output = Tensor(std::move(r.output));
        return out;
    }
    const Shape input_shape = input.shape();
    out.output = record_pool(input, std::move(r.output), D, max_pool_node(D),
                             [indices = out.indices, input_shape, params](const Array& grad_output) {
                                 return max_pool_backward<float>(grad_output, indices, input_shape, params);
                             });
    return out;
}

template <std::size_t D>
Tensor max_pool(const Tensor& input, const MaxPoolOptions<D>& options) {
    return max_pool_with_indices<D>(input, options).output;
}

template <std::size_t D>
Tensor avg_pool(const Tensor& input, const AvgPoolOptions<D>& options) {
    const AvgPoolParams params = params_of(options);
    Array y = avg_pool_forward<float>(input.data(), params);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const Shape input_shape = input.shape();
    const char* name = D == 3 ? "AvgPool3DBackward0" : "AvgPool2DBackward0";
    return record_pool(input, std::move(y), D, name, [input_shape, params](const Array& grad_output) {
        return avg_pool_backward<float>(grad_output, input_shape, params);
    });
}

template <std::size_t D>
Tensor max_unpool(const Tensor& input, const IndexArray& indices, const MaxUnpoolOptions<D>& options) {
    const Shape size = unpool_output_size(input.shape(), options.kernel_size_.values(), options.stride_.values(),
                                          options.padding_.values(), options.output_size_);
    Array y = max_unpool_forward<float>(input.data(), indices, size);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const char* name = D == 3 ? "MaxUnpool3DBackward0" : "MaxUnpool2DBackward0";
    return record_pool(
        input, std::move(y), D, name,
        [indices, size](const Array& grad_output) { return max_unpool_backward<float>(grad_output, indices, size); },
        /*one_after_last=*/true);
}

template <std::size_t D>
Tensor adaptive_avg_pool(const Tensor& input, const AdaptiveSize<D>& output_size) {
    const Shape size = output_size.resolve(input.shape());
    Array y = adaptive_avg_pool_forward<float>(input.data(), size);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const Shape input_shape = input.shape();
    const char* name = D == 3 ? "AdaptiveAvgPool3DBackward0" : "AdaptiveAvgPool2DBackward0";
    return record_pool(input, std::move(y), D, name, [input_shape, size](const Array& grad_output) {
        return adaptive_avg_pool_backward<float>(grad_output, input_shape, size);
    });
}

template <std::size_t D>
MaxPoolWithIndices adaptive_max_pool_with_indices(const Tensor& input, const AdaptiveSize<D>& output_size) {
    const Shape size = output_size.resolve(input.shape());
    MaxPoolResult<float> r = adaptive_max_pool_forward<float>(input.data(), size);
    if (!autograd::should_record({input})) return {Tensor(std::move(r.output)), std::move(r.indices)};
    const Shape input_shape = input.shape();
    const char* name = D == 3 ? "AdaptiveMaxPool3DBackward0" : "AdaptiveMaxPool2DBackward0";
    Tensor y = record_pool(input, std::move(r.output), D, name,
                           [input_shape, size, indices = r.indices](const Array& grad_output) {
                               return adaptive_max_pool_backward<float>(grad_output, indices, input_shape, size);
                           });
    return {y, std::move(r.indices)};
}

#define NNKIT_F_POOLING(D)                                                                              \
    template MaxPoolWithIndices max_pool_with_indices<D>(const Tensor&, const MaxPoolOptions<D>&);     \
    template Tensor max_pool<D>(const Tensor&, const MaxPoolOptions<D>&);                              \
    template Tensor avg_pool<D>(const Tensor&, const AvgPoolOptions<D>&);                              \
    template Tensor max_unpool<D>(const Tensor&, const IndexArray&, const MaxUnpoolOptions<D>&);       \
    template Tensor adaptive_avg_pool<D>(const Tensor&, const AdaptiveSize<D>&);                       \
    template MaxPoolWithIndices adaptive_max_pool_with_indices<D>(const Tensor&, const AdaptiveSize<D>&);
NNKIT_F_POOLING(1)
NNKIT_F_POOLING(2)
NNKIT_F_POOLING(3)

}  // namespace nnkit::nn::functional
