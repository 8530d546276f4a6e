// Shapes as plain vectors, printed the way PyTorch prints sizes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nnkit {

using Shape = std::vector<std::size_t>;

// "(2, 3)" — the form used in nnkit's messages.
std::string to_string(const Shape& shape);

// Number of elements of a shape (1 for the empty shape of a scalar).
std::size_t numel(const Shape& shape);

// The shape of an array (any type with .shape(), e.g. xt::xarray), as a Shape.
template <typename A>
Shape shape_of(const A& a) {
    return Shape(a.shape().begin(), a.shape().end());
}

}  // namespace nnkit
