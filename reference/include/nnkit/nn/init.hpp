// nn::init — filling parameters in place.
// https://pytorch.org/docs/1.13/nn.init.html
//
// Every function writes into the tensor's storage (bypassing autograd, as
// PyTorch's torch.no_grad() does) and returns the same tensor. Random ones
// draw from the default generator (nnkit::manual_seed) or from `gen`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "nnkit/tensor.hpp"

namespace nnkit::nn::init {

// (fan_in, fan_out) of a weight of at least 2 dimensions, shape (out, in, *k):
// fan_in = in·prod(k), fan_out = out·prod(k).   (64,3,11,11) -> (363, 7744)
std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

// The recommended gain for a nonlinearity: linear/conv*/sigmoid 1, tanh 5/3,
// relu sqrt(2), leaky_relu sqrt(2/(1+slope²)) (slope `param`, default 0.01), selu 3/4.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);

Tensor uniform_(Tensor tensor, double a = 0.0, double b = 1.0, Generator* gen = nullptr);     // U(a, b)
Tensor normal_(Tensor tensor, double mean = 0.0, double std = 1.0, Generator* gen = nullptr);  // N(mean, std²)
Tensor constant_(Tensor tensor, double val);
Tensor ones_(Tensor tensor);
Tensor zeros_(Tensor tensor);

// Glorot & Bengio (2010): std = gain·sqrt(2/(fan_in+fan_out)); uniform bound sqrt(3)·std.
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);

// He et al. (2015): std = calculate_gain(nonlinearity, a)/sqrt(fan), fan chosen by
// mode ("fan_in" or "fan_out"); uniform bound sqrt(3)·std. A tensor with no
// elements is left alone (PyTorch warns).
Tensor kaiming_uniform_(Tensor tensor, double a = 0.0, const std::string& mode = "fan_in",
                        const std::string& nonlinearity = "leaky_relu", Generator* gen = nullptr);
Tensor kaiming_normal_(Tensor tensor, double a = 0.0, const std::string& mode = "fan_in",
                       const std::string& nonlinearity = "leaky_relu", Generator* gen = nullptr);

// The identity matrix, rectangular too (min(rows, cols) ones on the diagonal): a Linear that
// passes its inputs through. 2 dimensions only.
Tensor eye_(Tensor tensor);

// A conv weight (out, in, *k) of 3, 4 or 5 dims that passes channel d of each group through
// unchanged: 1 at [g·out/groups + d, d, centre of k] for d < min(out/groups, in), 0 elsewhere.
// out must be divisible by groups.
Tensor dirac_(Tensor tensor, std::int64_t groups = 1);

// Saxe et al. (2013): a (semi-)orthogonal matrix, the trailing dims flattened (rows = dim 0,
// cols = the rest), times gain. PyTorch's recipe: draw N(0, 1) into (rows, cols) row-major,
// transpose when rows < cols, take the QR factorisation A = QR with R's diagonal made positive,
// and write Q (transposed back). At least 2 dims; an empty tensor is left alone.
Tensor orthogonal_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);

// N(mean, std²) truncated to [a, b], PyTorch's inverse-CDF recipe: with l = Φ((a - mean)/std) and
// u = Φ((b - mean)/std), each element (row-major) is v = 2l - 1 + (2u - 2l)·g.uniform(), then
// mean + std·√2·erfinv(v), clamped to [a, b].
Tensor trunc_normal_(Tensor tensor, double mean = 0.0, double std = 1.0, double a = -2.0, double b = 2.0,
                     Generator* gen = nullptr);

// The inverse of std::erf on (-1, 1) (±inf at ±1), to double precision: what trunc_normal_ needs.
double erfinv(double y);

}  // namespace nnkit::nn::init
