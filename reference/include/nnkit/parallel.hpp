// OpenMP's thread queries, or their one-thread answers when nnkit is built
// without OpenMP (Apple's clang without libomp, say): the `#pragma omp` loops
// then run serially, and give the same results.
#pragma once

#ifdef _OPENMP
#include <omp.h>
#endif

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "nnkit/errors.hpp"

namespace nnkit::parallel {

// How many threads a parallel loop started here would use.
inline int max_threads() {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

// Inside a parallel region: this thread's number (0, 1, ...) and how many there are.
inline int thread_num() {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}
inline int num_threads() {
#ifdef _OPENMP
    return omp_get_num_threads();
#else
    return 1;
#endif
}

// Sets how many threads later parallel loops use (OMP_NUM_THREADS sets the default).
inline void set_max_threads(int n) {
    if (n < 1) throw ValueError("set_max_threads: n must be at least 1, got " + std::to_string(n));
#ifdef _OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

// body(i) for every chunk i < n, the chunks shared by the threads. One chunk runs outside any
// parallel region: inside one, even on a single thread, OpenBLAS gives up its own threads, and
// a batch-1 GEMM would run on one core. An exception cannot leave a parallel loop (the program
// would end), so the first one is kept and thrown after it.
template <typename Body>
void for_each_chunk(std::size_t n, Body&& body) {
    if (n == 1) return body(0);
    std::exception_ptr error;
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < std::int64_t(n); ++i) {
        try {
            body(std::size_t(i));
        } catch (...) {
#pragma omp critical(nnkit_chunk_error)
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace nnkit::parallel
