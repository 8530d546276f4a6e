#include "nnkit/kernels/blas.hpp"

#include <cblas.h>

#include <dlfcn.h>

#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#ifndef NNKIT_BLAS_LIBRARY
#define NNKIT_BLAS_LIBRARY "libblas.so.3"
#endif

// Why BLAS is opened here, at the first GEMM, instead of being linked:
// OpenBLAS chooses its kernels once, when it is loaded, from the CPU's model number. Debian 12's
// OpenBLAS 0.3.21 does not know Intel models newer than itself (the Xeons CI runs on report model
// 207) and falls back to its SSE3 "Prescott" kernels: sgemm at ~20 GFLOP/s on one core, where its
// AVX-512 "SkylakeX" kernels reach ~150 on the same machine. The only way to choose is the
// OPENBLAS_CORETYPE variable, read by OpenBLAS's own constructor, and a linked library runs its
// constructor before any of nnkit's code. So nnkit sets the variable, then loads the library.
namespace {

// An Intel CPU with SkylakeX's AVX-512 subsets runs SkylakeX's kernels correctly. A variable the
// user set always wins (OPENBLAS_CORETYPE=Prescott gives back OpenBLAS's own choice here).
void choose_openblas_kernels() {
    if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;
    if (__builtin_cpu_is("intel") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
}

struct Cblas {
    decltype(&cblas_sgemm) sgemm;
    decltype(&cblas_dgemm) dgemm;
    decltype(&cblas_sgemv) sgemv;
    decltype(&cblas_dgemv) dgemv;
    const char* (*corename)();  // OpenBLAS only; null for another BLAS
};

template <typename F>
F symbol(void* lib, const char* name) {
    void* f = dlsym(lib, name);
    if (f == nullptr)
        throw std::runtime_error(std::string("BLAS library " NNKIT_BLAS_LIBRARY " has no ") + name);
    return reinterpret_cast<F>(f);
}

Cblas open_cblas() {
    choose_openblas_kernels();
    void* lib = dlopen(NNKIT_BLAS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr)
        throw std::runtime_error(std::string("cannot load the BLAS library: ") + dlerror() +
                                 " (install libopenblas-dev, or run ./kit, which installs it)");
    Cblas c{};
    c.sgemm = symbol<decltype(c.sgemm)>(lib, "cblas_sgemm");
    c.dgemm = symbol<decltype(c.dgemm)>(lib, "cblas_dgemm");
    c.sgemv = symbol<decltype(c.sgemv)>(lib, "cblas_sgemv");
    c.dgemv = symbol<decltype(c.dgemv)>(lib, "cblas_dgemv");
    c.corename = reinterpret_cast<const char* (*)()>(dlsym(lib, "openblas_get_corename"));
    return c;  // the library stays loaded for the life of the process
}

const Cblas& cblas() {
    static const Cblas c = open_cblas();
    return c;
}

}  // namespace

namespace nnkit::blas {

std::string backend() {
    const Cblas& c = cblas();
    std::string name = NNKIT_BLAS_LIBRARY;
    if (c.corename) name += std::string(" (OpenBLAS kernels: ") + c.corename() + ")";
    return name;
}

namespace {
CBLAS_TRANSPOSE op(bool t) { return t ? CblasTrans : CblasNoTrans; }
// CBLAS takes int sizes: a larger one would wrap around, so it is refused.
int as_int(std::size_t n) {
    if (n > std::size_t(std::numeric_limits<int>::max()))
        throw std::length_error("blas::gemm: a size of " + std::to_string(n) + " exceeds CBLAS's int");
    return static_cast<int>(n);
}
// BLAS rejects a leading dimension of 0, even for empty matrices.
int ld(std::size_t n) { return n > 0 ? as_int(n) : 1; }

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
            cblas().sgemv(CblasRowMajor, CblasNoTrans, as_int(N), as_int(K), alpha, B, ld(K), A, 1, beta, C, 1);
        else
            cblas().sgemv(CblasRowMajor, CblasTrans, as_int(K), as_int(N), alpha, B, ld(N), A, 1, beta, C, 1);
        return;
    }
    cblas().sgemm(CblasRowMajor, op(ta), op(tb), as_int(M), as_int(N), as_int(K), alpha, A,
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
            cblas().dgemv(CblasRowMajor, CblasNoTrans, as_int(N), as_int(K), alpha, B, ld(K), A, 1, beta, C, 1);
        else
            cblas().dgemv(CblasRowMajor, CblasTrans, as_int(K), as_int(N), alpha, B, ld(N), A, 1, beta, C, 1);
        return;
    }
    cblas().dgemm(CblasRowMajor, op(ta), op(tb), as_int(M), as_int(N), as_int(K), alpha, A,
                ld(ta ? M : K), B, ld(tb ? K : N), beta, C, ld(N));
}

}  // namespace nnkit::blas
