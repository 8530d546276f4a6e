// The module trees that datasets/cases/module.py builds in PyTorch, built the
// same way here, plus small helpers shared by the module tests.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::grading {

// class Block(nn.Module): lin = Linear(2, 3); buffers running (persistent), scratch (not).
struct Block : nn::Module {
    Block() : Module("Block") {
        lin = register_module("lin", std::make_shared<nn::Linear>(2, 3));
        register_buffer("running", zeros({3}));
        register_buffer("scratch", zeros({3}), /*persistent=*/false);
    }
    std::shared_ptr<nn::Linear> lin;
};

// class Net(nn.Module): a parameter, two blocks, a parameter registered twice
// ("tied" is b.lin.weight), an absent parameter, a module registered twice
// ("shared" is a.lin), an absent module.
struct Net : nn::Module {
    Net() : Module("Net") {
        register_parameter("scale", nn::Parameter(ones({1})));
        a = register_module("a", std::make_shared<Block>());
        b = register_module("b", std::make_shared<Block>());
        register_parameter("tied", b->lin->weight);
        register_parameter("absent", Tensor());
        register_module("shared", a->lin);
        register_module("empty", nn::ModulePtr());
    }
    std::shared_ptr<Block> a, b;
};

// class Deep(nn.Module): Net one level down and registered again ("again", a shared
// subtree), own buffers step (persistent) and cache (not), a Block, a parameter, and net.b
// registered at the top ("alias").
struct Deep : nn::Module {
    Deep() : Module("Deep") {
        net = register_module("net", std::make_shared<Net>());
        register_buffer("step", zeros({1}));
        register_buffer("cache", zeros({2}), /*persistent=*/false);
        register_module("again", net);
        head = register_module("head", std::make_shared<Block>());
        register_parameter("gain", nn::Parameter(ones({2})));
        register_module("alias", net->b);
    }
    std::shared_ptr<Net> net;
    std::shared_ptr<Block> head;
};

// A fixture option holding a list, stored as lines.
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    if (!text.empty() && text.back() == '\n') out.push_back("");
    return out;
}

template <typename Pairs>
std::vector<std::string> names_of(const Pairs& pairs) {
    std::vector<std::string> out;
    for (const auto& p : pairs) out.push_back(p.first);
    return out;
}

inline std::string show(const std::vector<std::string>& names) {
    std::string s = "[";
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", \"" : "\"") + names[i] + "\"";
    return s + "]";
}

}  // namespace nnkit::grading

// Fails with both lists when they differ.
#define NNKIT_CHECK_NAMES(what, expected, got)                                                           \
    do {                                                                                                 \
        const std::vector<std::string> nnkit_e_ = (expected), nnkit_g_ = (got);                          \
        if (nnkit_e_ != nnkit_g_)                                                                        \
            FAIL(std::string(what) + "\n  expected (PyTorch): " + ::nnkit::grading::show(nnkit_e_) +     \
                 "\n  got:                " + ::nnkit::grading::show(nnkit_g_));                         \
    } while (0)
