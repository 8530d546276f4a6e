#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"

namespace nnkit::nn {

Tensor ReLU::forward(const Tensor& input) { return F::relu(input, inplace); }

Tensor Sigmoid::forward(const Tensor& input) { return F::sigmoid(input); }

Tensor Tanh::forward(const Tensor& input) { return F::tanh(input); }

Tensor LeakyReLU::forward(const Tensor& input) {
    return F::leaky_relu(input, options.negative_slope_, options.inplace_);
}

std::string LeakyReLU::extra_repr() const {
    return "negative_slope=" + py_float(options.negative_slope_) + (options.inplace_ ? ", inplace=True" : "");
}

PReLU::PReLU(const PReLUOptions& o) : Module("PReLU"), options(o) {
    weight = Parameter(full({o.num_parameters_}, checked_float(o.init_)));
    register_parameter("weight", weight);
}

Tensor PReLU::forward(const Tensor& input) { return F::prelu(input, weight); }

std::string PReLU::extra_repr() const { return "num_parameters=" + std::to_string(options.num_parameters_); }

Tensor RReLU::forward(const Tensor& input) {
    return F::rrelu(input, options.lower_, options.upper_, is_training(), options.inplace_);
}

std::string RReLU::extra_repr() const {
    return "lower=" + py_float(options.lower_) + ", upper=" + py_float(options.upper_) +
           (options.inplace_ ? ", inplace=True" : "");
}

Tensor ReLU6::forward(const Tensor& input) { return F::relu6(input, inplace); }

Hardtanh::Hardtanh(const HardtanhOptions& o) : Module("Hardtanh"), options(o) {
    if (!(o.max_val_ > o.min_val_))
        throw ValueError("Hardtanh: max_val (" + py_float(o.max_val_) + ") must be greater than min_val (" +
                         py_float(o.min_val_) + ")");
}

Tensor Hardtanh::forward(const Tensor& input) {
    return F::hardtanh(input, options.min_val_, options.max_val_, options.inplace_);
}

std::string Hardtanh::extra_repr() const {
    return "min_val=" + py_float(options.min_val_) + ", max_val=" + py_float(options.max_val_) +
           (options.inplace_ ? ", inplace=True" : "");
}

Tensor ELU::forward(const Tensor& input) { return F::elu(input, options.alpha_, options.inplace_); }

std::string ELU::extra_repr() const {
    return "alpha=" + py_float(options.alpha_) + (options.inplace_ ? ", inplace=True" : "");
}

Tensor GELU::forward(const Tensor& input) { return F::gelu(input, approximate); }

}  // namespace nnkit::nn
