// nn::Module — the base class of every layer and model.
// https://pytorch.org/docs/1.13/generated/torch.nn.Module.html
//
// A module owns three ordered registries, filled by register_* calls in the
// constructor: parameters, buffers and submodules. Traversals walk them
// recursively and join names with '.', as PyTorch does.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nnkit/ordered_dict.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::nn {

// A tensor that is a module's learnable weight: requires_grad by default.
class Parameter : public Tensor {
public:
    Parameter() = default;
    explicit Parameter(const Tensor& data, bool requires_grad = true);
};

class Module;
using ModulePtr = std::shared_ptr<Module>;

class Module {
public:
    // `type_name` is the class name shown by repr(), e.g. "Linear".
    explicit Module(std::string type_name);
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // Calls forward(). Subclasses override forward, never operator().
    Tensor operator()(const Tensor& input);
    virtual Tensor forward(const Tensor& input);

    const std::string& type_name() const { return type_name_; }

    // ---- registries
    // An undefined tensor registers the name with no parameter (PyTorch's None).
    void register_parameter(const std::string& name, const Tensor& param);
    void register_buffer(const std::string& name, const Tensor& buffer, bool persistent = true);
    ModulePtr register_module(const std::string& name, ModulePtr module);
    template <typename M>
    std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
        register_module(name, ModulePtr(module));
        return module;
    }

    // ---- traversals (each object listed once, as PyTorch de-duplicates)
    std::vector<std::pair<std::string, Tensor>> named_parameters(const std::string& prefix = "",
                                                                 bool recurse = true) const;
    std::vector<Tensor> parameters(bool recurse = true) const;
    std::vector<std::pair<std::string, Tensor>> named_buffers(const std::string& prefix = "",
                                                              bool recurse = true) const;
    std::vector<std::pair<std::string, ModulePtr>> named_children() const;
    std::vector<ModulePtr> children() const;

    // ---- mode
    Module& train(bool mode = true);
    Module& eval() { return train(false); }
    bool is_training() const { return training_; }

    // Zeroes every parameter's gradient in place (PyTorch 1.13's default, set_to_none=False).
    void zero_grad();

    // ---- printing, as PyTorch's __repr__
    virtual std::string extra_repr() const { return ""; }
    std::string repr() const;

protected:
    OrderedDict<Tensor> parameters_;
    OrderedDict<Tensor> buffers_;
    OrderedDict<ModulePtr> modules_;
    std::vector<std::string> non_persistent_buffers_;

private:
    void check_new_name(const std::string& kind, const std::string& name) const;

    std::string type_name_;
    bool training_ = true;
};

std::ostream& operator<<(std::ostream& os, const Module& m);

// Pieces of PyTorch's reprs: "True"/"False", and "(5, 5)" for a tuple.
std::string py_bool(bool b);
std::string py_tuple(const std::vector<std::size_t>& values);

}  // namespace nnkit::nn
