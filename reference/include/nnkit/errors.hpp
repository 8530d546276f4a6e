// Exceptions thrown by nnkit. Messages follow PyTorch's wording where PyTorch
// has one, and otherwise name the function, the argument and the rule.
#pragma once

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

}  // namespace nnkit
