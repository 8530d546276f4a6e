#include "nnkit/kernels/packed_gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nnkit::packed {

namespace {

// The blocking: an A block of MC x KC floats (120 x 256: 120 KiB, L2), a B strip of KC x NR
// (256 x 32: 32 KiB at most, L1), a B block of KC x NC (256 x 3072: 3 MiB, L3).
constexpr std::size_t KC = 256, MC = 120, NC = 3072;
constexpr std::size_t MR = 6;  // rows of a micro-tile, the same for every width (MC is a multiple)

// ---- packing: the strips the micro-kernel reads in order, zero-padded to whole strips.

// A(i, k) of op(A): A stored (M,K), or (K,M) when transposed.
struct Matrix {
    const float* p;
    std::size_t ld;
    bool trans;
    float at(std::size_t r, std::size_t c) const { return trans ? p[c * ld + r] : p[r * ld + c]; }
};

// op(A)[i0:i0+mc, k0:k0+kc] as MR-tall strips: strip s holds, for each k, MR values of column k.
void pack_a(const Matrix& a, std::size_t i0, std::size_t mc, std::size_t k0, std::size_t kc, float* out) {
    for (std::size_t s = 0; s < mc; s += MR) {
        const std::size_t rows = std::min(MR, mc - s);
        for (std::size_t k = 0; k < kc; ++k)
            for (std::size_t r = 0; r < MR; ++r) *out++ = r < rows ? a.at(i0 + s + r, k0 + k) : 0.0f;
    }
}

// op(B)[k0:k0+kc, j0:j0+nc] as NR-wide strips: strip s holds, for each k, NR values of row k.
void pack_b(const Matrix& b, std::size_t k0, std::size_t kc, std::size_t j0, std::size_t nc, std::size_t nr,
            float* out) {
    for (std::size_t s = 0; s < nc; s += nr) {
        const std::size_t cols = std::min(nr, nc - s);
        for (std::size_t k = 0; k < kc; ++k) {
            if (!b.trans && cols == nr) {  // a whole row of B, contiguous: copy it
                std::memcpy(out, b.p + (k0 + k) * b.ld + j0 + s, nr * sizeof(float));
                out += nr;
                continue;
            }
            for (std::size_t c = 0; c < nr; ++c) *out++ = c < cols ? b.at(k0 + k, j0 + s + c) : 0.0f;
        }
    }
}

// ---- the micro-kernels: C[m x n] += alpha · (A strip · B strip), m <= MR, n <= NR = 2 vectors.
// One template (packed_gemm_micro.inc) over an instruction set's five vector operations (Ops:
// load and store unaligned, splat a float from memory, fma, zero), included once per instruction
// set with the compiler's target set to it: the three share every line but those five.

using MicroKernel = void (*)(std::size_t, const float*, const float*, float*, std::size_t, float, std::size_t,
                             std::size_t);

#define NNKIT_OPS inline static __attribute__((always_inline))

#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx512f")
namespace avx512 {
struct Ops {
    using V = __m512;
    static constexpr int W = 16;
    NNKIT_OPS V load(const float* p) { return _mm512_loadu_ps(p); }
    NNKIT_OPS void store(float* p, V v) { _mm512_storeu_ps(p, v); }
    NNKIT_OPS V splat(const float* p) { return _mm512_set1_ps(*p); }
    NNKIT_OPS V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
    NNKIT_OPS V zero() { return _mm512_setzero_ps(); }
};
#include "packed_gemm_micro.inc"
}  // namespace avx512
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
struct Ops {
    using V = __m256;
    static constexpr int W = 8;
    NNKIT_OPS V load(const float* p) { return _mm256_loadu_ps(p); }
    NNKIT_OPS void store(float* p, V v) { _mm256_storeu_ps(p, v); }
    NNKIT_OPS V splat(const float* p) { return _mm256_broadcast_ss(p); }
    NNKIT_OPS V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
    NNKIT_OPS V zero() { return _mm256_setzero_ps(); }
};
#include "packed_gemm_micro.inc"
}  // namespace avx2
#pragma GCC pop_options

namespace portable {
struct Ops {  // SSE2, which every x86-64 CPU has: a multiply and an add for an FMA
    using V = __m128;
    static constexpr int W = 4;
    NNKIT_OPS V load(const float* p) { return _mm_loadu_ps(p); }
    NNKIT_OPS void store(float* p, V v) { _mm_storeu_ps(p, v); }
    NNKIT_OPS V splat(const float* p) { return _mm_set1_ps(*p); }
    NNKIT_OPS V fma(V a, V b, V c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
    NNKIT_OPS V zero() { return _mm_setzero_ps(); }
};
#include "packed_gemm_micro.inc"
}  // namespace portable
#else
namespace portable {
struct Ops {  // another architecture: what the compiler makes of 4 floats
    typedef float V __attribute__((vector_size(16)));
    static constexpr int W = 4;
    NNKIT_OPS V load(const float* p) { V v; std::memcpy(&v, p, sizeof v); return v; }
    NNKIT_OPS void store(float* p, V v) { std::memcpy(p, &v, sizeof v); }
    NNKIT_OPS V splat(const float* p) { return V{} + *p; }
    NNKIT_OPS V fma(V a, V b, V c) { return a * b + c; }
    NNKIT_OPS V zero() { return V{}; }
};
#include "packed_gemm_micro.inc"
}  // namespace portable
#endif

struct Kernel {
    MicroKernel run;
    std::size_t nr;
};

Kernel kernel_of(Isa isa) {
    switch (isa) {
#if defined(__x86_64__)
        case Isa::avx512: return {avx512::micro_tile, 32};
        case Isa::avx2: return {avx2::micro_tile, 16};
#endif
        default: return {portable::micro_tile, 8};
    }
}

Isa widest() {
    for (Isa i : {Isa::avx512, Isa::avx2})
        if (cpu_has(i)) return i;
    return Isa::portable;
}

Isa from_env() {
    const char* v = std::getenv("NNKIT_GEMM_ISA");
    if (!v || !*v) return widest();
    for (Isa i : {Isa::portable, Isa::avx2, Isa::avx512})
        if (std::string(v) == isa_name(i)) {
            if (!cpu_has(i)) throw std::invalid_argument(std::string("NNKIT_GEMM_ISA=") + v + ": this CPU lacks it");
            return i;
        }
    throw std::invalid_argument(std::string("NNKIT_GEMM_ISA must be portable, avx2 or avx512, got '") + v + "'");
}

Isa& current() {
    static Isa isa = from_env();
    return isa;
}

}  // namespace

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::avx512: return "avx512";
        case Isa::avx2: return "avx2";
        default: return "portable";
    }
}

bool cpu_has(Isa isa) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (isa == Isa::avx512) return __builtin_cpu_supports("avx512f");
    if (isa == Isa::avx2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return isa == Isa::portable;
}

Isa isa() { return current(); }

void use_isa(Isa isa) {
    if (!cpu_has(isa)) throw std::invalid_argument(std::string("this CPU cannot run the ") + isa_name(isa) + " micro-kernel");
    current() = isa;
}

void sgemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
           const float* B, float beta, float* C) {
    // C = beta · C first (beta = 0: zeros, so a NaN already in C is gone, as BLAS does).
    if (beta == 0.0f) std::fill(C, C + M * N, 0.0f);
    else if (beta != 1.0f) for (std::size_t i = 0; i < M * N; ++i) C[i] *= beta;
    if (M == 0 || N == 0 || K == 0 || alpha == 0.0f) return;
    const Kernel kernel = kernel_of(current());
    const Matrix a{A, trans_a ? M : K, trans_a}, b{B, trans_b ? K : N, trans_b};
    // The packed blocks, rounded up to whole strips; reused across calls on this thread.
    thread_local std::vector<float> pa, pb;
    pa.resize(MC * KC);
    pb.resize((NC + kernel.nr) * KC);
    for (std::size_t jc = 0; jc < N; jc += NC) {
        const std::size_t nc = std::min(NC, N - jc);
        for (std::size_t pc = 0; pc < K; pc += KC) {
            const std::size_t kc = std::min(KC, K - pc);
            pack_b(b, pc, kc, jc, nc, kernel.nr, pb.data());
            for (std::size_t ic = 0; ic < M; ic += MC) {
                const std::size_t mc = std::min(MC, M - ic);
                pack_a(a, ic, mc, pc, kc, pa.data());
                for (std::size_t jr = 0; jr < nc; jr += kernel.nr)
                    for (std::size_t ir = 0; ir < mc; ir += MR)
                        kernel.run(kc, pa.data() + ir * kc, pb.data() + jr * kc, C + (ic + ir) * N + jc + jr, N, alpha,
                                   std::min(MR, mc - ir), std::min(kernel.nr, nc - jr));
            }
        }
    }
}

}  // namespace nnkit::packed
