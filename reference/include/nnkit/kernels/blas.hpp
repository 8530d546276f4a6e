// The one GEMM that nnkit's fast kernels share, for float and double.
#pragma once

#include <cstddef>
#include <string>

namespace nnkit::blas {

// C(M,N) = alpha · op(A) · op(B) + beta · C, all row-major and contiguous.
// op(A) is (M,K): A is stored (M,K), or (K,M) when trans_a.
// op(B) is (K,N): B is stored (K,N), or (N,K) when trans_b.
template <typename T>
void gemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
          const T* B, T beta, T* C);

// The BLAS library in use, and OpenBLAS's kernel family (e.g. "SkylakeX") when it is OpenBLAS.
std::string backend();

}  // namespace nnkit::blas
