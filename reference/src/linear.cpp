// Unit `linear` — lesson 4, "Linear": y = x·Wᵀ + b.
// Shapes: x:(*, in)  weight:(out, in)  bias:(out)  ->  y:(*, out).
// The leading dimensions * are flattened into one batch dimension M, so the
// whole layer is a single matrix product (M, in) · (in, out).
#include "nnkit/kernels/linear.hpp"

#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/blas.hpp"

namespace nnkit {

namespace {

// BEGIN SOLUTION
// Rows of the flattened input: the product of all but the last dimension.
template <typename T>
std::size_t batch_rows(const xt::xarray<T>& input) {
    std::size_t rows = 1;
    for (std::size_t d = 0; d + 1 < input.dimension(); ++d) rows *= input.shape(d);
    return rows;
}

std::string dims(std::size_t rows, std::size_t cols) { return std::to_string(rows) + "x" + std::to_string(cols); }

template <typename T>
void check_linear_args(const xt::xarray<T>& input, const xt::xarray<T>& weight, const xt::xarray<T>* bias) {
    if (weight.dimension() != 2)
        throw ShapeError("linear: weight must be 2-D (out_features, in_features), got " +
                         std::to_string(weight.dimension()) + "-D");
    if (input.dimension() == 0)
        throw ShapeError("both arguments to matmul need to be at least 1D, but they are 0D and 2D");
    const std::size_t in = input.shape().back();
    const std::size_t rows = batch_rows(input);
    // PyTorch's wording: mat1 is the flattened input, mat2 is weightᵀ.
    if (in != weight.shape(1))
        throw ShapeError("mat1 and mat2 shapes cannot be multiplied (" + dims(rows, in) + " and " +
                         dims(weight.shape(1), weight.shape(0)) + ")");
    if (bias && (bias->dimension() != 1 || bias->shape(0) != weight.shape(0)))
        throw ShapeError("linear: bias must have shape (" + std::to_string(weight.shape(0)) +
                         ",) = (out_features,), got " + std::to_string(bias->dimension()) + "-D with " +
                         std::to_string(bias->size()) + " elements");
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION

}  // namespace

template <typename T>
xt::xarray<T> linear_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                             const xt::xarray<T>* bias) {
    // BEGIN SOLUTION
    check_linear_args(input, weight, bias);
    const std::size_t M = batch_rows(input), in = weight.shape(1), out = weight.shape(0);

    auto y_shape = input.shape();
    y_shape.back() = out;
    xt::xarray<T> y = xt::xarray<T>::from_shape(y_shape);

    // Start every row from the bias so the GEMM can accumulate onto it (beta = 1).
    for (std::size_t m = 0; m < M; ++m)
        for (std::size_t o = 0; o < out; ++o) y.data()[m * out + o] = bias ? (*bias)(o) : T(0);

    // y(M, out) += x(M, in) · Wᵀ(in, out): W is stored (out, in), hence trans_b.
    blas::gemm<T>(false, true, M, out, in, T(1), input.data(), weight.data(), T(1), y.data());
    return y;
    // STUB
    // Flatten the leading dimensions of `input` into M rows, then for every
    // row m and output feature o:  y[m, o] = bias[o] + sum_i input[m, i] * weight[o, i].
    // The output keeps the input's leading dimensions: (*, in) -> (*, out).
    // Errors (ShapeError), in this order: a weight that is not 2-D, "linear: weight must be 2-D (out_features,
    // in_features), got 3-D"; a 0-D input, "both arguments to matmul need to be at least 1D, but they are 0D and
    // 2D"; in != weight's columns, in PyTorch's words "mat1 and mat2 shapes
    // cannot be multiplied (2x4 and 3x2)" (the flattened input and Wᵀ); a bias that is not (out,), e.g. for a
    // (3, 4) weight "linear: bias must have shape (3,) = (out_features,), got 1-D with 4 elements".
    //> throw NotImplemented("linear_forward", "lessons/04-pooling-linear-activations/README.md#linear-forward");
    // END SOLUTION
}

template <typename T>
LinearGrads<T> linear_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                               const xt::xarray<T>& weight, bool has_bias) {
    // BEGIN SOLUTION
    check_linear_args<T>(input, weight, nullptr);
    const std::size_t M = batch_rows(input), in = weight.shape(1), out = weight.shape(0);
    auto want = input.shape();
    want.back() = out;
    if (grad_output.shape() != want)
        throw ShapeError("linear_backward: grad_output must have the output's shape (*, " + std::to_string(out) +
                         ")");

    LinearGrads<T> g;
    g.input = xt::xarray<T>::from_shape(input.shape());
    g.weight = xt::xarray<T>::from_shape(weight.shape());
    // dx(M, in) = dy(M, out) · W(out, in)
    blas::gemm<T>(false, false, M, in, out, T(1), grad_output.data(), weight.data(), T(0), g.input.data());
    // dW(out, in) = dyᵀ(out, M) · x(M, in): every row of the batch adds its outer product.
    blas::gemm<T>(true, false, out, in, M, T(1), grad_output.data(), input.data(), T(0), g.weight.data());
    if (has_bias) {
        // db(out) = sum over the M rows of dy.
        g.bias = xt::zeros<T>({out});
        for (std::size_t m = 0; m < M; ++m)
            for (std::size_t o = 0; o < out; ++o) g.bias(o) += grad_output.data()[m * out + o];
    }
    return g;
    // STUB
    // With y = x·Wᵀ + b and dy = grad_output (all flattened to M rows):
    //   grad input  = dy · W        shape (*, in)
    //   grad weight = dyᵀ · x       shape (out, in)   (summed over all M rows)
    //   grad bias   = sum of dy over the M rows, shape (out); leave it with shape (0,) when !has_bias
    // Errors: those of linear_forward (without a bias), then a grad_output not of the output's shape, e.g.
    // "linear_backward: grad_output must have the output's shape (*, 3)".
    //> throw NotImplemented("linear_backward", "lessons/04-pooling-linear-activations/README.md#linear-backward");
    // END SOLUTION
}

template xt::xarray<float> linear_forward(const xt::xarray<float>&, const xt::xarray<float>&,
                                          const xt::xarray<float>*);
template xt::xarray<double> linear_forward(const xt::xarray<double>&, const xt::xarray<double>&,
                                           const xt::xarray<double>*);
template LinearGrads<float> linear_backward(const xt::xarray<float>&, const xt::xarray<float>&,
                                            const xt::xarray<float>&, bool);
template LinearGrads<double> linear_backward(const xt::xarray<double>&, const xt::xarray<double>&,
                                             const xt::xarray<double>&, bool);

}  // namespace nnkit
