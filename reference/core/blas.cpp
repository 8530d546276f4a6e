#include "nnkit/kernels/blas.hpp"

#include <cblas.h>

namespace nnkit::blas {

namespace {
CBLAS_TRANSPOSE op(bool t) { return t ? CblasTrans : CblasNoTrans; }
int as_int(std::size_t n) { return static_cast<int>(n); }
// BLAS rejects a leading dimension of 0, even for empty matrices.
int ld(std::size_t n) { return static_cast<int>(n > 0 ? n : 1); }

template <typename T>
void scale(std::size_t n, T beta, T* C) {
    for (std::size_t i = 0; i < n; ++i) C[i] = beta == T(0) ? T(0) : beta * C[i];
}
}  // namespace

template <>
void gemm<float>(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
                 const float* B, float beta, float* C) {
    if (M == 0 || N == 0) return;
    if (K == 0) return scale(M * N, beta, C);
    if (M == 1) {
        // One row (a Linear layer at batch 1): a matrix-vector product, 2.5-4x faster than GEMM.
        // C(1,N) = a(1,K)·op(B): op(B)ᵀ·a, B stored (N,K) when trans_b, else (K,N).
        if (tb)
            cblas_sgemv(CblasRowMajor, CblasNoTrans, as_int(N), as_int(K), alpha, B, ld(K), A, 1, beta, C, 1);
        else
            cblas_sgemv(CblasRowMajor, CblasTrans, as_int(K), as_int(N), alpha, B, ld(N), A, 1, beta, C, 1);
        return;
    }
    cblas_sgemm(CblasRowMajor, op(ta), op(tb), as_int(M), as_int(N), as_int(K), alpha, A,
                ld(ta ? M : K), B, ld(tb ? K : N), beta, C, ld(N));
}

template <>
void gemm<double>(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, double alpha,
                  const double* A, const double* B, double beta, double* C) {
    if (M == 0 || N == 0) return;
    if (K == 0) return scale(M * N, beta, C);
    if (M == 1) {
        // One row (a Linear layer at batch 1): a matrix-vector product, 2.5-4x faster than GEMM.
        // C(1,N) = a(1,K)·op(B): op(B)ᵀ·a, B stored (N,K) when trans_b, else (K,N).
        if (tb)
            cblas_dgemv(CblasRowMajor, CblasNoTrans, as_int(N), as_int(K), alpha, B, ld(K), A, 1, beta, C, 1);
        else
            cblas_dgemv(CblasRowMajor, CblasTrans, as_int(K), as_int(N), alpha, B, ld(N), A, 1, beta, C, 1);
        return;
    }
    cblas_dgemm(CblasRowMajor, op(ta), op(tb), as_int(M), as_int(N), as_int(K), alpha, A,
                ld(ta ? M : K), B, ld(tb ? K : N), beta, C, ld(N));
}

}  // namespace nnkit::blas
