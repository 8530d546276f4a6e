#include <algorithm>
#include <functional>

#include "nnkit/autograd.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/nn/functional/pooling.hpp"

namespace nnkit::nn {

template <std::size_t D>
Shape AdaptiveSize<D>::resolve(const Shape& input_shape) const {
    // F.adaptive_*_pool2d/3d pass a tuple size through _list_with_default, whose own rank check
    // comes before ATen's (an int size goes straight to ATen; 1-d never takes this path).
    if (values_.size() != D)
        throw ValueError("expected " + std::to_string(D) + " values for a " + std::to_string(D) +
                         "-d output_size, got " + std::to_string(values_.size()));
    if (!scalar_ && D >= 2 && input_shape.size() <= D)  // Python's ValueError, as PyTorch raises it
        throw ValueError("Input dimension should be at least " + std::to_string(D + 1));
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
    for (std::size_t i = 0; i < values_.size(); ++i) s += (i ? ", " : "") + item(values_[i]);
    return s + (values_.size() == 1 ? ",)" : ")");
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

// PyTorch's own check of a size's length, in the words of the function it reaches: the 1-d
// poolings' argument parser takes exactly one int; the 2-d and 3-d ones one or D. "what" is the
// rest of PyTorch's sentence after "<arg> must", which differs from op to op.
const char* count_word(std::size_t D) { return D == 1 ? "one" : D == 2 ? "two" : "three"; }
const char* count_ints(std::size_t D) { return D == 1 ? "one int" : D == 2 ? "two ints" : "three ints"; }

template <std::size_t D>
void check_length(const char* op, const char* arg, const Sizes& a, const std::string& what) {
    if (D == 1 && a.size() != 1)
        throw ValueError(std::string(op) + "() argument '" + arg + "' should contain one int (got " +
                         std::to_string(a.size()) + ")");
    if (D > 1 && a.size() != 1 && a.size() != D && !(std::string(arg) == "stride" && a.size() == 0))
        throw ValueError(std::string(op) + ": " + arg + " must " + what + ", or a tuple of " + count_word(D) + " ints");
}

template <std::size_t D>
void check_lengths(const MaxPoolOptions<D>& o) {
    const std::string op = "max_pool" + std::to_string(D) + "d";
    check_length<D>(op.c_str(), "kernel_size", o.kernel_size_, "either be a single int");
    check_length<D>(op.c_str(), "stride", o.stride_, "either be omitted, a single int");
    check_length<D>(op.c_str(), "padding", o.padding_, "be either be a single int");
    check_length<D>(op.c_str(), "dilation", o.dilation_, "be either a single int");
}

template <std::size_t D>
void check_lengths(const AvgPoolOptions<D>& o) {
    const std::string op = "avg_pool" + std::to_string(D) + "d";
    check_length<D>(op.c_str(), "kernel_size", o.kernel_size_, D == 3 ? "be a single int" : "either be a single int");
    check_length<D>(op.c_str(), "stride", o.stride_, D == 3 ? "be omitted, a single int" : "either be omitted, a single int");
    check_length<D>(op.c_str(), "padding", o.padding_, D == 3 ? "be a single int" : "either be a single int");
}

// F.max_unpool indexes its sizes without checking them (an IndexError, or a message about output_size):
// nnkit takes one int or D, and says so.
template <std::size_t D>
void check_lengths(const MaxUnpoolOptions<D>& o) {
    const std::string op = "max_unpool" + std::to_string(D) + "d";
    for (const auto& [arg, a] : {std::pair<const char*, const Sizes*>{"kernel_size", &o.kernel_size_},
                                 {"stride", &o.stride_},
                                 {"padding", &o.padding_}})
        if (!a->is_scalar() && a->size() != D)
            throw ValueError(op + ": " + arg + " must be a single int, or a tuple of " + count_ints(D) + ", got " +
                             std::to_string(a->size()) + " values");
}

// The adaptive poolings take exactly D sizes.
template <std::size_t D>
void check_output_size(const char* kind, const AdaptiveSize<D>& s) {
    if (s.size() == D) return;
    const std::string op = std::string("adaptive_") + kind + "_pool" + std::to_string(D) + "d";
    if (D == 1)
        throw ValueError(op + "() argument 'output_size' should contain one int (got " + std::to_string(s.size()) + ")");
    if (std::string(kind) == "avg") throw ValueError(op + ": output_size must be " + std::to_string(D));
    throw ValueError(op + "(): internal error: output_size.size() must be " + std::to_string(D));
}

// at::adaptive_avg_pool{2,3}d's first check: no negative size (a negative int given as size_t).
// 1-d runs as 2-d with a leading 1; the 3-d message names 2d, as ATen's does.
template <std::size_t D>
void check_adaptive_signs(const Shape& size) {
    std::vector<std::int64_t> v(size.begin(), size.end());
    if (std::all_of(v.begin(), v.end(), [](std::int64_t x) { return x >= 0; })) return;
    if (D == 1) v.insert(v.begin(), 1);
    std::string shown = "{" + std::to_string(v[0]) + ", " + std::to_string(v[1]);
    if (D == 3) shown += "," + std::to_string(v[2]);
    throw ValueError("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                     "received " + shown + "}");
}

// The output an adaptive pooling is about to allocate, checked as ATen's allocation checks it. It
// runs after the checks the kernel makes itself (rank, empty dims), which come first in PyTorch:
// for an input those refuse, it leaves the kernel to say so. True when the output is empty: the
// kernel's loops are then skipped, as (2^62, 0, 1) windows would take ages to visit none.
template <std::size_t D>
bool check_adaptive_output(bool avg, const Shape& input, const Shape& size) {
    const std::size_t nd = input.size();
    if (nd != D + 1 && nd != D + 2) return false;
    for (std::size_t i = D == 3 ? 1 : nd - D; i < nd; ++i)
        if (input[i] == 0) return false;
    Shape out(input.begin(), input.end() - D);
    if (D == 1) out.push_back(1);  // the 2-d view ATen allocates
    out.insert(out.end(), size.begin(), size.end());
    std::int64_t n = 1;
    for (auto d : out)  // the average's resize_ counts elements first, in int64
        if (avg && __builtin_mul_overflow(n, std::int64_t(d), &n)) throw ValueError("numel: integer multiplication overflow");
    return checked_numel(out) == 0;
}

// The output shape of an adaptive pooling: (*lead, *size).
template <std::size_t D>
Shape adaptive_output_shape(const Shape& input, const Shape& size) {
    Shape out(input.begin(), input.end() - D);
    out.insert(out.end(), size.begin(), size.end());
    return out;
}

// The D sizes as the kernels take them. A negative one is held wrapped (the kernels read their
// sizes back as int64, to name it in PyTorch's words: lessons/04, "Max pooling").
template <std::size_t D>
std::vector<std::size_t> pool_sizes(const Sizes& a) {
    const std::vector<std::int64_t> v = a.expand(D);
    return std::vector<std::size_t>(v.begin(), v.end());
}

// An empty stride is PyTorch's "omitted": the kernel size.
template <std::size_t D>
std::vector<std::size_t> stride_of(const Sizes& stride, const Sizes& kernel_size) {
    return pool_sizes<D>(stride.size() == 0 ? kernel_size : stride);
}

template <std::size_t D>
PoolParams params_of(const MaxPoolOptions<D>& o) {
    return {pool_sizes<D>(o.kernel_size_), stride_of<D>(o.stride_, o.kernel_size_), pool_sizes<D>(o.padding_),
            pool_sizes<D>(o.dilation_), o.ceil_mode_};
}

template <std::size_t D>
AvgPoolParams params_of(const AvgPoolOptions<D>& o) {
    AvgPoolParams p;
    p.kernel_size = pool_sizes<D>(o.kernel_size_);
    p.stride = stride_of<D>(o.stride_, o.kernel_size_);
    p.padding = pool_sizes<D>(o.padding_);
    p.ceil_mode = o.ceil_mode_;
    p.count_include_pad = o.count_include_pad_;
    p.divisor_override = o.divisor_override_;
    return p;
}

}  // namespace

template <std::size_t D>
MaxPoolWithIndices max_pool_with_indices(const Tensor& input, const MaxPoolOptions<D>& options) {
    check_lengths(options);
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
    check_lengths(options);
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
    check_lengths(options);
    const Shape size = unpool_output_size(input.shape(), pool_sizes<D>(options.kernel_size_),
                                          pool_sizes<D>(options.stride_), pool_sizes<D>(options.padding_),
                                          options.output_size_);
    if (input.dim() >= D) {  // the output allocated next, checked as ATen's allocation does
        const Shape in = input.shape();
        Shape out(in.begin(), in.end() - D);
        out.insert(out.end(), size.begin(), size.end());
        checked_numel(out);
    }
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
    check_output_size("avg", output_size);
    const Shape size = output_size.resolve(input.shape());
    check_adaptive_signs<D>(size);
    const bool empty = check_adaptive_output<D>(true, input.shape(), size);
    Array y = empty ? Array::from_shape(adaptive_output_shape<D>(input.shape(), size))
                    : adaptive_avg_pool_forward<float>(input.data(), size);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const Shape input_shape = input.shape();
    const char* name = D == 3 ? "AdaptiveAvgPool3DBackward0" : "AdaptiveAvgPool2DBackward0";
    return record_pool(input, std::move(y), D, name, [input_shape, size, empty](const Array& grad_output) {
        if (empty) return Array(xt::zeros<float>(input_shape));  // no window: no gradient
        return adaptive_avg_pool_backward<float>(grad_output, input_shape, size);
    });
}

template <std::size_t D>
MaxPoolWithIndices adaptive_max_pool_with_indices(const Tensor& input, const AdaptiveSize<D>& output_size) {
    check_output_size("max", output_size);
    const Shape size = output_size.resolve(input.shape());
    MaxPoolResult<float> r;
    const bool empty = check_adaptive_output<D>(false, input.shape(), size);
    if (empty) {
        const Shape out = adaptive_output_shape<D>(input.shape(), size);
        r = {Array::from_shape(out), IndexArray::from_shape(out)};
    } else {
        r = adaptive_max_pool_forward<float>(input.data(), size);
    }
    if (!autograd::should_record({input})) return {Tensor(std::move(r.output)), std::move(r.indices)};
    const Shape input_shape = input.shape();
    const char* name = D == 3 ? "AdaptiveMaxPool3DBackward0" : "AdaptiveMaxPool2DBackward0";
    Tensor y = record_pool(input, std::move(r.output), D, name,
                           [input_shape, size, empty, indices = r.indices](const Array& grad_output) {
                               if (empty) return Array(xt::zeros<float>(input_shape));
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
