// An example of an instructor's hidden test (docs/instructor.md): it lives
// outside the student tree, uses its own fixtures, and is reported with
// Gradescope's visibility "after_due_date".
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/kernels/linear.hpp"

using namespace nnkit;

NNKIT_HIDDEN_TEST("linear_forward on the instructor's hidden case", 2, "output", "linear-forward") {
    const grading::Fixture f("hidden/linear_tall");
    const auto x = f.f32("input"), w = f.f32("weight"), b = f.f32("bias");
    NNKIT_CHECK_CLOSE("linear_forward output", f.f32("output"), linear_forward<float>(x, w, &b));
}
