// Activation modules: ReLU, Sigmoid, Tanh, LeakyReLU, PReLU, RReLU, ReLU6, Hardtanh, ELU, GELU.
// https://pytorch.org/docs/1.13/nn.html#non-linear-activations-weighted-sum-nonlinearity
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

// https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html
class ReLU : public Module {
public:
    NNKIT_MODULE_COPY(ReLU)
    explicit ReLU(bool inplace = false) : Module("ReLU"), inplace(inplace) {}
    // input:(*) -> (*)
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }

    bool inplace;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Sigmoid.html
class Sigmoid : public Module {
public:
    NNKIT_MODULE_COPY(Sigmoid)
    Sigmoid() : Module("Sigmoid") {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Tanh.html
class Tanh : public Module {
public:
    NNKIT_MODULE_COPY(Tanh)
    Tanh() : Module("Tanh") {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
};

// https://pytorch.org/docs/1.13/generated/torch.nn.LeakyReLU.html
struct LeakyReLUOptions {
    LeakyReLUOptions& negative_slope(double v) { negative_slope_ = v; return *this; }
    LeakyReLUOptions& inplace(bool v) { inplace_ = v; return *this; }
    double negative_slope_ = 0.01;
    bool inplace_ = false;
};

class LeakyReLU : public Module {
public:
    NNKIT_MODULE_COPY(LeakyReLU)
    explicit LeakyReLU(const LeakyReLUOptions& options = {}) : Module("LeakyReLU"), options(options) {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;       // "negative_slope=0.01[, inplace=True]"

    LeakyReLUOptions options;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.PReLU.html
struct PReLUOptions {
    PReLUOptions& num_parameters(std::size_t v) { num_parameters_ = v; return *this; }
    PReLUOptions& init(double v) { init_ = v; return *this; }
    std::size_t num_parameters_ = 1;  // 1, or the number of input channels (dim 1)
    double init_ = 0.25;
};

class PReLU : public Module {
public:
    NNKIT_MODULE_COPY(PReLU)
    void relink() override { relink_member("weight", weight); }
    explicit PReLU(const PReLUOptions& options = {});
    Tensor forward(const Tensor& input) override;  // (N, C, *) -> (N, C, *)
    std::string extra_repr() const override;       // "num_parameters=1"

    PReLUOptions options;
    Parameter weight;  // (num_parameters), filled with init
};

// https://pytorch.org/docs/1.13/generated/torch.nn.RReLU.html
struct RReLUOptions {
    RReLUOptions& lower(double v) { lower_ = v; return *this; }
    RReLUOptions& upper(double v) { upper_ = v; return *this; }
    RReLUOptions& inplace(bool v) { inplace_ = v; return *this; }
    double lower_ = 1.0 / 8;
    double upper_ = 1.0 / 3;
    bool inplace_ = false;
};

// In training mode each forward draws fresh slopes from default_generator()
// (seed it with nnkit::manual_seed); in eval mode the slope is (lower + upper) / 2.
class RReLU : public Module {
public:
    NNKIT_MODULE_COPY(RReLU)
    explicit RReLU(const RReLUOptions& options = {}) : Module("RReLU"), options(options) {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;       // "lower=0.125, upper=0.3333333333333333[, inplace=True]"

    RReLUOptions options;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.ReLU6.html
// min(max(x, 0), 6): PyTorch's ReLU6 is a Hardtanh(0, 6) that prints only inplace.
class ReLU6 : public Module {
public:
    NNKIT_MODULE_COPY(ReLU6)
    explicit ReLU6(bool inplace = false) : Module("ReLU6"), inplace(inplace) {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }

    bool inplace;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Hardtanh.html
struct HardtanhOptions {
    HardtanhOptions& min_val(double v) { min_val_ = v; return *this; }
    HardtanhOptions& max_val(double v) { max_val_ = v; return *this; }
    HardtanhOptions& inplace(bool v) { inplace_ = v; return *this; }
    double min_val_ = -1.0;
    double max_val_ = 1.0;
    bool inplace_ = false;
};

// The constructor requires max_val > min_val (PyTorch asserts it, with no message).
class Hardtanh : public Module {
public:
    NNKIT_MODULE_COPY(Hardtanh)
    explicit Hardtanh(const HardtanhOptions& options = {});
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;       // "min_val=-1.0, max_val=1.0[, inplace=True]"

    HardtanhOptions options;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.ELU.html
struct ELUOptions {
    ELUOptions& alpha(double v) { alpha_ = v; return *this; }
    ELUOptions& inplace(bool v) { inplace_ = v; return *this; }
    double alpha_ = 1.0;
    bool inplace_ = false;
};

class ELU : public Module {
public:
    NNKIT_MODULE_COPY(ELU)
    explicit ELU(const ELUOptions& options = {}) : Module("ELU"), options(options) {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;       // "alpha=1.0[, inplace=True]"

    ELUOptions options;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.GELU.html
// approximate "none" or "tanh"; another string fails when called, as in PyTorch.
class GELU : public Module {
public:
    NNKIT_MODULE_COPY(GELU)
    explicit GELU(std::string approximate = "none") : Module("GELU"), approximate(std::move(approximate)) {}
    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override { return "approximate='" + approximate + "'"; }

    std::string approximate;
};

}  // namespace nnkit::nn
