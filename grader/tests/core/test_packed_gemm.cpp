// nnkit's packed GEMM (nnkit/kernels/packed_gemm.hpp) against a double-precision product, on every
// micro-kernel this CPU can run (the portable one always, AVX2 and AVX-512 where the CPU has them;
// NNKIT_GEMM_ISA forces one for the whole process), over shapes that hit every edge: strips of A
// and B cut short, K across a KC block, M across an MC block, N across an NC block.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "nnkit/kernels/packed_gemm.hpp"

using nnkit::packed::Isa;

namespace {

// The largest |got - want| / (1 + |want|) of C = alpha op(A) op(B) + beta C over the whole matrix.
double worst_error(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, float alpha, float beta,
                   std::mt19937& rng) {
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> A(M * K), B(K * N), C(M * N);
    for (auto& x : A) x = u(rng);
    for (auto& x : B) x = u(rng);
    for (auto& x : C) x = beta == 0 ? NAN : u(rng);  // beta = 0 must overwrite even a NaN
    const std::vector<float> C0 = C;
    nnkit::packed::sgemm(ta, tb, M, N, K, alpha, A.data(), B.data(), beta, C.data());
    double worst = 0;
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < K; ++k)
                s += double(ta ? A[k * M + i] : A[i * K + k]) * double(tb ? B[j * K + k] : B[k * N + j]);
            const double want = alpha * s + (beta == 0 ? 0.0 : beta * double(C0[i * N + j]));
            const double err = std::abs(want - C[i * N + j]) / (1 + std::abs(want));
            worst = std::isnan(err) ? INFINITY : std::max(worst, err);
        }
    return worst;
}

}  // namespace

TEST_CASE("the packed GEMM equals a double-precision product on every micro-kernel this CPU runs") {
    const Isa before = nnkit::packed::isa();
    for (Isa isa : {Isa::portable, Isa::avx2, Isa::avx512}) {
        if (!nnkit::packed::cpu_has(isa)) continue;
        nnkit::packed::use_isa(isa);
        INFO("micro-kernel " << nnkit::packed::isa_name(isa));
        std::mt19937 rng(7);
        struct Shape3 {
            std::size_t M, N, K;
        };
        // Whole strips, cut strips, one row or column, K across the 256 block, M across 120, N across 3072.
        const std::vector<Shape3> fixed = {{6, 16, 8},   {12, 32, 256}, {1, 1, 1},    {5, 7, 3},      {7, 33, 257},
                                           {121, 17, 9}, {13, 3073, 5}, {64, 169, 600}, {1, 300, 1}, {300, 1, 2}};
        for (const auto& s : fixed)
            for (int t = 0; t < 4; ++t) {
                INFO("M " << s.M << " N " << s.N << " K " << s.K << " trans_a " << (t & 1) << " trans_b " << (t >> 1));
                CHECK(worst_error(t & 1, t >> 1, s.M, s.N, s.K, 0.75f, t == 3 ? 0.0f : 0.5f, rng) < 2e-5);
            }
        for (int i = 0; i < 40; ++i) {  // random shapes, alpha and beta
            const std::size_t M = 1 + rng() % 140, N = 1 + rng() % 200, K = 1 + rng() % 400;
            const bool ta = rng() & 1, tb = rng() & 1;
            const float alpha = i % 5 == 0 ? 1.0f : 0.3f, beta = i % 3 == 0 ? 0.0f : (i % 3 == 1 ? 1.0f : -2.0f);
            INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb << " alpha " << alpha
                      << " beta " << beta);
            CHECK(worst_error(ta, tb, M, N, K, alpha, beta, rng) < 2e-5);
        }
    }
    nnkit::packed::use_isa(before);
}

TEST_CASE("the packed GEMM with K = 0 or alpha = 0 only scales C, and refuses a micro-kernel the CPU lacks") {
    std::vector<float> C = {1, 2, 3, 4};
    nnkit::packed::sgemm(false, false, 2, 2, 0, 1.0f, nullptr, nullptr, 2.0f, C.data());
    CHECK(C == std::vector<float>{2, 4, 6, 8});
    const std::vector<float> A = {1, 1}, B = {1, 1};
    nnkit::packed::sgemm(false, false, 2, 2, 1, 0.0f, A.data(), B.data(), 0.0f, C.data());
    CHECK(C == std::vector<float>{0, 0, 0, 0});
    for (Isa isa : {Isa::avx2, Isa::avx512})
        if (!nnkit::packed::cpu_has(isa)) CHECK_THROWS_AS(nnkit::packed::use_isa(isa), std::invalid_argument);
}
