// The option checks of the activations that are not the student's to write (the GELU option is
// scaffolding of the activation unit, Hardtanh's constructor is core), against PyTorch 1.13.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("GELU's approximate must be none or tanh, and Hardtanh's max_val above min_val") {
    const Fixture f("gelu/error_approximate");
    NNKIT_CHECK_THROWS(F::gelu(ones({3}), "erf"), ValueError, f.string_option("error"));
    NNKIT_CHECK_THROWS(nn::GELU("erf")(ones({3})), ValueError, f.string_option("error"));
    // PyTorch asserts max_val > min_val with no message; nnkit names the two values.
    NNKIT_CHECK_THROWS(nn::Hardtanh(nn::HardtanhOptions().min_val(2.0).max_val(1.0)), ValueError,
                       "max_val (1.0) must be greater than min_val (2.0)");
    NNKIT_CHECK_THROWS(nn::Hardtanh(nn::HardtanhOptions().min_val(1.0).max_val(1.0)), ValueError,
                       "max_val (1.0) must be greater than min_val (1.0)");
}
