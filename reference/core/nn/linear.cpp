#include <cmath>

#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/init.hpp"
#include "nnkit/nn/linear.hpp"

namespace nnkit::nn {

Linear::Linear(const LinearOptions& o) : Module("Linear"), options(o) {
    weight = Parameter(zeros({o.out_features_, o.in_features_}));
    register_parameter("weight", weight);
    if (o.bias_) bias = Parameter(zeros({o.out_features_}));
    register_parameter("bias", bias);  // registered even when absent, as PyTorch's None
    reset_parameters();
}

void Linear::reset_parameters() {
    // kaiming_uniform_(a=sqrt(5)) reduces to U(±1/sqrt(fan_in)); the bias uses the same bound.
    const double bound = options.in_features_ > 0 ? 1.0 / std::sqrt(double(options.in_features_)) : 0.0;
    init::uniform_(weight, -bound, bound);
    if (bias.defined()) init::uniform_(bias, -bound, bound);
}

Tensor Linear::forward(const Tensor& input) { return F::linear(input, weight, bias); }

std::string Linear::extra_repr() const {
    return "in_features=" + std::to_string(options.in_features_) +
           ", out_features=" + std::to_string(options.out_features_) + ", bias=" + py_bool(bias.defined());
}

}  // namespace nnkit::nn
