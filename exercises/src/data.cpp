// Unit `data` — lesson 5, "Data". A training loop sees its data set one batch at a time: the
// images come from an IDX file (MNIST's format: a small header, then raw bytes), and a
// DataLoader decides which samples form each batch.
#include "nnkit/kernels/data.hpp"

#include <string>

#include "nnkit/errors.hpp"

namespace nnkit {

namespace {

// Helper functions for your solution can go here.

}  // namespace

IdxArray parse_idx(const std::vector<std::uint8_t>& bytes) {
    // Read the header (IDX, big-endian): bytes[0] and bytes[1] are 0, bytes[2] is the type (0x08: unsigned
    // bytes, the only one to support), bytes[3] the number of dimensions d; then d sizes of 4 bytes each, most
    // significant byte first; then exactly size_0 * ... * size_(d-1) data bytes.
    // Errors (ValueError), in this order:
    //   fewer than 4 bytes: "idx: 3 bytes is too short for the 4-byte magic number";
    //   bytes[0] or bytes[1] not 0: "idx: the magic number must start with two zero bytes, got 0x1f 0x8b (a gzip
    //     file starts 0x1f 0x8b: decompress it first)", each byte as 0x and two lower-case hex digits (the bytes
    //     0 and 10 read "got 0x00 0x0a (a gzip file starts 0x1f 0x8b: decompress it first)");
    //   another type: "idx: type 0x0d is not supported, only 0x08 (unsigned bytes)";
    //   d = 0: "idx: the header declares 0 dimensions";
    //   fewer than 4 + 4d bytes: "idx: the header declares 3 dimensions, but the file ends after 9 bytes";
    //   a product of the sizes that does not fit in a std::size_t (__builtin_mul_overflow(a, b, &out) says
    //     whether a * b does): "idx: the sizes in the header overflow";
    //   another number of data bytes (too few or too many): "idx: the header promises 784 bytes of data, the
    //     file has 700".
    throw NotImplemented("parse_idx", "lessons/05-training/README.md#reading-an-idx-file");
}

std::vector<std::vector<std::size_t>> batch_indices(std::size_t n, std::size_t batch_size, bool shuffle,
                                                    bool drop_last, Generator* generator) {
    // The indices 0, 1, ..., n-1, shuffled when `shuffle` (Fisher-Yates: for i from n down to 2, swap
    // position i-1 with position gen.next_u64() % i, gen = *generator or default_generator()), then cut into
    // batches of batch_size in that order; the last batch is shorter, or dropped when drop_last. n = 0 gives no
    // batches. batch_size 0: ValueError "batch_size should be a positive integer value, but got batch_size=0"
    // (PyTorch's words).
    throw NotImplemented("batch_indices", "lessons/05-training/README.md#batches");
}

}  // namespace nnkit
