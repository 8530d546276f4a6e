// The random numbers every draw in nnkit comes from: dropout's masks, RReLU's slopes, init, rand.
#pragma once

#include <cstdint>

namespace nnkit {

// One seeded generator per program, as torch's default CPU generator.
// The streams differ from PyTorch's: nnkit never compares random draws with
// PyTorch values, only with their distribution.
class Generator {
public:
    explicit Generator(std::uint64_t seed = 0) { manual_seed(seed); }
    void manual_seed(std::uint64_t seed);
    std::uint64_t next_u64();
    double uniform();  // [0, 1), 53 random bits
    double normal();   // standard normal (Box–Muller)
private:
    std::uint64_t state_[4]{};
    bool has_spare_ = false;
    double spare_ = 0.0;
};

Generator& default_generator();
void manual_seed(std::uint64_t seed);

}  // namespace nnkit
