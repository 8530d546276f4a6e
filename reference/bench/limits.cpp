#include "limits.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nnkit::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Runs work(t) on n threads started together; the seconds from the start to the last one's end.
double on_threads(int n, const std::function<void(int)>& work) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < n; ++t)
        pool.emplace_back([&, t] {
            ++ready;
            while (!go.load()) std::this_thread::yield();
            work(t);
        });
    while (ready.load() < n) std::this_thread::yield();
    const auto t0 = Clock::now();
    go = true;
    for (auto& th : pool) th.join();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- the FMA loop: A independent accumulators, each acc = acc·a + b per step, so that the
// FMA units' latency (4 to 5 cycles, 2 units: 8 to 10 in flight) never stalls them; unrolled, so
// that every accumulator lives in a register. Returns a sum so the compiler cannot drop the work;
// FLOPs per call: 2 · lanes · A · steps.

float sum_of(const float* v, int n) {
    float s = 0;
    for (int i = 0; i < n; ++i) s += v[i];
    return s;
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) float fma_avx512(long steps) {
    constexpr int A = 16;  // of 32 zmm registers
    __m512 acc[A];
    for (int k = 0; k < A; ++k) acc[k] = _mm512_set1_ps(float(k));
    const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.001f);
    for (long i = 0; i < steps; ++i)
#pragma GCC unroll 16
        for (int k = 0; k < A; ++k) acc[k] = _mm512_fmadd_ps(acc[k], a, b);
    for (int k = 1; k < A; ++k) acc[0] = _mm512_add_ps(acc[0], acc[k]);
    alignas(64) float out[16];  // (not _mm512_reduce_add_ps: GCC 12's header warns inside it)
    _mm512_store_ps(out, acc[0]);
    return sum_of(out, 16);
}

__attribute__((target("avx2,fma"))) float fma_avx2(long steps) {
    constexpr int A = 12;  // of 16 ymm registers, a and b held in two more
    __m256 acc[A];
    for (int k = 0; k < A; ++k) acc[k] = _mm256_set1_ps(float(k));
    const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.001f);
    for (long i = 0; i < steps; ++i)
#pragma GCC unroll 16
        for (int k = 0; k < A; ++k) acc[k] = _mm256_fmadd_ps(acc[k], a, b);
    for (int k = 1; k < A; ++k) acc[0] = _mm256_add_ps(acc[0], acc[k]);
    alignas(32) float out[8];
    _mm256_store_ps(out, acc[0]);
    return sum_of(out, 8);
}
#endif

// SSE2 on x86-64 (every x86-64 CPU has it), or whatever the compiler makes of 4 floats elsewhere:
// a multiply and an add, 2 FLOPs per lane as an FMA counts them.
float fma_portable(long steps) {
    typedef float v4 __attribute__((vector_size(16)));
    constexpr int A = 12;
    v4 acc[A];
    for (int k = 0; k < A; ++k) acc[k] = v4{} + float(k);
    const v4 a = v4{} + 0.999f, b = v4{} + 0.001f;
    for (long i = 0; i < steps; ++i)
#pragma GCC unroll 16
        for (int k = 0; k < A; ++k) acc[k] = acc[k] * a + b;
    float s = 0;
    for (int k = 0; k < A; ++k) s += acc[k][0] + acc[k][1] + acc[k][2] + acc[k][3];
    return s;
}

struct FmaKernel {
    const char* isa;
    float (*run)(long);
    double flops_per_step;
};

FmaKernel widest_fma() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return {"avx512f", fma_avx512, 2.0 * 16 * 16};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {"avx2+fma", fma_avx2, 2.0 * 8 * 12};
    return {"sse2", fma_portable, 2.0 * 4 * 12};
#else
    return {"portable", fma_portable, 2.0 * 4 * 12};
#endif
}

volatile float g_sink;  // where the loops' sums go, so that none is optimised away

}  // namespace

Limits measure_limits(int threads) {
    if (threads < 1) throw std::invalid_argument("measure_limits: threads must be at least 1, got " + std::to_string(threads));
    Limits out;
    const FmaKernel k = widest_fma();
    out.isa = k.isa;
    // 10 GFLOP a thread and run (0.1 s at 100 GFLOP/s); the best of 5 runs (a clock that was
    // still ramping up, or another process, only ever makes a run slower).
    const long steps = 10'000'000'000L / long(k.flops_per_step);
    double best = 1e300;
    for (int r = 0; r < 5; ++r) best = std::min(best, on_threads(threads, [&](int) { g_sink = k.run(steps); }));
    out.fma_gflops = double(threads) * double(steps) * k.flops_per_step / best * 1e-9;

    // STREAM's triad over 3 arrays of 128 MiB each: each thread owns a slice, and touches it first,
    // so its pages sit where it runs.
    const std::size_t n = std::size_t(32) << 20;
    const std::unique_ptr<float[]> pa(new float[n]), pb(new float[n]), pc(new float[n]);  // untouched
    float *a = pa.get(), *b = pb.get(), *c = pc.get();
    const auto slice = [&](int t, const std::function<void(std::size_t, std::size_t)>& f) {
        const std::size_t lo = n * std::size_t(t) / std::size_t(threads), hi = n * std::size_t(t + 1) / std::size_t(threads);
        f(lo, hi);
    };
    on_threads(threads, [&](int t) {
        slice(t, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i) a[i] = 0, b[i] = 1, c[i] = 2;
        });
    });
    best = 1e300;
    for (int r = 0; r < 5; ++r)
        best = std::min(best, on_threads(threads, [&](int t) {
            slice(t, [&](std::size_t lo, std::size_t hi) {
                const float s = 0.5f;
                for (std::size_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
            });
        }));
    g_sink = a[n / 2];
    out.bandwidth_gbs = 12.0 * double(n) / best * 1e-9;
    return out;
}

}  // namespace nnkit::bench
