#include "nnkit/nn/pooling.hpp"

namespace nnkit::nn {

namespace {
std::string name(const char* kind, std::size_t D) { return kind + std::to_string(D) + "d"; }
}  // namespace

template <std::size_t D>
MaxPoolImpl<D>::MaxPoolImpl(const MaxPoolOptions<D>& o) : Module(name("MaxPool", D)), options(o) {}

template <std::size_t D>
Tensor MaxPoolImpl<D>::forward(const Tensor& input) {
    return functional::max_pool<D>(input, options);
}

template <std::size_t D>
functional::MaxPoolWithIndices MaxPoolImpl<D>::forward_with_indices(const Tensor& input) {
    return functional::max_pool_with_indices<D>(input, options);
}

template <std::size_t D>
std::string MaxPoolImpl<D>::extra_repr() const {
    const auto& o = options;
    return "kernel_size=" + o.kernel_size_.repr() + ", stride=" + o.stride_.repr() + ", padding=" +
           o.padding_.repr() + ", dilation=" + o.dilation_.repr() + ", ceil_mode=" + py_bool(o.ceil_mode_);
}

template <std::size_t D>
AvgPoolImpl<D>::AvgPoolImpl(const AvgPoolOptions<D>& o) : Module(name("AvgPool", D)), options(o) {
    if (D == 1 && o.divisor_override_)
        throw ValueError("AvgPool1d: divisor_override is not an option of AvgPool1d (PyTorch has none)");
}

template <std::size_t D>
Tensor AvgPoolImpl<D>::forward(const Tensor& input) {
    return functional::avg_pool<D>(input, options);
}

template <std::size_t D>
std::string AvgPoolImpl<D>::extra_repr() const {
    // AvgPool1d stores its sizes as 1-tuples (_single), the others as given.
    const auto r = [](const Sizes& a) { return D == 1 ? a.tuple_repr(D) : a.repr(); };
    return "kernel_size=" + r(options.kernel_size_) + ", stride=" + r(options.stride_) + ", padding=" +
           r(options.padding_);
}

template <std::size_t D>
MaxUnpoolImpl<D>::MaxUnpoolImpl(const MaxUnpoolOptions<D>& o) : Module(name("MaxUnpool", D)), options(o) {}

template <std::size_t D>
Tensor MaxUnpoolImpl<D>::forward(const Tensor& input, const IndexArray& indices,
                                 const std::optional<Shape>& output_size) {
    MaxUnpoolOptions<D> o = options;
    if (output_size) o.output_size(output_size);
    return functional::max_unpool<D>(input, indices, o);
}

template <std::size_t D>
std::string MaxUnpoolImpl<D>::extra_repr() const {
    // MaxUnpool stores _single/_pair/_triple tuples, so its repr always shows tuples.
    return "kernel_size=" + options.kernel_size_.tuple_repr(D) + ", stride=" + options.stride_.tuple_repr(D) +
           ", padding=" + options.padding_.tuple_repr(D);
}

template <std::size_t D>
AdaptiveAvgPoolImpl<D>::AdaptiveAvgPoolImpl(const AdaptiveAvgPoolOptions<D>& o)
    : Module(name("AdaptiveAvgPool", D)), options(o) {}

template <std::size_t D>
Tensor AdaptiveAvgPoolImpl<D>::forward(const Tensor& input) {
    return functional::adaptive_avg_pool<D>(input, options.output_size_);
}

template <std::size_t D>
std::string AdaptiveAvgPoolImpl<D>::extra_repr() const {
    return "output_size=" + options.output_size_.repr();
}

template <std::size_t D>
AdaptiveMaxPoolImpl<D>::AdaptiveMaxPoolImpl(const AdaptiveMaxPoolOptions<D>& o)
    : Module(name("AdaptiveMaxPool", D)), options(o) {}

template <std::size_t D>
Tensor AdaptiveMaxPoolImpl<D>::forward(const Tensor& input) {
    return forward_with_indices(input).output;
}

template <std::size_t D>
functional::MaxPoolWithIndices AdaptiveMaxPoolImpl<D>::forward_with_indices(const Tensor& input) {
    return functional::adaptive_max_pool_with_indices<D>(input, options.output_size_);
}

template <std::size_t D>
std::string AdaptiveMaxPoolImpl<D>::extra_repr() const {
    return "output_size=" + options.output_size_.repr();
}

template class MaxPoolImpl<1>;
template class MaxPoolImpl<2>;
template class MaxPoolImpl<3>;
template class AvgPoolImpl<1>;
template class AvgPoolImpl<2>;
template class AvgPoolImpl<3>;
template class MaxUnpoolImpl<1>;
template class MaxUnpoolImpl<2>;
template class MaxUnpoolImpl<3>;
template class AdaptiveAvgPoolImpl<1>;
template class AdaptiveAvgPoolImpl<2>;
template class AdaptiveMaxPoolImpl<1>;
template class AdaptiveMaxPoolImpl<2>;
template class AdaptiveMaxPoolImpl<3>;
template class AdaptiveAvgPoolImpl<3>;

}  // namespace nnkit::nn
