// Unit `data` — lesson 5, "Data". A training loop sees its data set one batch at a time: the
// images come from an IDX file (MNIST's format: a small header, then raw bytes), and a
// DataLoader decides which samples form each batch.
#include "nnkit/kernels/data.hpp"

#include <string>

#include "nnkit/errors.hpp"

namespace nnkit {

namespace {

// BEGIN SOLUTION
std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

std::string hex_byte(std::uint8_t b) {
    const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION

}  // namespace

IdxArray parse_idx(const std::vector<std::uint8_t>& bytes) {
    // BEGIN SOLUTION
    const std::size_t n = bytes.size();
    if (n < 4) throw ValueError("idx: " + std::to_string(n) + " bytes is too short for the 4-byte magic number");
    if (bytes[0] != 0 || bytes[1] != 0)
        throw ValueError("idx: the magic number must start with two zero bytes, got " + hex_byte(bytes[0]) + " " +
                         hex_byte(bytes[1]) + " (a gzip file starts 0x1f 0x8b: decompress it first)");
    if (bytes[2] != 0x08)
        throw ValueError("idx: type " + hex_byte(bytes[2]) + " is not supported, only 0x08 (unsigned bytes)");
    const std::size_t dims = bytes[3];
    if (dims == 0) throw ValueError("idx: the header declares 0 dimensions");
    if (n < 4 + 4 * dims)
        throw ValueError("idx: the header declares " + std::to_string(dims) + " dimensions, but the file ends after " +
                         std::to_string(n) + " bytes");
    IdxArray a;
    std::size_t count = 1;
    for (std::size_t d = 0; d < dims; ++d) {
        const std::size_t size = big_endian_u32(&bytes[4 + 4 * d]);
        if (__builtin_mul_overflow(count, size, &count))  // a lying header must not wrap around
            throw ValueError("idx: the sizes in the header overflow");
        a.shape.push_back(size);
    }
    const std::size_t header = 4 + 4 * dims;
    if (n - header != count)
        throw ValueError("idx: the header promises " + std::to_string(count) + " bytes of data, the file has " +
                         std::to_string(n - header));
    a.data.assign(bytes.begin() + std::ptrdiff_t(header), bytes.end());
    return a;
    // STUB
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
    //> throw NotImplemented("parse_idx", "lessons/05-training/README.md#reading-an-idx-file");
    // END SOLUTION
}

std::vector<std::vector<std::size_t>> batch_indices(std::size_t n, std::size_t batch_size, bool shuffle,
                                                    bool drop_last, Generator* generator) {
    // BEGIN SOLUTION
    if (batch_size == 0)
        throw ValueError("batch_size should be a positive integer value, but got batch_size=0");
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    if (shuffle) {
        // Fisher-Yates: position i takes one of the i + 1 not yet placed, each equally likely.
        Generator& gen = generator ? *generator : default_generator();
        for (std::size_t i = n; i > 1; --i) {
            const std::size_t j = std::size_t(gen.next_u64() % i);
            std::swap(order[i - 1], order[j]);
        }
    }
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t start = 0; start < n; start += batch_size) {
        const std::size_t end = std::min(n, start + batch_size);
        if (drop_last && end - start < batch_size) break;
        batches.emplace_back(order.begin() + std::ptrdiff_t(start), order.begin() + std::ptrdiff_t(end));
    }
    return batches;
    // STUB
    // The indices 0, 1, ..., n-1, shuffled when `shuffle` (Fisher-Yates: for i from n down to 2, swap
    // position i-1 with position gen.next_u64() % i, gen = *generator or default_generator()), then cut into
    // batches of batch_size in that order; the last batch is shorter, or dropped when drop_last. n = 0 gives no
    // batches. batch_size 0: ValueError "batch_size should be a positive integer value, but got batch_size=0"
    // (PyTorch's words).
    //> throw NotImplemented("batch_indices", "lessons/05-training/README.md#batches");
    // END SOLUTION
}

}  // namespace nnkit
