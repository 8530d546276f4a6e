// nn::init — filling parameters in place.
// https://pytorch.org/docs/1.13/nn.init.html
//
// Every function writes into the tensor's storage (bypassing autograd, as
// PyTorch's torch.no_grad() does) and returns the same tensor. Random ones
// draw from the default generator (nnkit::manual_seed) or from `gen`.
#pragma once

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

}  // namespace nnkit::nn::init
