// Exceptions thrown by nnkit. Messages follow PyTorch's wording where PyTorch
// has one, and otherwise name the function, the argument and the rule.
#pragma once

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace nnkit {

// Thrown by every exercise stub until the student writes the function.
// The message says what is missing and which lesson section explains it.
class NotImplemented : public std::logic_error {
public:
    NotImplemented(const std::string& function, const std::string& read)
        : std::logic_error(function + " is not implemented yet (read " + read + ")") {}
};

// Bad value of an argument (PyTorch: ValueError / RuntimeError).
class ValueError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Bad shape or size of a tensor argument (PyTorch: RuntimeError).
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A name that is missing or not allowed (PyTorch: KeyError).
class KeyError : public std::out_of_range {
public:
    using std::out_of_range::out_of_range;
};

// A value of the wrong kind (PyTorch: TypeError).
class TypeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A name a module does not hold, or holds as something else (PyTorch: AttributeError).
class AttributeError : public std::out_of_range {
public:
    using std::out_of_range::out_of_range;
};

// An index outside its range (PyTorch: IndexError).
class IndexError : public std::out_of_range {
public:
    using std::out_of_range::out_of_range;
};

// A double that PyTorch would hold as a float32 Scalar (a slope, a bound, a fill value): beyond
// float's range it is c10's error, where a plain cast would be undefined; inf and NaN pass.
inline float checked_float(double v) {
    if (std::isfinite(v) && (v < std::numeric_limits<float>::lowest() || v > std::numeric_limits<float>::max()))
        throw ValueError("value cannot be converted to type float without overflow");
    return static_cast<float>(v);
}

}  // namespace nnkit
