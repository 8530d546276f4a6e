// Reading a data set and cutting it into batches: the IDX format of MNIST and Fashion-MNIST,
// and the batch order of PyTorch's DataLoader (batch_size, shuffle, drop_last).
// http://yann.lecun.com/exdb/mnist/ (the format), https://pytorch.org/docs/1.13/data.html
// Exercise unit `data` (reference/src/data.cpp, exercises/src/data.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nnkit/tensor.hpp"

namespace nnkit {

// An IDX file of unsigned bytes: shape (e.g. (60000, 28, 28)) and the values in C order.
struct IdxArray {
    std::vector<std::size_t> shape;
    std::vector<std::uint8_t> data;
};

// Parses the bytes of an (uncompressed) IDX file:
//   bytes 0-1: 0, 0;  byte 2: the type, 0x08 = unsigned byte;  byte 3: the number of dimensions d
//   then d sizes, each 4 bytes big-endian;  then the product of the sizes, one byte each.
// Throws ValueError naming what is wrong (see the lesson, "Reading an IDX file").
IdxArray parse_idx(const std::vector<std::uint8_t>& bytes);

// One epoch's batches of the indices 0 .. n-1: in order, or shuffled (a permutation drawn from
// `generator`, the default one when null) when `shuffle`; cut into batch_size pieces, the last
// one shorter unless `drop_last` drops it. Throws ValueError for batch_size 0.
std::vector<std::vector<std::size_t>> batch_indices(std::size_t n, std::size_t batch_size, bool shuffle,
                                                    bool drop_last, Generator* generator = nullptr);

}  // namespace nnkit
