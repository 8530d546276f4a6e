// Unit `module` — lesson 1, "nn.Module internals".
// A module is three ordered registries (parameters, buffers, submodules) plus
// three hook registries. Everything else walks them: traversals with dotted
// names, state_dict, train/eval, repr, and __call__ with its hooks.
// PyTorch's code for all of it: torch/nn/modules/module.py (v1.13.1).
#include "nnkit/nn/module.hpp"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "nnkit/autograd.hpp"

namespace nnkit::nn {

// ------------------------------------------------------------ scaffolding

Parameter::Parameter(const Tensor& data, bool requires_grad) : Tensor(data.detach()) {
    impl()->requires_grad = requires_grad;
}

Module::Module(std::string type_name) : type_name_(std::move(type_name)) {}

Tensor Module::forward(const Tensor&) {
    throw NotImplemented("Module [" + type_name_ + "] is missing the required \"forward\" function",
                         "lessons/01-module/README.md#forward");
}

namespace {

RegistrationListener& registration_listener() {
    static RegistrationListener listener;
    return listener;
}

void notify_registration(const Module& owner, const std::string& kind, const std::string& name) {
    if (const auto& listener = registration_listener()) listener(owner, kind, name);
}

// "a" + "b" -> "a.b"; "" + "b" -> "b".
[[maybe_unused]] std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// torch.utils.hooks.RemovableHandle.next_id: one counter for every hook.
std::size_t next_hook_id() {
    static std::size_t next = 0;
    return next++;
}

// One module call with full backward hooks, as torch.utils.hooks.BackwardHook:
// an identity node on the input and one on the output. The output's node runs
// first in backward and stores grad_output; the input's node then calls the
// hooks with (grad_input, grad_output) and passes on what they return.
struct BackwardHookCall {
    ModulePtr module;
    std::vector<BackwardHook> hooks;
    Tensor grad_output;  // set while the gradient is between the two nodes
    bool input_wrapped = false;
};

// An identity autograd node that shares `t`'s storage, as BackwardHookFunction.
Tensor identity_node(const Tensor& t, autograd::BackwardFn backward) {
    Tensor out = autograd::record(Array(), {t}, "BackwardHookFunctionBackward", std::move(backward));
    out.impl()->data = t.impl()->data;
    out.impl()->version = t.impl()->version;  // one storage, one count of writes to it
    return out;
}

[[maybe_unused]] Tensor wrap_backward_hook_input(const std::shared_ptr<BackwardHookCall>& call, const Tensor& input) {
    if (!autograd::should_record({input})) return input;
    call->input_wrapped = true;
    return identity_node(input, [call](const Array& g) {
        // A gradient that reaches the input without passing the output fires nothing.
        if (!call->grad_output.defined()) return std::vector<Array>{g};
        Tensor grad_input(g);
        for (const auto& hook : call->hooks) {
            Tensor replacement = hook(*call->module, grad_input, call->grad_output);
            if (replacement.defined()) grad_input = replacement;
        }
        call->grad_output = Tensor();
        return std::vector<Array>{grad_input.data()};
    });
}

[[maybe_unused]] Tensor wrap_backward_hook_output(const std::shared_ptr<BackwardHookCall>& call, const Tensor& output) {
    if (!autograd::should_record({output})) return output;
    return identity_node(output, [call](const Array& g) {
        call->grad_output = Tensor(g);
        if (!call->input_wrapped) {  // no input requires grad: the hooks fire here, with grad_input None
            for (const auto& hook : call->hooks)
                if (hook(*call->module, Tensor(), call->grad_output).defined())
                    throw ValueError(
                        "Backward hook for Modules where no input requires gradient should always return None "
                        "or None for all gradients.");
            call->grad_output = Tensor();
        }
        return std::vector<Array>{g};
    });
}

template <typename Hook>
[[maybe_unused]] std::vector<Hook> snapshot(const OrderedDict<Hook, std::size_t>& dict) {
    std::vector<Hook> out;  // a hook may remove itself while the others run
    for (const auto& item : dict) out.push_back(item.second);
    return out;
}

}  // namespace

void RemovableHandle::remove() {
    if (auto dicts = dicts_.lock()) {
        dicts->forward_pre.erase(id_);
        dicts->forward.erase(id_);
        dicts->backward.erase(id_);
    }
}

RegistrationListener set_registration_listener(RegistrationListener listener) {
    std::swap(registration_listener(), listener);
    return listener;
}

RemovableHandle Module::add_forward_pre_hook(ForwardPreHook hook) {
    const std::size_t id = next_hook_id();
    hooks_->forward_pre.set(id, std::move(hook));
    return RemovableHandle(hooks_, id);
}

RemovableHandle Module::add_forward_hook(ForwardHook hook) {
    const std::size_t id = next_hook_id();
    hooks_->forward.set(id, std::move(hook));
    return RemovableHandle(hooks_, id);
}

RemovableHandle Module::add_full_backward_hook(BackwardHook hook) {
    const std::size_t id = next_hook_id();
    hooks_->backward.set(id, std::move(hook));
    return RemovableHandle(hooks_, id);
}

// A shared_ptr to this module: the owning one when the module lives in a
// shared_ptr, otherwise one that does not own it (a module on the stack).
ModulePtr Module::self_ptr() const {
    auto* self = const_cast<Module*>(this);
    if (ModulePtr owned = self->weak_from_this().lock()) return owned;
    return ModulePtr(ModulePtr(), self);
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& item : named_parameters("", recurse)) out.push_back(item.second);
    return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& item : named_buffers("", recurse)) out.push_back(item.second);
    return out;
}

std::vector<ModulePtr> Module::children() const {
    std::vector<ModulePtr> out;
    for (auto& item : named_children()) out.push_back(item.second);
    return out;
}

std::vector<ModulePtr> Module::modules() const {
    std::vector<ModulePtr> out;
    for (auto& item : named_modules()) out.push_back(item.second);
    return out;
}

StateDict Module::state_dict(const std::string& prefix) const {
    StateDict out;
    save_to_state_dict(out, prefix);
    return out;
}

std::ostream& operator<<(std::ostream& os, const Module& m) { return os << m.repr(); }

// ------------------------------------------------------------ registries

namespace {
// Helper functions for your solution can go here.
}  // namespace

void Module::register_parameter(const std::string& name, const Tensor& param) {
    // Check the name as PyTorch does, in PyTorch's order and with its messages
    // (KeyError for the name, ValueError for a non-leaf tensor), then store
    // `param` in parameters_ — undefined tensors too: they are PyTorch's None.
    // Errors, with PyTorch's words, in this order: a dotted name "parameter name can't contain "."";
    // an empty name "parameter name can't be empty string """; a name another registry holds, e.g. a
    // buffer buf "attribute 'buf' already exists", a submodule child "attribute 'child' already exists",
    // or an attribute PyTorch's module has (is_python_attribute(name): training, forward, ...),
    // "attribute 'training' already exists"; a tensor with
    // history (!is_leaf()), ValueError "Cannot assign non-leaf Tensor to parameter 'w'. Model parameters
    // must be created explicitly. To express 'w' as a function of another Tensor, compute the value in
    // the forward() method."
    throw NotImplemented("Module::register_parameter", "lessons/01-module/README.md#registries");
    notify_registration(*this, "parameter", name);
}

void Module::register_buffer(const std::string& name, const Tensor& buffer, bool persistent) {
    // As register_parameter, with "buffer" in the messages. Remember in
    // non_persistent_buffers_ which buffers stay out of state_dict (registering
    // a name again with persistent=true makes it persistent again).
    // Errors (KeyError): "buffer name can't contain "."", "buffer name can't be empty string "", and for
    // a name a parameter or a submodule holds, e.g. "attribute 'param' already exists" or
    // "attribute 'child' already exists" (is_python_attribute names too, as in register_parameter).
    throw NotImplemented("Module::register_buffer", "lessons/01-module/README.md#registries");
    notify_registration(*this, "buffer", name);
}

ModulePtr Module::register_module(const std::string& name, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself (nnkit's check, before PyTorch's)
    // PyTorch's add_module: its checks come in a different order from
    // register_parameter's, and one message differs. Null modules are allowed.
    // Errors (KeyError), in add_module's order: a name a parameter or a buffer holds, or an attribute
    // PyTorch's module has (is_python_attribute), e.g. "attribute 'param' already exists",
    // "attribute 'buf' already exists" or "attribute 'forward' already exists"; then a dotted name,
    // which the message names:
    // "module name can't contain ".", got: a.b"; then an empty one: "module name can't be empty string "".
    throw NotImplemented("Module::register_module", "lessons/01-module/README.md#registries");
    notify_registration(*this, "module", name);
    return module;
}

void Module::delattr(const std::string& name) {
    // PyTorch's __delattr__: the first registry holding `name` loses it (parameters, then
    // buffers — which also leave non_persistent_buffers_ —, then submodules). A name in none
    // of them: AttributeError "'Net' object has no attribute 'name'" (the type name, quoted). On the test's
    // Deep tree, after del gain and del cache, deleting gain, zz or cache raises
    // "'Deep' object has no attribute 'gain'", "'Deep' object has no attribute 'zz'" and
    // "'Deep' object has no attribute 'cache'".
    throw NotImplemented("Module::delattr", "lessons/01-module/README.md#deleting-and-looking-up");
}

// ------------------------------------------------------------ lookup by path

namespace {
// Helper functions for your solution can go here.
}  // namespace

ModulePtr Module::get_submodule(const std::string& target) const {
    // "" is this module (self_ptr()). Otherwise split target at every '.' (empty pieces
    // too, as Python's str.split) and walk down, one submodule registry at a time. For each
    // piece, in PyTorch's order: a name the module does not hold at all — in no registry and
    // not an attribute PyTorch's module has (is_python_attribute: training, forward, ...) — is
    // AttributeError "Linear has no attribute `zz`" (the type name of the module searched); a name
    // it holds as a parameter, a buffer, such an attribute, or a None submodule is AttributeError
    // "`weight` is not an nn.Module".
    throw NotImplemented("Module::get_submodule", "lessons/01-module/README.md#deleting-and-looking-up");
}

Tensor Module::get_parameter(const std::string& target) const {
    // Split target at its last '.' (Python's rpartition: "w" has the path ""), find the
    // module with get_submodule(path), then the name in it: not held at all, AttributeError
    // "Net has no attribute `w`"; held but not as a defined parameter (a buffer, a
    // submodule, an is_python_attribute name, a None parameter), AttributeError "`w` is not an nn.Parameter".
    throw NotImplemented("Module::get_parameter", "lessons/01-module/README.md#deleting-and-looking-up");
}

Tensor Module::get_buffer(const std::string& target) const {
    // As get_parameter, over the buffers, with "`b` is not a buffer". A buffer registered
    // as None is found: return it (an undefined Tensor), as PyTorch returns None.
    throw NotImplemented("Module::get_buffer", "lessons/01-module/README.md#deleting-and-looking-up");
}

Module& Module::requires_grad_(bool requires_grad) {
    // Every parameter of the tree (parameters() lists each tensor once), flag set with
    // Tensor::requires_grad_; return *this.
    throw NotImplemented("Module::requires_grad_", "lessons/01-module/README.md#deleting-and-looking-up");
}

// ------------------------------------------------------------ traversals

NamedModules Module::named_children() const {
    // Direct submodules in registration order, skipping null ones and listing
    // a module registered under two names only once (the first name).
    throw NotImplemented("Module::named_children", "lessons/01-module/README.md#traversals");
}

namespace {
// Helper functions for your solution can go here.
}  // namespace

NamedModules Module::named_modules(const std::string& prefix, bool remove_duplicate) const {
    // Pre-order, depth first: (prefix, this module) first — use self_ptr() —
    // then each child's named_modules with the name joined by '.'. With
    // remove_duplicate a module reached again (and its subtree) is skipped.
    throw NotImplemented("Module::named_modules", "lessons/01-module/README.md#traversals");
}

NamedTensors Module::named_parameters(const std::string& prefix, bool recurse) const {
    // For every module of named_modules(prefix) (or only this one when
    // !recurse), its own parameters as "module_prefix.name". Skip undefined
    // ones, and list a tensor that is reached twice (is_same) only once.
    throw NotImplemented("Module::named_parameters", "lessons/01-module/README.md#traversals");
}

NamedTensors Module::named_buffers(const std::string& prefix, bool recurse) const {
    // As named_parameters, over the buffers (persistent or not).
    throw NotImplemented("Module::named_buffers", "lessons/01-module/README.md#traversals");
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
    // Children first (each child's whole subtree), then fn(*this); return *this.
    throw NotImplemented("Module::apply", "lessons/01-module/README.md#traversals");
}

Module& Module::train(bool mode) {
    // Set training_ here and in every submodule, recursively; return *this.
    throw NotImplemented("Module::train", "lessons/01-module/README.md#train-and-eval");
}

void Module::zero_grad(bool set_to_none) {
    // For every parameter that has a gradient: fill it with zeros in place,
    // or drop it (set_grad(Tensor())) when set_to_none.
    throw NotImplemented("Module::zero_grad", "lessons/01-module/README.md#train-and-eval");
}

// ------------------------------------------------------------ state_dict

void Module::save_to_state_dict(StateDict& out, const std::string& prefix) const {
    // Own parameters, own persistent buffers (detach() them: the values, not
    // the autograd history), then every non-null child with prefix + name + ".".
    // Unlike named_parameters, nothing is de-duplicated.
    throw NotImplemented("Module::state_dict", "lessons/01-module/README.md#state-dict");
}

namespace {
// Helper functions for your solution can go here.
}  // namespace

IncompatibleKeys Module::load_state_dict(const StateDict& state_dict, bool strict) {
    // Walk every module with its prefix. For each own parameter and persistent
    // buffer: a missing key goes to missing_keys; a shape mismatch is an error
    // "size mismatch for KEY: ..."; otherwise copy the values in. A key under
    // this module's prefix whose first component is neither a local name nor a
    // child goes to unexpected_keys. Then, if strict, "Missing key(s)" and
    // "Unexpected key(s)" errors go first; any error throws ValueError.
    // Its message is "Error(s) in loading state_dict for " + type name + ":", then each error after a
    // newline and a tab; key lists are quoted, joined by ", " and end in ". ". For a strict Linear
    // given weight and extra (no bias):
    //     Error(s) in loading state_dict for Linear:
    //         Missing key(s) in state_dict: "bias".
    //         Unexpected key(s) in state_dict: "extra".
    // On a tree the keys are dotted, root-level ones come first, and all errors share one message:
    //     Error(s) in loading state_dict for Net:
    //         Missing key(s) in state_dict: "a.lin.bias".
    //         Unexpected key(s) in state_dict: "c.weight", "b.lin.extra".
    //         size mismatch for b.running: copying a param with shape torch.Size([4]) from checkpoint,
    //         the shape in current model is torch.Size([3]).
    // Undefined parameters and buffers and non-persistent buffers are not local names (their keys are
    // unexpected); a key under a null child is ignored. For the test's Odd (buffers none_buf = None, kept,
    // first, second, scratch not persistent; parameters none_param = None, w; children empty = None, blk)
    // given its state_dict without kept, plus none_param, none_buf, scratch, empty.weight and blk.lin.none:
    //     Error(s) in loading state_dict for Odd:
    //         Missing key(s) in state_dict: "kept".
    //         Unexpected key(s) in state_dict: "none_param", "none_buf", "scratch", "blk.lin.none".
    // Size mismatches are listed one per line, in traversal order (this module's entries, then each child's):
    //     Error(s) in loading state_dict for Net:
    //         size mismatch for scale: copying a param with shape torch.Size([2]) from checkpoint, the shape in
    //         current model is torch.Size([1]).
    //         size mismatch for a.lin.weight: copying a param with shape torch.Size([4, 2]) from checkpoint, the
    //         shape in current model is torch.Size([3, 2]).
    //         size mismatch for b.running: copying a param with shape torch.Size([5]) from checkpoint, the shape
    //         in current model is torch.Size([3]).
    throw NotImplemented("Module::load_state_dict", "lessons/01-module/README.md#state-dict");
}

// ------------------------------------------------------------ __call__

Tensor Module::operator()(const Tensor& input) {
    // PyTorch's _call_impl, in order: forward pre-hooks (a defined result
    // replaces the input), then — if there are backward hooks — a
    // BackwardHookCall and wrap_backward_hook_input, then forward(), then
    // forward hooks (a defined result replaces the output), then
    // wrap_backward_hook_output. Iterate over snapshot(...) of each registry.
    throw NotImplemented("Module::operator()", "lessons/01-module/README.md#hooks");
}

// ------------------------------------------------------------ repr

namespace {
// Helper functions for your solution can go here.
}  // namespace

std::string Module::repr() const {
    // "Name(extra)" when extra_repr() is one line and there are no children,
    // otherwise "Name(\n" + each extra line and each "(child): repr" on its own
    // line indented by two spaces (a child's own inner lines get two more) + ")".
    throw NotImplemented("Module::repr", "lessons/01-module/README.md#repr");
}

}  // namespace nnkit::nn
