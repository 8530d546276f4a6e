// nnkit::Sizes: an "int or tuple of ints" argument, as PyTorch's functions and modules take their
// kernel sizes, strides, paddings and dilations (LibTorch's ExpandingArray). One home for every
// op family: convolution, transposed convolution and pooling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

namespace nnkit {

// One value for every spatial dim, or one per dim: `4` or `{4, 2}`. It keeps what was given,
// because PyTorch's reprs print it so (kernel_size=3, or kernel_size=(1, 2)), and it does not know
// its D: the function it reaches expands it to that function's D dims and refuses another length
// in that function's words (PyTorch checks the lengths there too). The values are int64, as
// PyTorch's are: a negative one reaches the check that names it.
class Sizes {
public:
    Sizes(std::int64_t value) : given_{value}, scalar_(true) {}  // NOLINT: implicit, as LibTorch's
    Sizes(std::initializer_list<std::int64_t> values) : given_(values), scalar_(false) {}
    // {k, k} with k of any one integer type (size_t, int, ...).
    template <typename I, typename = std::enable_if_t<std::is_integral_v<I>>>
    Sizes(std::initializer_list<I> values) : given_(values.begin(), values.end()), scalar_(false) {}
    template <typename I, typename = std::enable_if_t<std::is_integral_v<I>>>
    Sizes(const std::vector<I>& values) : given_(values.begin(), values.end()), scalar_(false) {}  // NOLINT

    const std::vector<std::int64_t>& given() const { return given_; }
    std::size_t size() const { return given_.size(); }  // how many values were given
    bool is_scalar() const { return scalar_; }
    // The D values (one given value repeated); ValueError if the length is neither 1 nor D.
    std::vector<std::int64_t> expand(std::size_t D) const;
    // "3" when given as one int, "(3, 3)" (or "(3,)") when given as a tuple.
    std::string repr() const;
    // Always the tuple form, D long for one int: as PyTorch's _single/_pair/_triple store it.
    std::string tuple_repr(std::size_t D) const;

private:
    std::vector<std::int64_t> given_;
    bool scalar_;
};

}  // namespace nnkit
