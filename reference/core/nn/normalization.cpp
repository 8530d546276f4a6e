// Local response normalisation: kernels, F::local_response_norm, nn::LocalResponseNorm.
// Shapes: x:(N, C, *) viewed as (N, C, S) with S the product of the trailing dims;
// the window runs over channels c' in [c - size/2, c + (size-1)/2] at one (n, s).
#include <algorithm>
#include <cmath>
#include <string>

#include "nnkit/autograd.hpp"
#include "nnkit/kernels/normalization.hpp"
#include "nnkit/format.hpp"  // py_float: numbers as Python prints them
#include "nnkit/nn/functional/dropout.hpp"
#include "nnkit/nn/normalization.hpp"

namespace nnkit {

namespace {

struct LrnDims {
    std::size_t N, C, S;
};

template <typename T>
LrnDims lrn_dims(const xt::xarray<T>& input, std::int64_t size) {
    if (input.dimension() < 3)
        throw ValueError("Expected 3D or higher dimensionality input (got " + std::to_string(input.dimension()) +
                         " dimensions)");
    if (size < 1) throw ValueError("local_response_norm: size must be at least 1, got " + std::to_string(size));
    const std::size_t N = input.shape(0), C = input.shape(1);
    return {N, C, N * C != 0 ? input.size() / (N * C) : 0};
}

// d[n,c,s] = k + alpha · (sum of x² over the window) / size, summed in PyTorch's order
// (its avg_pool over the zero-padded channel axis).
template <typename T>
xt::xarray<T> lrn_denominator(const xt::xarray<T>& input, const LrnDims& g, std::int64_t size, double alpha,
                              double k) {
    xt::xarray<T> d = xt::xarray<T>::from_shape({g.N, g.C, g.S});
    const auto C = static_cast<std::int64_t>(g.C);
    const T* x = input.data();
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::int64_t c = 0; c < C; ++c) {
            T* out = d.data() + (n * g.C + std::size_t(c)) * g.S;
            std::fill(out, out + g.S, T(0));
            // the window's channels inside [0, C): a size of 2^40 costs C steps, not 2^40
            const std::int64_t lo = std::max<std::int64_t>(0, c - size / 2);
            const std::int64_t hi = std::min<std::int64_t>(C - 1, c + (size - 1) / 2);
            for (std::int64_t cc = lo; cc <= hi; ++cc) {
                const T* xc = x + (n * g.C + std::size_t(cc)) * g.S;
                for (std::size_t s = 0; s < g.S; ++s) out[s] += xc[s] * xc[s];
            }
            for (std::size_t s = 0; s < g.S; ++s) out[s] = out[s] / T(size) * T(alpha) + T(k);
        }
    return d;
}

// d^-beta for every element. beta = 0.75 (AlexNet's, and PyTorch's default) is 1 / (√d · √√d):
// square roots vectorise where pow does not, and cost a fifth as much.
template <typename T>
xt::xarray<T> inverse_power(const xt::xarray<T>& d, double beta) {
    xt::xarray<T> p = xt::xarray<T>::from_shape(d.shape());
    const T* in = d.data();
    T* out = p.data();
    const std::size_t n = d.size();
    if (beta == 0.75) {
        for (std::size_t i = 0; i < n; ++i) {
            const T r = std::sqrt(in[i]);
            out[i] = T(1) / (r * std::sqrt(r));
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) out[i] = std::pow(in[i], T(-beta));
    }
    return p;
}

}  // namespace

template <typename T>
xt::xarray<T> local_response_norm_forward(const xt::xarray<T>& input, std::int64_t size, double alpha, double beta,
                                          double k) {
    const LrnDims g = lrn_dims(input, size);
    if (input.size() == 0) return xt::xarray<T>::from_shape(input.shape());  // no sums over 2^31 empty channels
    xt::xarray<T> y = inverse_power(lrn_denominator(input, g, size, alpha, k), beta);  // d^-beta
    for (std::size_t i = 0; i < y.size(); ++i) y.data()[i] *= input.data()[i];
    y.reshape(input.shape());
    return y;
}

template <typename T>
xt::xarray<T> local_response_norm_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                           std::int64_t size, double alpha, double beta, double k) {
    const LrnDims g = lrn_dims(input, size);
    if (grad_output.shape() != input.shape())
        throw ShapeError("local_response_norm_backward: grad_output must have the input's shape");
    if (input.size() == 0) return xt::xarray<T>::from_shape(input.shape());
    const xt::xarray<T> d = lrn_denominator(input, g, size, alpha, k);
    // y_c = x_c d_c^-beta, d_c = k + alpha/size Σ_window(c) x², so
    // dL/dx_j = g_j d_j^-beta - 2 alpha beta/size · x_j · Σ_{c: j in window(c)} g_c x_c d_c^(-beta-1),
    // and j is in window(c) for c in [j - (size-1)/2, j + size/2].
    const xt::xarray<T> p = inverse_power(d, beta);           // d_c^-beta
    xt::xarray<T> t = xt::xarray<T>::from_shape(d.shape());  // g_c x_c d_c^(-beta-1)
    for (std::size_t i = 0; i < t.size(); ++i)
        t.data()[i] = grad_output.data()[i] * input.data()[i] * p.data()[i] / d.data()[i];
    xt::xarray<T> gx = xt::xarray<T>::from_shape(input.shape());
    const auto C = static_cast<std::int64_t>(g.C);
    const T coef = T(2 * alpha * beta / double(size));
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::int64_t j = 0; j < C; ++j) {
            const std::size_t base = (n * g.C + std::size_t(j)) * g.S;
            for (std::size_t s = 0; s < g.S; ++s) {
                T acc = 0;
                const std::int64_t lo = std::max<std::int64_t>(0, j - (size - 1) / 2);
                const std::int64_t hi = std::min<std::int64_t>(C - 1, j + size / 2);
                for (std::int64_t c = lo; c <= hi; ++c) acc += t.data()[(n * g.C + std::size_t(c)) * g.S + s];
                gx.data()[base + s] = grad_output.data()[base + s] * p.data()[base + s] - coef * input.data()[base + s] * acc;
            }
        }
    return gx;
}

template xt::xarray<float> local_response_norm_forward(const xt::xarray<float>&, std::int64_t, double, double, double);
template xt::xarray<double> local_response_norm_forward(const xt::xarray<double>&, std::int64_t, double, double,
                                                        double);
template xt::xarray<float> local_response_norm_backward(const xt::xarray<float>&, const xt::xarray<float>&,
                                                        std::int64_t, double, double, double);
template xt::xarray<double> local_response_norm_backward(const xt::xarray<double>&, const xt::xarray<double>&,
                                                         std::int64_t, double, double, double);

namespace nn {

Tensor functional::local_response_norm(const Tensor& input, std::int64_t size, double alpha, double beta, double k) {
    Array y = local_response_norm_forward<float>(input.data(), size, alpha, beta, k);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    return autograd::record(std::move(y), {input}, "DivBackward0",
                            [x = autograd::SavedArray(input), size, alpha, beta, k](const Array& g) {
                                return autograd::grads(
                                    local_response_norm_backward<float>(g, x.get(), size, alpha, beta, k));
                            });
}

LocalResponseNorm::LocalResponseNorm(const LocalResponseNormOptions& o) : Module("LocalResponseNorm"), options(o) {
    if (o.size_ < 1) throw ValueError("LocalResponseNorm: size must be at least 1, got " + std::to_string(o.size_));
}

Tensor LocalResponseNorm::forward(const Tensor& input) {
    return functional::local_response_norm(input, options.size_, options.alpha_, options.beta_, options.k_);
}

std::string LocalResponseNorm::extra_repr() const {
    return std::to_string(options.size_) + ", alpha=" + py_float(options.alpha_) + ", beta=" + py_float(options.beta_) +
           ", k=" + py_float(options.k_);
}

}  // namespace nn

}  // namespace nnkit
