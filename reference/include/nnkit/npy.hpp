// Reading and writing NumPy .npy files (format 1.0/2.0, little-endian,
// C order), the format of the PyTorch fixtures.
#pragma once

#include <string>
#include <vector>

#include "nnkit/shape.hpp"

namespace nnkit {

struct NpyArray {
    std::string dtype;         // NumPy's descr: "<f4", "<f8" or "<i8"
    Shape shape;
    std::vector<char> bytes;   // numel(shape) elements, C order

    std::vector<float> as_float() const;            // from <f4 or <f8
    std::vector<double> as_double() const;          // from <f4 or <f8
    std::vector<long long> as_int64() const;        // from <i8
};

// Throws std::runtime_error naming the file and what is wrong with it:
// missing, not a .npy file, unsupported dtype or order, truncated.
NpyArray read_npy(const std::string& path);

void write_npy(const std::string& path, const std::string& dtype, const Shape& shape, const void* data);

}  // namespace nnkit
