// Reading and writing NumPy .npy files (format 1.0, 2.0 and 3.0; little-endian float32,
// float64 and int64; C order), the format of the PyTorch fixtures. The reader follows NumPy
// 1.24's numpy.lib.format: the header is a Python dict literal with exactly the keys descr,
// fortran_order and shape, checked in NumPy's order and words.
#pragma once

#include <string>
#include <vector>

#include "nnkit/shape.hpp"

namespace nnkit {

struct NpyArray {
    std::string path;          // the file it came from, for messages
    std::string dtype;         // NumPy's descr: "<f4", "<f8" or "<i8"
    Shape shape;
    std::vector<char> bytes;   // numel(shape) elements, C order

    std::vector<float> as_float() const;            // from <f4 or <f8
    std::vector<double> as_double() const;          // from <f4 or <f8
    std::vector<long long> as_int64() const;        // from <i8
};

// Throws std::runtime_error naming the file and what is wrong with it, in NumPy's words where it
// has them: missing, not a .npy file, an unknown version, a header NumPy refuses ("Cannot parse
// header", "Header does not contain the correct keys", "shape is not valid", "fortran_order is not
// a valid bool"), a negative or overflowing dim, an unsupported dtype or order, truncated data.
NpyArray read_npy(const std::string& path);

void write_npy(const std::string& path, const std::string& dtype, const Shape& shape, const void* data);

}  // namespace nnkit
