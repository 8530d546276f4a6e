// The creation functions check a size before they allocate, as PyTorch 1.13 does and in its words
// (fixture tensor/sizes): a negative size (a negative number converted to size_t), bytes that
// overflow, more bytes than the machine's memory, an arange too long to count. Modules that create
// their parameters with them (Linear, PReLU) say the same. Core code.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("creation functions refuse sizes PyTorch refuses, before allocating, in its words") {
    const Fixture f("tensor/sizes");
    const auto want = [&](const char* key) { return f.string_option(key); };
    const std::size_t minus_one = std::size_t(-1), minus_two = std::size_t(-2);
    NNKIT_CHECK_THROWS(zeros({std::size_t(1) << 32, std::size_t(1) << 32}), ValueError, want("zeros overflow"));
    NNKIT_CHECK_THROWS(rand({std::size_t(1) << 62, 4}), ValueError, want("rand overflow"));
    NNKIT_CHECK_THROWS(zeros({minus_one}), ValueError, want("zeros negative"));
    NNKIT_CHECK_THROWS(randn({3, minus_two}), ValueError, want("randn negative"));
    NNKIT_CHECK_THROWS(zeros({std::size_t(1) << 40}), ValueError, want("zeros no memory"));
    NNKIT_CHECK_THROWS(nn::Linear(minus_one, 5), ValueError, want("Linear negative"));
    NNKIT_CHECK_THROWS(nn::PReLU(nn::PReLUOptions().num_parameters(minus_one)), ValueError, want("PReLU negative"));
    NNKIT_CHECK_THROWS(arange(1e38), ValueError, want("arange too long"));
    NNKIT_CHECK_THROWS(from_vector({1.0f}, {std::size_t(1) << 62, 4}), ValueError, "Storage size calculation overflowed");
    // sizes that are fine stay fine, empty ones too
    CHECK(zeros({0, std::size_t(1) << 40}).numel() == 0);
    CHECK(checked_numel({2, 3}) == 6);
    CHECK(checked_numel({}) == 1);
}
