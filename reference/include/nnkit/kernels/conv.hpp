// Convolution kernels, 1-d, 2-d and 3-d, and the transposed convolution.
// https://pytorch.org/docs/1.13/generated/torch.nn.Conv2d.html
// https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose2d.html
// Exercise units `conv` (reference/src/conv.cpp) and `conv_transpose`
// (reference/src/conv_transpose.cpp); lesson 03-convolution.
//
// Shapes in fixed letters: S = number of spatial dims (1, 2, 3), `*in` the S
// input sizes, `*k` the kernel sizes, `*out` the output sizes, g = groups.
// A kernel takes S from the weight: (C_out, C_in/g, *k) has S + 2 dims.
// Unbatched inputs (C, *in) are accepted and give unbatched outputs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nnkit/shape.hpp"

namespace nnkit {

using ConvSizes = std::vector<std::int64_t>;

// stride, padding, dilation (and output_padding for the transposed
// convolution) hold one value per spatial dim, or a single value for all.
struct ConvParams {
    ConvSizes stride = {1};
    ConvSizes padding = {0};
    ConvSizes dilation = {1};
    std::int64_t groups = 1;
    ConvSizes output_padding = {0};  // transposed convolution only
};

// ---------------------------------------------------------------- output sizes (unit `conv`)

// out = floor((in + 2·padding - dilation·(kernel - 1) - 1) / stride) + 1
std::int64_t conv_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                              std::int64_t dilation);

// out = (in - 1)·stride - 2·padding + dilation·(kernel - 1) + output_padding + 1
std::int64_t conv_transpose_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                        std::int64_t padding, std::int64_t dilation, std::int64_t output_padding);

// ---------------------------------------------------------------- geometry (infrastructure)

// Every convolution seen as a 3-d one: a 1-d input (N, C, L) is (N, C, 1, 1, L)
// and a 2-d one (N, C, H, W) is (N, C, 1, H, W), with kernel 1, stride 1,
// padding 0 and dilation 1 in the added dims. One loop nest then serves all three.
struct ConvGeometry {
    std::size_t spatial = 0;  // S
    bool batched = true;      // false for an input (C, *in)
    std::size_t N = 0, C_in = 0, C_out = 0, groups = 1;
    std::array<std::size_t, 3> in{}, kernel{}, out{}, stride{}, padding{}, dilation{}, output_padding{};

    std::size_t in_volume() const { return in[0] * in[1] * in[2]; }
    std::size_t kernel_volume() const { return kernel[0] * kernel[1] * kernel[2]; }
    std::size_t out_volume() const { return out[0] * out[1] * out[2]; }
    // The shapes of the three tensors as the caller sees them.
    Shape input_shape() const;   // (N, C_in, *in) or (C_in, *in)
    Shape weight_shape() const;  // conv: (C_out, C_in/g, *k); transposed: (C_in, C_out/g, *k)
    Shape output_shape() const;  // (N, C_out, *out) or (C_out, *out)
    bool transposed = false;
};

// Checks every rule PyTorch checks (with its messages) and returns the sizes.
// The output sizes come from conv_output_size / conv_transpose_output_size.
ConvGeometry conv_geometry(const Shape& input, const Shape& weight, const Shape* bias, const ConvParams& params);
ConvGeometry conv_transpose_geometry(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvParams& params);

// The same on tensors, the bias's shape included: what the units' kernels call first.
// (With no bias, name T: conv_geometry<T>(input, weight, nullptr, params).)
template <typename T>
ConvGeometry conv_geometry(const xt::xarray<T>& input, const xt::xarray<T>& weight, const xt::xarray<T>* bias,
                           const ConvParams& params) {
    const Shape bias_shape = bias ? shape_of(*bias) : Shape{};
    return conv_geometry(shape_of(input), shape_of(weight), bias ? &bias_shape : nullptr, params);
}
template <typename T>
ConvGeometry conv_transpose_geometry(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                     const xt::xarray<T>* bias, const ConvParams& params) {
    const Shape bias_shape = bias ? shape_of(*bias) : Shape{};
    return conv_transpose_geometry(shape_of(input), shape_of(weight), bias ? &bias_shape : nullptr, params);
}

// A backward pass gets dy shaped like its forward's output, g.output_shape(); otherwise a
// ShapeError naming `function` ("conv_backward: grad_output has shape ...").
void check_grad_output(const char* function, const Shape& grad_output, const ConvGeometry& g);

// im2col for one sample: x:(C, *in) -> cols:(C·prod(k), prod(out)), row (c, kd, kh, kw),
// column (od, oh, ow); positions in the zero padding read 0. `cols` must hold that many values.
// `ld` is the distance between two rows of cols (0: prod(out)); a larger one puts several
// samples side by side in one matrix, one block of prod(out) columns each.
template <typename T>
void im2col(const ConvGeometry& g, std::size_t channels, const T* x, T* cols, std::size_t ld = 0);
// col2im, its adjoint: adds cols:(C·prod(k), prod(out)) into x:(C, *in); `ld` as for im2col.
template <typename T>
void col2im(const ConvGeometry& g, std::size_t channels, const T* cols, T* x, std::size_t ld = 0);

// The fast kernels' batching (infrastructure). How many samples share one GEMM, side by side
// in its columns: enough for ~1024 columns, where a BLAS reaches its full speed (LeNet's conv2
// has 100 output positions a sample), in chunks that split the batch evenly between threads.
std::size_t samples_per_gemm(std::size_t batch, std::size_t positions);
// im2col of one sample (ld as above), its channels split into one block per OpenMP thread.
template <typename T>
void im2col_on_all_threads(const ConvGeometry& g, const T* x, T* cols, std::size_t ld);

// ---------------------------------------------------------------- convolution (unit `conv`)

template <typename T>
struct ConvGrads {
    xt::xarray<T> input;   // like the input
    xt::xarray<T> weight;  // like the weight
    xt::xarray<T> bias = xt::xarray<T>::from_shape({0});  // (C_out), or (0,) without bias
};

// The direct kernel the lesson explains: seven nested loops (nine with three spatial dims).
// x:(N,C_in,*in)  w:(C_out,C_in/g,*k)  b:(C_out) or nullptr  ->  y:(N,C_out,*out)
template <typename T>
xt::xarray<T> conv_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                  const xt::xarray<T>* bias, const ConvParams& params);

// dy:(N,C_out,*out)  x:(N,C_in,*in)  w:(C_out,C_in/g,*k)  ->  dx, dw, db
template <typename T>
ConvGrads<T> conv_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                  const xt::xarray<T>& weight, bool has_bias, const ConvParams& params);

// The fast kernels (im2col + GEMM) that nn::Conv*d uses; same contract as the direct ones.
// With input_grad false nobody needs dx (a network's first layer, whose input is the data, as
// PyTorch's output_mask says): dx is left empty, (0,), and not computed. For LeNet's conv1 it
// is half the backward's time.
template <typename T>
xt::xarray<T> conv_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight, const xt::xarray<T>* bias,
                           const ConvParams& params);
template <typename T>
ConvGrads<T> conv_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                           const xt::xarray<T>& weight, bool has_bias, const ConvParams& params,
                           bool input_grad = true);

// ---------------------------------------------------------------- padding modes (unit `conv`)

enum class PadMode { zeros, reflect, replicate, circular };

// "zeros" | "reflect" | "replicate" | "circular" (PyTorch's padding_mode names).
PadMode pad_mode_from_string(const std::string& name);
std::string to_string(PadMode mode);

// F.pad over the last S = pad.size()/2 dims, pad in F.pad's order: last dim first,
// (left, right, top, bottom, front, back).  x:(*, *in) -> y:(*, *in + before + after)
template <typename T>
xt::xarray<T> pad_forward(const xt::xarray<T>& input, const ConvSizes& pad, PadMode mode);

// dy:(*, *padded) -> dx:(*, *in): every padded cell sends its gradient back to the cell it copied.
template <typename T>
xt::xarray<T> pad_backward(const xt::xarray<T>& grad_output, const Shape& input_shape, const ConvSizes& pad,
                           PadMode mode);

// ---------------------------------------------------------------- transposed convolution (unit `conv_transpose`)

// The direct kernel: every input cell scatters its kernel-weighted copy into the output.
// x:(N,C_in,*in)  w:(C_in,C_out/g,*k)  b:(C_out) or nullptr  ->  y:(N,C_out,*out)
template <typename T>
xt::xarray<T> conv_transpose_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                            const xt::xarray<T>* bias, const ConvParams& params);
// dy:(N,C_out,*out)  x:(N,C_in,*in)  w:(C_in,C_out/g,*k)  ->  dx, dw, db
template <typename T>
ConvGrads<T> conv_transpose_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                            const xt::xarray<T>& weight, bool has_bias, const ConvParams& params);

// The fast kernels (GEMM + col2im) that nn::ConvTranspose*d uses.
template <typename T>
xt::xarray<T> conv_transpose_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                     const xt::xarray<T>* bias, const ConvParams& params);
template <typename T>
ConvGrads<T> conv_transpose_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const xt::xarray<T>& weight, bool has_bias, const ConvParams& params);

// ---------------------------------------------------------------- convolution as a matrix (unit `conv_matrix`)

// The matrix K of a single-channel 2-d convolution of an H×W input by w:(kH,kW):
// K:(H_out·W_out, H·W) with vec(conv(I)) = K·vec(I) (row-major vec), and
// vec(conv_transpose(O)) = Kᵀ·vec(O).  params: stride, padding, dilation (groups 1).
template <typename T>
xt::xarray<T> conv2d_matrix(const xt::xarray<T>& weight, std::size_t H, std::size_t W, const ConvParams& params);

}  // namespace nnkit
