// Shapes as plain vectors, printed the way PyTorch prints sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnkit {

using Shape = std::vector<std::size_t>;

// "(2, 3)" — the form used in nnkit's messages.
std::string to_string(const Shape& shape);

// Number of elements of a shape (1 for the empty shape of a scalar).
std::size_t numel(const Shape& shape);

// numel(shape) for a tensor about to be allocated, with `item_size` bytes per element, checked as
// PyTorch checks before it allocates (ValueError, in its words): a dim that is a negative number
// wrapped into size_t, "Trying to create tensor with negative dimension -1: [-1]"; a size whose bytes
// do not fit in int64, "Storage size calculation overflowed with sizes=[...]"; more bytes than this
// machine's memory, "DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes".
std::size_t checked_numel(const Shape& shape, std::size_t item_size = 4);

// The most bytes one tensor may take: this machine's memory unless lowered. A harness that runs
// untrusted sizes (the fuzzer, a grader's sandbox) lowers it so that a size the machine could hold
// but the run cannot afford is refused in checked_numel's words instead of swapping. 0 restores it.
void set_allocation_limit(std::size_t bytes);
std::size_t allocation_limit();

// Size arithmetic in int64 that refuses to overflow. C++ leaves an overflowed int64 undefined and
// PyTorch's formulas wrap silently; an output-size formula fed a stride, padding or dilation near
// 2^63 goes through these and gets a ValueError instead: "<what> overflows int64 (a * b)".
std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what);
std::int64_t checked_sub(std::int64_t a, std::int64_t b, const std::string& what);
std::int64_t checked_mul(std::int64_t a, std::int64_t b, const std::string& what);

// The shape of an array (any type with .shape(), e.g. xt::xarray), as a Shape.
template <typename A>
Shape shape_of(const A& a) {
    return Shape(a.shape().begin(), a.shape().end());
}

}  // namespace nnkit
