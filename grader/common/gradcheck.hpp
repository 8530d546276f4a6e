// Central-difference gradient checks in double precision (torch.autograd.gradcheck's idea):
// for a random v, the analytic gradient of L(x) = sum(f(x) · v) must match
// (L(x + eps·e_i) - L(x - eps·e_i)) / (2·eps) for every element i of every input.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nnkit/tensor.hpp"

namespace nnkit::grading {

using DArray = xt::xarray<double>;
using Forward = std::function<DArray(const std::vector<DArray>& inputs)>;
// Returns one gradient per checked input, given the inputs and dL/dy.
using Backward = std::function<std::vector<DArray>(const std::vector<DArray>& inputs, const DArray& grad_output)>;

struct GradcheckOptions {
    double eps = 1e-6;
    double rtol = 1e-3;
    double atol = 1e-5;
};

// Fails the current test, naming the input and the worst element, when an
// analytic gradient disagrees with the numerical one.
void gradcheck(const std::string& what, const Forward& forward, const Backward& backward,
               const std::vector<DArray>& inputs, const std::vector<std::string>& input_names, Generator& gen,
               const GradcheckOptions& options = {});

// A random double array with values in [-1, 1).
DArray random_array(const std::vector<std::size_t>& shape, Generator& gen);

}  // namespace nnkit::grading
