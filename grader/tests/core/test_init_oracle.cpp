// The facts the init unit's grader relies on, checked against PyTorch 1.13 itself: the given
// erfinv against torch.erfinv, and PyTorch's own orthogonal_ output having the property the
// grader checks a student's against (orthonormal Q, R = Q^T A upper triangular with a positive
// diagonal, for PyTorch's draws A).
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "orthogonal.hpp"
#include "nnkit/nn/init.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("erfinv matches torch.erfinv in double from -0.999999 to 0.999999") {
    const Fixture f("init/erfinv");
    const auto y = f.f64("input");
    xt::xarray<double> got = xt::xarray<double>::from_shape(y.shape());
    for (std::size_t i = 0; i < y.size(); ++i) got.data()[i] = nn::init::erfinv(y.data()[i]);
    // torch.erfinv polishes with erf, which loses digits in the tails (erf(x) is within 1e-6 of 1 there):
    // agree to 1e-9, far beyond what a float weight needs.
    NNKIT_CHECK_CLOSE_TOL("erfinv", f.f64("output"), got, 1e-9, 1e-12);
}

TEST_CASE("PyTorch's orthogonal_ is the Q with R's diagonal positive, for its own draws") {
    for (const char* name : {"init/orthogonal_3x5", "init/orthogonal_6x4", "init/orthogonal_4x2x3x3_gain2"}) {
        const Fixture f(name);
        INFO(name);
        const auto a = f.f32("draws"), w = f.f32("output");
        const std::size_t rows = a.shape()[0], cols = a.shape()[1];
        const double gain = f.double_option("gain");
        const std::vector<double> draws(a.begin(), a.end()), values(w.begin(), w.end());
        const std::string defect = orthogonal_defect(draws, values, rows, cols, gain);
        if (!defect.empty()) FAIL(defect);
    }
}
