// Unit `data`: parse_idx on hand-built and real Fashion-MNIST headers and on every kind of
// broken file; batch_indices' order, shuffle and drop_last; read_idx (gzip) and DataLoader around them.
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/data.hpp"
#include "nnkit/errors.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

using Bytes = std::vector<std::uint8_t>;

// An IDX file of unsigned bytes with the given sizes and data.
Bytes idx_file(const std::vector<std::uint32_t>& sizes, const Bytes& data) {
    Bytes b = {0, 0, 0x08, std::uint8_t(sizes.size())};
    for (std::uint32_t s : sizes)
        for (int shift : {24, 16, 8, 0}) b.push_back(std::uint8_t(s >> shift));
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

Bytes bytes_of(const xt::xarray<long long>& a) { return Bytes(a.begin(), a.end()); }

std::string shape_text(const std::vector<std::size_t>& s) { return to_string(Shape(s.begin(), s.end())); }

void check_idx(const std::string& what, const IdxArray& got, const std::vector<std::size_t>& shape, const Bytes& data) {
    if (got.shape != shape) FAIL(what + ": expected shape " + shape_text(shape) + ", got " + shape_text(got.shape));
    if (got.data != data) {
        const auto diff = std::mismatch(data.begin(), data.end(), got.data.begin(), got.data.end());
        FAIL(what + ": " + std::to_string(got.data.size()) + " data bytes, expected " + std::to_string(data.size()) +
             "; first difference at byte " + std::to_string(diff.first - data.begin()));
    }
}

std::string batches_text(const std::vector<std::vector<std::size_t>>& b) {
    std::string s = "[";
    for (std::size_t k = 0; k < b.size(); ++k) {
        s += k ? ", [" : "[";
        for (std::size_t i = 0; i < b[k].size(); ++i) s += (i ? ", " : "") + std::to_string(b[k][i]);
        s += "]";
    }
    return s + "]";
}

void check_batches(std::size_t n, std::size_t bs, bool drop_last, const std::vector<std::vector<std::size_t>>& want) {
    const auto got = batch_indices(n, bs, false, drop_last);
    INFO("n " << n << ", batch_size " << bs << ", drop_last " << drop_last);
    if (got != want) FAIL("expected the batches " + batches_text(want) + ", got " + batches_text(got));
}

// The lesson's Fisher-Yates, by hand on a twin generator: what shuffle must give.
std::vector<std::size_t> fisher_yates(std::size_t n, Generator& gen) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[std::size_t(gen.next_u64() % i)]);
    return order;
}

std::vector<std::size_t> flat(const std::vector<std::vector<std::size_t>>& b) {
    std::vector<std::size_t> out;
    for (const auto& x : b) out.insert(out.end(), x.begin(), x.end());
    return out;
}

}  // namespace

// ---------------------------------------------------------------- parse_idx

NNKIT_TEST("parse_idx reads a hand-built 2 x 3 file: big-endian sizes, then the bytes in order", 2, "output",
           "reading-an-idx-file") {
    check_idx("parse_idx of a (2, 3) file", parse_idx(idx_file({2, 3}, {1, 2, 3, 250, 255, 0})), {2, 3},
              {1, 2, 3, 250, 255, 0});
    // A size above 255 needs its other bytes: 0x00000103 = 259.
    const Bytes many(259, 7);
    check_idx("parse_idx of a (259,) file", parse_idx(idx_file({259}, many)), {259}, many);
    // And the third byte: 0x00010001 = 65537.
    const Bytes more(65537, 5);
    check_idx("parse_idx of a (65537,) file", parse_idx(idx_file({65537}, more)), {65537}, more);
}

NNKIT_TEST("parse_idx reads Fashion-MNIST's own bytes: 4 images (4, 28, 28) and their labels (4)", 2, "output",
           "reading-an-idx-file") {
    const Fixture f("training/idx_sample");
    check_idx("parse_idx of 4 Fashion-MNIST images", parse_idx(bytes_of(f.i64("file"))), {4, 28, 28},
              bytes_of(f.i64("pixels")));
    check_idx("parse_idx of their labels", parse_idx(bytes_of(f.i64("label_file"))), {4}, bytes_of(f.i64("labels")));
}

NNKIT_TEST("parse_idx at the edges: a size of 0 (no data), 4 dimensions, a size of 2^24 + 1 declared", 1, "output",
           "reading-an-idx-file") {
    check_idx("parse_idx of a (0, 28) file", parse_idx(idx_file({0, 28}, {})), {0, 28}, {});
    check_idx("parse_idx of a (1, 2, 1, 2) file", parse_idx(idx_file({1, 2, 1, 2}, {9, 8, 7, 6})), {1, 2, 1, 2},
              {9, 8, 7, 6});
    const Bytes big((1u << 24) + 1, 3);
    check_idx("parse_idx of a (16777217,) file", parse_idx(idx_file({(1u << 24) + 1}, big)), {(1u << 24) + 1}, big);
}

NNKIT_TEST("parse_idx rejects a short file, a wrong magic, another type and 0 dimensions, by name", 1, "error",
           "reading-an-idx-file") {
    NNKIT_CHECK_THROWS(parse_idx({0, 0, 8}), ValueError, "idx: 3 bytes is too short for the 4-byte magic number");
    NNKIT_CHECK_THROWS(parse_idx({}), ValueError, "idx: 0 bytes is too short for the 4-byte magic number");
    NNKIT_CHECK_THROWS(parse_idx({0x1f, 0x8b, 8, 0}), ValueError,
                       "idx: the magic number must start with two zero bytes, got 0x1f 0x8b (a gzip file starts 0x1f "
                       "0x8b: decompress it first)");
    NNKIT_CHECK_THROWS(parse_idx({0, 0x0a, 8, 1, 0, 0, 0, 0}), ValueError,
                       "idx: the magic number must start with two zero bytes, got 0x00 0x0a (a gzip file starts 0x1f "
                       "0x8b: decompress it first)");
    NNKIT_CHECK_THROWS(parse_idx({0, 0, 0x0d, 1, 0, 0, 0, 0}), ValueError,
                       "idx: type 0x0d is not supported, only 0x08 (unsigned bytes)");
    NNKIT_CHECK_THROWS(parse_idx({0, 0, 8, 0}), ValueError, "idx: the header declares 0 dimensions");
}

NNKIT_TEST("parse_idx rejects a truncated header, sizes that overflow, and data of the wrong length", 2, "error",
           "reading-an-idx-file") {
    NNKIT_CHECK_THROWS(parse_idx({0, 0, 8, 3, 0, 0, 0, 4, 0}), ValueError,
                       "idx: the header declares 3 dimensions, but the file ends after 9 bytes");
    Bytes short_header = idx_file({2, 3}, {});  // 12 bytes: one short of the 2 sizes' 4 + 8
    short_header.pop_back();
    NNKIT_CHECK_THROWS(parse_idx(short_header), ValueError,
                       "idx: the header declares 2 dimensions, but the file ends after 11 bytes");
    NNKIT_CHECK_THROWS(parse_idx(idx_file({0xffffffffu, 0xffffffffu, 2}, {})), ValueError,
                       "idx: the sizes in the header overflow");
    // (2^32 - 1)^2 = 18446744065119617025 still fits in 64 bits: not an overflow, a lie about the data.
    NNKIT_CHECK_THROWS(parse_idx(idx_file({0xffffffffu, 0xffffffffu}, {})), ValueError,
                       "idx: the header promises 18446744065119617025 bytes of data, the file has 0");
    NNKIT_CHECK_THROWS(parse_idx(idx_file({28, 28}, Bytes(700, 1))), ValueError,
                       "idx: the header promises 784 bytes of data, the file has 700");
    NNKIT_CHECK_THROWS(parse_idx(idx_file({2, 2}, Bytes(5, 1))), ValueError,
                       "idx: the header promises 4 bytes of data, the file has 5");
    // A lying header: 60000 images declared, one given.
    NNKIT_CHECK_THROWS(parse_idx(idx_file({60000, 28, 28}, Bytes(784, 0))), ValueError,
                       "idx: the header promises 47040000 bytes of data, the file has 784");
}

NNKIT_TEST("read_idx reads a gzip-compressed IDX file through your parse_idx, and names the path in errors", 1,
           "output", "reading-an-idx-file") {
    // In the working folder (batch grading's scratch), named by process: checks run side by side.
    const std::string path = "nnkit_test_sample_" + std::to_string(getpid()) + ".idx.gz";
    const Bytes file = idx_file({2, 2}, {4, 3, 2, 1});
    gzFile gz = gzopen(path.c_str(), "wb");
    REQUIRE(gz != nullptr);
    gzwrite(gz, file.data(), unsigned(file.size()));
    gzclose(gz);
    const IdxArray a = data::read_idx(path);
    check_idx("read_idx of a gzip file", a, {2, 2}, {4, 3, 2, 1});
    gz = gzopen(path.c_str(), "wb");
    const Bytes bad = idx_file({2, 2}, {4, 3, 2});
    gzwrite(gz, bad.data(), unsigned(bad.size()));
    gzclose(gz);
    NNKIT_CHECK_THROWS(data::read_idx(path), ValueError, "idx: the header promises 4 bytes of data, the file has 3");
    std::remove(path.c_str());
}

// ---------------------------------------------------------------- batch_indices

NNKIT_TEST("batch_indices cuts 0..n-1 into batches in order, the last one shorter", 2, "output", "batches") {
    check_batches(10, 3, false, {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}});
    check_batches(6, 3, false, {{0, 1, 2}, {3, 4, 5}});
    check_batches(2, 5, false, {{0, 1}});
    check_batches(4, 1, false, {{0}, {1}, {2}, {3}});
}

NNKIT_TEST("batch_indices with drop_last drops only a short last batch, and n = 0 gives no batches", 1, "output",
           "batches") {
    check_batches(10, 3, true, {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
    check_batches(9, 3, true, {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
    check_batches(2, 5, true, {});
    check_batches(0, 4, false, {});
    check_batches(0, 4, true, {});
}

NNKIT_TEST("batch_indices shuffles with the lesson's Fisher-Yates, drawing from the generator given", 2, "output",
           "batches") {
    for (std::size_t n : {1, 2, 7, 64, 1000}) {
        Generator gen(20261202 + n), twin(20261202 + n);
        INFO("n " << n << ", batch_size 16");
        const auto got = flat(batch_indices(n, 16, true, false, &gen));
        const auto want = fisher_yates(n, twin);
        CHECK(got == want);
        CHECK(gen.next_u64() == twin.next_u64());  // and exactly n - 1 draws
    }
}

NNKIT_TEST("batch_indices shuffled: every index once per epoch, a new order each epoch, the default generator", 1,
           "property", "batches") {
    Generator gen(7);
    const auto first = flat(batch_indices(100, 32, true, false, &gen));
    const auto second = flat(batch_indices(100, 32, true, false, &gen));
    auto sorted = first;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::size_t> all(100);
    std::iota(all.begin(), all.end(), std::size_t(0));
    CHECK(sorted == all);
    CHECK(first != second);
    CHECK(first != all);
    const auto dropped = batch_indices(100, 32, true, true, &gen);
    CHECK(dropped.size() == 3);
    manual_seed(99);
    const auto a = flat(batch_indices(50, 8, true, false));
    Generator twin(99);
    CHECK(a == fisher_yates(50, twin));
}

NNKIT_TEST("batch_indices refuses batch_size 0 with PyTorch's message", 1, "error", "batches") {
    NNKIT_CHECK_THROWS(batch_indices(10, 0, false, false), ValueError,
                       "batch_size should be a positive integer value, but got batch_size=0");
    NNKIT_CHECK_THROWS(batch_indices(0, 0, true, true), ValueError,
                       "batch_size should be a positive integer value, but got batch_size=0");
}

NNKIT_TEST("data::DataLoader hands out each batch's images and labels in batch_indices' order", 1, "output",
           "batches") {
    Array x = Array::from_shape({5, 1, 2, 2});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i);
    const Labels t = {10, 11, 12, 13, 14};
    Generator gen(3), twin(3);
    data::DataLoader loader(Tensor(x), t, 2, true, false, &gen);
    REQUIRE(loader.size() == 3);
    const auto order = fisher_yates(5, twin);
    for (std::size_t k = 0; k < 3; ++k) {
        const data::Batch b = loader.batch(k);
        for (std::size_t i = 0; i < b.labels.size(); ++i) {
            const std::size_t idx = order[2 * k + i];
            CHECK(b.labels(i) == std::int64_t(10 + idx));
            CHECK(b.images.data()(i, 0, 1, 1) == float(idx * 4 + 3));
        }
    }
}
