// nn::Module — the base class of every layer and model.
// https://pytorch.org/docs/1.13/generated/torch.nn.Module.html
//
// A module owns ordered registries, filled by register_* calls in the
// constructor: parameters, buffers, submodules, and three kinds of hooks.
// Traversals walk them recursively and join names with '.', as PyTorch does.
// Where LibTorch differs from Python PyTorch 1.13 (no hooks, no state_dict,
// duplicates listed twice), nnkit follows Python.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nnkit/errors.hpp"
#include "nnkit/format.hpp"
#include "nnkit/ordered_dict.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::nn {

// A tensor that is a module's learnable weight: requires_grad by default.
// https://pytorch.org/docs/1.13/generated/torch.nn.parameter.Parameter.html
class Parameter : public Tensor {
public:
    Parameter() = default;
    explicit Parameter(const Tensor& data, bool requires_grad = true);
};

class Module;
using ModulePtr = std::shared_ptr<Module>;
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using NamedModules = std::vector<std::pair<std::string, ModulePtr>>;

// Keys like "conv1.weight", in the order PyTorch saves them.
using StateDict = OrderedDict<Tensor>;

// What load_state_dict(strict=false) reports (PyTorch's _IncompatibleKeys).
struct IncompatibleKeys {
    std::vector<std::string> missing_keys;
    std::vector<std::string> unexpected_keys;
};

// Hooks. A hook returns an undefined Tensor() for "None" (keep the value), or a
// replacement. Plain lambdas returning void are accepted too (see below).
//   pre-hook(module, input)                      -> replacement input
//   forward hook(module, input, output)          -> replacement output
//   full backward hook(module, grad_input, grad_output) -> replacement grad_input
// PyTorch passes tuples; an nnkit module has one input and one output, so
// each is one Tensor (undefined when no gradient flows to the input).
using ForwardPreHook = std::function<Tensor(Module&, const Tensor& input)>;
using ForwardHook = std::function<Tensor(Module&, const Tensor& input, const Tensor& output)>;
using BackwardHook = std::function<Tensor(Module&, const Tensor& grad_input, const Tensor& grad_output)>;

// The three hook registries of a module, keyed by handle id. Shared with the
// handles, so remove() stays safe after the module is gone.
struct HookDicts {
    OrderedDict<ForwardPreHook, std::size_t> forward_pre;
    OrderedDict<ForwardHook, std::size_t> forward;
    OrderedDict<BackwardHook, std::size_t> backward;
};

// torch.utils.hooks.RemovableHandle: ids come from one counter shared by
// every hook of every module, so they increase in registration order.
class RemovableHandle {
public:
    RemovableHandle() = default;
    RemovableHandle(std::weak_ptr<HookDicts> dicts, std::size_t id) : dicts_(std::move(dicts)), id_(id) {}
    std::size_t id() const { return id_; }
    // Removes the hook; removing twice, or after the module is gone, does nothing.
    void remove();

private:
    std::weak_ptr<HookDicts> dicts_;
    std::size_t id_ = 0;
};

class Module : public std::enable_shared_from_this<Module> {
public:
    // `type_name` is the class name shown by repr(), e.g. "Linear".
    explicit Module(std::string type_name);
    virtual ~Module() = default;
    Module& operator=(const Module&) = delete;

    // PyTorch's __call__: pre-hooks, forward(), forward hooks, and the
    // identity nodes that fire full backward hooks. Subclasses override
    // forward, never operator().
    Tensor operator()(const Tensor& input);
    virtual Tensor forward(const Tensor& input);

    const std::string& type_name() const { return type_name_; }

    // ---- registries (PyTorch's name checks and messages)
    // An undefined tensor / null module registers the name with no value
    // (PyTorch's None): it stays in the registry and in repr, but traversals
    // and state_dict skip it.
    void register_parameter(const std::string& name, const Tensor& param);
    // Python's hasattr for what is not a registry: true when PyTorch's module of this class already
    // has `name` as an attribute (training, a method such as forward or keys, a field such as
    // in_features), which register_* refuse: "attribute 'forward' already exists". A class PyTorch
    // does not have (your own) has nn.Module's names. Generated from PyTorch 1.13.
    bool is_python_attribute(const std::string& name) const;
    void register_buffer(const std::string& name, const Tensor& buffer, bool persistent = true);
    ModulePtr register_module(const std::string& name, ModulePtr module);
    template <typename M>
    std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
        register_module(name, ModulePtr(module));
        return module;
    }

    // The registries themselves, read-only (PyTorch's _parameters, _buffers, _modules).
    const OrderedDict<Tensor>& parameter_dict() const { return parameters_; }
    const OrderedDict<Tensor>& buffer_dict() const { return buffers_; }
    const OrderedDict<ModulePtr>& module_dict() const { return modules_; }
    const HookDicts& hook_dicts() const { return *hooks_; }

    // Python's `del module.name`: removes the parameter, buffer or submodule registered
    // under `name` (a buffer also leaves the non-persistent set). Any other name is an
    // AttributeError "'Net' object has no attribute 'name'".
    void delattr(const std::string& name);

    // ---- lookup by dotted path (PyTorch's get_submodule / get_parameter / get_buffer)
    // "" is this module; "net.b.lin" walks the submodule registries. A name the module does
    // not hold is an AttributeError "Net has no attribute `x`"; a name it holds as something
    // else (or as None) "`x` is not an nn.Module" / "... an nn.Parameter" / "... a buffer".
    // get_buffer returns an undefined Tensor for a buffer registered as None, as PyTorch does.
    ModulePtr get_submodule(const std::string& target) const;
    Tensor get_parameter(const std::string& target) const;
    Tensor get_buffer(const std::string& target) const;

    // Freezing: sets requires_grad on every parameter of the tree (PyTorch's
    // Module.requires_grad_). Returns *this.
    Module& requires_grad_(bool requires_grad = true);

    // ---- traversals: pre-order, dotted names, each object listed once
    NamedTensors named_parameters(const std::string& prefix = "", bool recurse = true) const;
    std::vector<Tensor> parameters(bool recurse = true) const;
    NamedTensors named_buffers(const std::string& prefix = "", bool recurse = true) const;
    std::vector<Tensor> buffers(bool recurse = true) const;
    NamedModules named_children() const;
    std::vector<ModulePtr> children() const;
    // The root comes first with name `prefix` ("" by default).
    NamedModules named_modules(const std::string& prefix = "", bool remove_duplicate = true) const;
    std::vector<ModulePtr> modules() const;

    // fn on every submodule (children first, post-order), then on this module.
    Module& apply(const std::function<void(Module&)>& fn);

    // ---- mode
    Module& train(bool mode = true);
    Module& eval() { return train(false); }
    bool is_training() const { return training_; }

    // Zeroes every parameter's gradient in place (PyTorch 1.13's default), or
    // drops it with set_to_none.
    void zero_grad(bool set_to_none = false);

    // ---- state_dict: own parameters, own persistent buffers, then children.
    // Values are detached tensors sharing the module's storage (keep_vars=False).
    StateDict state_dict(const std::string& prefix = "") const;
    // Copies values in. Missing, unexpected keys (strict) and shape mismatches
    // (always) throw ValueError with PyTorch's message.
    IncompatibleKeys load_state_dict(const StateDict& state_dict, bool strict = true);

    // ---- hooks
    template <typename F>
    RemovableHandle register_forward_pre_hook(F hook) {
        return add_forward_pre_hook(as_hook<ForwardPreHook, F, Module&, const Tensor&>(std::move(hook)));
    }
    template <typename F>
    RemovableHandle register_forward_hook(F hook) {
        return add_forward_hook(as_hook<ForwardHook, F, Module&, const Tensor&, const Tensor&>(std::move(hook)));
    }
    template <typename F>
    RemovableHandle register_full_backward_hook(F hook) {
        return add_full_backward_hook(
            as_hook<BackwardHook, F, Module&, const Tensor&, const Tensor&>(std::move(hook)));
    }

    // ---- printing, as PyTorch's __repr__
    virtual std::string extra_repr() const { return ""; }
    std::string repr() const;

    // ---- copies: Python's copy.deepcopy(module); nn::deepcopy(ptr) below keeps the class.
    // A new tree of new modules: parameters and buffers hold new tensors with the same values and
    // requires_grad (a parameter comes without its .grad, as 1.13's Parameter.__deepcopy__; a
    // buffer made by an op, not a leaf, is PyTorch's RuntimeError), hooks and the training flag are
    // kept, and whatever the original shares (a submodule at two places, a tied parameter) the copy
    // shares too. C++ cannot copy an object whose class it does not know, so each class says how:
    // NNKIT_MODULE_COPY(Class) in its body, and relink() if members hold registered things.
    ModulePtr deepcopy() const;
    // A copy of this object of its own class, sharing the registries' contents (see
    // NNKIT_MODULE_COPY). The default raises a TypeError that names the macro.
    virtual ModulePtr copy_object() const;

protected:
    // Refuses, with a ValueError, to add `child` when it is this module or holds it: the tree would
    // loop. Every path that puts a module into modules_ calls it first (PyTorch does not check, and
    // then recurses forever). A module shared at two places is no loop and stays allowed.
    void refuse_cycle(const ModulePtr& child) const;
    // For copy_object only: the type name, training flag and registries (their tensors and
    // submodules still shared, deepcopy replaces them), and the hooks in dicts of the copy's own.
    Module(const Module& other);
    // Points members that hold registered things (weight, conv1, ...) at what the registries hold
    // now; deepcopy calls it on each copy. Classes with such members override it.
    virtual void relink() {}
    // member = the parameter, else the buffer, registered as `name` (undefined for None).
    void relink_member(const std::string& name, Tensor& member) const;
    // member = the submodule registered as `name`, of member's class.
    template <typename M>
    void relink_member(const std::string& name, std::shared_ptr<M>& member) const {
        const ModulePtr* m = modules_.get(name);
        member = m ? std::dynamic_pointer_cast<M>(*m) : nullptr;
    }

    OrderedDict<Tensor> parameters_;
    OrderedDict<Tensor> buffers_;
    OrderedDict<ModulePtr> modules_;
    std::vector<std::string> non_persistent_buffers_;

private:
    RemovableHandle add_forward_pre_hook(ForwardPreHook hook);
    RemovableHandle add_forward_hook(ForwardHook hook);
    RemovableHandle add_full_backward_hook(BackwardHook hook);

    // A callable returning void becomes a hook returning Tensor() (None).
    template <typename Hook, typename F, typename... Args>
    static Hook as_hook(F f) {
        if constexpr (std::is_void_v<std::invoke_result_t<F&, Args...>>)
            return [f = std::move(f)](Args... args) mutable {
                f(args...);
                return Tensor();
            };
        else
            return Hook(std::move(f));
    }

    ModulePtr self_ptr() const;
    void save_to_state_dict(StateDict& out, const std::string& prefix) const;

    struct CopyMemo;  // deepcopy's memo (module_copy.cpp)
    static ModulePtr copy_tree(const Module& m, CopyMemo& memo);

    std::string type_name_;
    bool training_ = true;
    std::shared_ptr<HookDicts> hooks_ = std::make_shared<HookDicts>();
};

std::ostream& operator<<(std::ostream& os, const Module& m);

// copy.deepcopy(module), as a pointer of the module's own class.
template <typename M>
std::shared_ptr<M> deepcopy(const std::shared_ptr<M>& module) {
    if (!module) throw ValueError("deepcopy: the module is null (an empty pointer)");
    return std::static_pointer_cast<M>(module->deepcopy());  // deepcopy checks the class
}

// In a module class's body: how deepcopy copies an object of it (its copy constructor: every field,
// the registries still shared until deepcopy replaces them).
#define NNKIT_MODULE_COPY(Class) \
    ::nnkit::nn::ModulePtr copy_object() const override { return std::make_shared<Class>(*this); }

// ---- the registration log (homework 1)
// Called after every successful register_parameter / register_buffer /
// register_module with the module whose registry grew, the registry's kind
// ("parameter", "buffer" or "module") and the name. One listener per program;
// set_registration_listener returns the previous one (empty: none).
using RegistrationListener =
    std::function<void(const Module& owner, const std::string& kind, const std::string& name)>;
RegistrationListener set_registration_listener(RegistrationListener listener);

}  // namespace nnkit::nn
