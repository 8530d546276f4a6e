// Fresh modules by PyTorch's class name, for the registration checks against fixture
// module/python_attributes (the module unit's test and the core sweep).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/loss.hpp"
#include "nnkit/nn/parameter_container.hpp"
#include "nnkit/nn/pooling.hpp"

namespace nnkit::grading {

inline nn::ModulePtr fresh_module(const std::string& cls) {
    if (cls == "Module") return std::make_shared<nn::Module>("Module");
    if (cls == "Linear") return std::make_shared<nn::Linear>(2, 3);
    if (cls == "Conv2d") return std::make_shared<nn::Conv2d>(1, 1, 1);
    if (cls == "MaxPool2d") return std::make_shared<nn::MaxPool2d>(2);
    if (cls == "AdaptiveAvgPool2d") return std::make_shared<nn::AdaptiveAvgPool2d>(2);
    if (cls == "ReLU") return std::make_shared<nn::ReLU>();
    if (cls == "CrossEntropyLoss") return std::make_shared<nn::CrossEntropyLoss>();
    if (cls == "Sequential") return std::make_shared<nn::Sequential>();
    if (cls == "ModuleDict") return std::make_shared<nn::ModuleDict>();
    if (cls == "ParameterDict") return std::make_shared<nn::ParameterDict>(nn::NamedTensors{});
    throw std::logic_error("fresh_module: no " + cls);
}

// add_module(name, None) and register_buffer(name, None) on a fresh `cls` do what the fixture
// module/python_attributes says PyTorch did: "ok", or a KeyError with its message.
inline void check_registration(const Fixture& f, const std::string& cls, const std::string& name) {
    for (const std::string how : {"add_module", "register_buffer"}) {
        INFO(how << "('" << name << "') on a fresh " << cls << " (PyTorch's nn." << cls << ")");
        const std::string want = f.string_option(how + " " + cls + " " + name);
        const nn::ModulePtr m = fresh_module(cls);
        const auto call = [&] {
            if (how == "add_module")
                m->register_module(name, nullptr);
            else
                m->register_buffer(name, Tensor());
        };
        if (want == "ok")
            CHECK_NOTHROW(call());
        else
            NNKIT_CHECK_THROWS(call(), KeyError, want);
    }
}

}  // namespace nnkit::grading
