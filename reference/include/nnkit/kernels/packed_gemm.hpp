// A packed GEMM (BLIS's structure), nnkit's own, beside the BLAS one (blas.hpp) that it is
// measured against:
//
//   for jc in N by NC:                 a column block of B and C
//     for pc in K by KC:               pack B[pc:pc+KC, jc:jc+NC] into NR-wide strips (fits L3)
//       for ic in M by MC:             pack A[ic:ic+MC, pc:pc+KC] into MR-tall strips (fits L2)
//         for jr in NC by NR, ir in MC by MR:
//           micro-kernel: C[MR x NR] += A strip (MR x KC) · B strip (KC x NR), the MR x NR tile
//           held in vector registers for the whole KC loop (fits L1)
//
// The micro-kernel is one template, instantiated for three vector widths, each compiled for its
// instructions and chosen at run time from the CPU's features: AVX-512 (16 floats), AVX2 + FMA
// (8), and a portable one (4: SSE2 on x86-64, whatever the compiler makes of 4 floats elsewhere),
// so a build runs on every x86-64 CPU and on other architectures.
#pragma once

#include <cstddef>

namespace nnkit::packed {

enum class Isa { portable, avx2, avx512 };

// The micro-kernel in use: the widest this CPU has, unless NNKIT_GEMM_ISA (portable, avx2 or
// avx512) names a narrower one.
Isa isa();
const char* isa_name(Isa isa);
bool cpu_has(Isa isa);
// For tests: use `isa` from now on (std::invalid_argument if this CPU lacks it).
void use_isa(Isa isa);

// The same contract as blas::gemm<float>: C(M,N) = alpha · op(A) · op(B) + beta · C, row-major
// and contiguous; A is (M,K), or (K,M) when trans_a; B is (K,N), or (N,K) when trans_b.
// beta = 0 overwrites C (a NaN there does not survive).
void sgemm(bool trans_a, bool trans_b, std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
           const float* B, float beta, float* C);

}  // namespace nnkit::packed
