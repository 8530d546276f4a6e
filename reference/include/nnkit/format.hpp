// Numbers, tuples and sizes printed as Python and PyTorch print them, for every module's repr and
// for messages in PyTorch's words.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nnkit/shape.hpp"

namespace nnkit {

// Python's repr of a float, the shortest text that reads back the same: 0.01, 0.3333333333333333, 2.0.
std::string py_float(double v);
// "True" / "False".
std::string py_bool(bool b);
// "(5, 5)", and "(5,)" for a tuple of one.
std::string py_tuple(const std::vector<std::size_t>& values);
// "torch.Size([3, 5])", as PyTorch prints a shape in messages.
std::string torch_size(const Shape& shape);

// The modules' code names them from inside nnkit::nn.
namespace nn {
using nnkit::py_bool;
using nnkit::py_float;
using nnkit::py_tuple;
using nnkit::torch_size;
}  // namespace nn

}  // namespace nnkit
