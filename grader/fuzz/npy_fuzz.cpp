// The .npy reader under libFuzzer: coverage-guided bytes, seeded from the fixtures' own files, as a
// file read_npy opens. Every input ends in an NpyArray or in one of the errors read_npy documents
// (std::runtime_error naming the file, or nnkit's size errors); anything else, and any report by
// AddressSanitizer or UndefinedBehaviorSanitizer, stops the run with the input that caused it.
//   ./kit fuzz --npy SECONDS     (./kit test runs it for 20 s)
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "nnkit/errors.hpp"
#include "nnkit/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/nnkit-npy-fuzz-" + std::to_string(getpid()) + ".npy";
    {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    try {
        const nnkit::NpyArray a = nnkit::read_npy(path);
        if (a.dtype == "<i8") a.as_int64();
        else a.as_double();
    } catch (const nnkit::ValueError&) {   // a size no machine holds, in checked_numel's words
    } catch (const nnkit::ShapeError&) {
    } catch (const std::runtime_error&) {  // what read_npy documents: the file and what is wrong with it
    } catch (const std::exception& e) {
        std::fprintf(stderr, "npy-fuzz: read_npy threw an undocumented %s: %s\n", typeid(e).name(), e.what());
        std::abort();
    }
    return 0;
}
