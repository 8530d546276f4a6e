// This machine's limits, which every benchmark row is measured against (docs/benchmarks.md):
//   fma_peak   the FLOP/s of fused multiply-adds on independent vector registers, the most any
//              float kernel can do here (the widest instructions the CPU has: AVX-512, AVX2+FMA,
//              or SSE2's multiply and add);
//   bandwidth  the bytes/s of STREAM's triad (a = b + s·c) over arrays far larger than the caches,
//              what an op that streams its tensors from memory can reach.
// Both run on `threads` threads at once and report the total.
#pragma once

#include <string>

namespace nnkit::bench {

struct Limits {
    std::string isa;       // "avx512f", "avx2+fma" or "sse2" (or "portable" off x86-64)
    double fma_gflops = 0;  // GFLOP/s, counting a fused multiply-add as 2
    double bandwidth_gbs = 0;  // GB/s (1e9 bytes), counting 12 bytes per triad element
};

// std::invalid_argument when threads < 1.
Limits measure_limits(int threads);

}  // namespace nnkit::bench
