// The property that pins orthogonal_ down, shared by the init unit's test and the core test
// that checks PyTorch's own output against it.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace nnkit::grading {

// What is wrong with W as orthogonal_(W, gain) of the draws `a` (rows x cols, row-major), or "".
// With A (m x n, m >= n; A is the draws, transposed when rows < cols) and Q = W / gain laid out the
// same way: Q^T Q = I, and R = Q^T A upper triangular with a positive diagonal. For a full-rank A
// only one Q has both properties: the one PyTorch keeps.
inline std::string orthogonal_defect(const std::vector<double>& a, const std::vector<double>& w, std::size_t rows,
                              std::size_t cols, double gain) {
    const bool t = rows < cols;
    const std::size_t m = t ? cols : rows, n = t ? rows : cols;
    const auto A = [&](std::size_t i, std::size_t j) { return t ? a[j * cols + i] : a[i * cols + j]; };
    const auto Q = [&](std::size_t i, std::size_t j) { return (t ? w[j * cols + i] : w[i * cols + j]) / gain; };
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t k = 0; k < n; ++k) {
            double dot = 0, r = 0;
            for (std::size_t i = 0; i < m; ++i) {
                dot += Q(i, j) * Q(i, k);
                r += Q(i, j) * A(i, k);
            }
            if (std::abs(dot - (j == k ? 1.0 : 0.0)) > 1e-5)
                return "columns " + std::to_string(j) + " and " + std::to_string(k) + " of Q have dot product " +
                       std::to_string(dot) + " (Q^T Q must be the identity)";
            if (j > k && std::abs(r) > 1e-4)
                return "R = Q^T A has " + std::to_string(r) + " below its diagonal at [" + std::to_string(j) + ", " +
                       std::to_string(k) + "] (Q must span A's first columns in order)";
            if (j == k && r <= 0)
                return "R = Q^T A has diagonal entry " + std::to_string(r) + " at " + std::to_string(j) +
                       " (PyTorch makes R's diagonal positive: flip that column of Q)";
        }
    return "";
}

}  // namespace nnkit::grading
