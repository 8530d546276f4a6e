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
// BEGIN SOLUTION
// Python's hasattr(self, name) for a name not in the registry being filled:
// taken by another registry, or an attribute PyTorch's module has (training, forward, ...).
bool taken_elsewhere(const Module& self, const std::string& name, const OrderedDict<Tensor>* params,
                     const OrderedDict<Tensor>* buffers, const OrderedDict<ModulePtr>* modules) {
    return self.is_python_attribute(name) || (params && params->contains(name)) ||
           (buffers && buffers->contains(name)) || (modules && modules->contains(name));
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

void Module::register_parameter(const std::string& name, const Tensor& param) {
    // BEGIN SOLUTION
    if (name.find('.') != std::string::npos) throw KeyError("parameter name can't contain \".\"");
    if (name.empty()) throw KeyError("parameter name can't be empty string \"\"");
    if (taken_elsewhere(*this, name, nullptr, &buffers_, &modules_)) throw KeyError("attribute '" + name + "' already exists");
    if (param.defined() && !param.is_leaf())
        throw ValueError("Cannot assign non-leaf Tensor to parameter '" + name +
                         "'. Model parameters must be created explicitly. To express '" + name +
                         "' as a function of another Tensor, compute the value in the forward() method.");
    parameters_.set(name, param);
    // STUB
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
    //> throw NotImplemented("Module::register_parameter", "lessons/01-module/README.md#registries");
    // END SOLUTION
    notify_registration(*this, "parameter", name);
}

void Module::register_buffer(const std::string& name, const Tensor& buffer, bool persistent) {
    // BEGIN SOLUTION
    if (name.find('.') != std::string::npos) throw KeyError("buffer name can't contain \".\"");
    if (name.empty()) throw KeyError("buffer name can't be empty string \"\"");
    if (taken_elsewhere(*this, name, &parameters_, nullptr, &modules_)) throw KeyError("attribute '" + name + "' already exists");
    buffers_.set(name, buffer);
    auto& np = non_persistent_buffers_;
    np.erase(std::remove(np.begin(), np.end(), name), np.end());
    if (!persistent) np.push_back(name);
    // STUB
    // As register_parameter, with "buffer" in the messages. Remember in
    // non_persistent_buffers_ which buffers stay out of state_dict (registering
    // a name again with persistent=true makes it persistent again).
    // Errors (KeyError): "buffer name can't contain "."", "buffer name can't be empty string "", and for
    // a name a parameter or a submodule holds, e.g. "attribute 'param' already exists" or
    // "attribute 'child' already exists" (is_python_attribute names too, as in register_parameter).
    //> throw NotImplemented("Module::register_buffer", "lessons/01-module/README.md#registries");
    // END SOLUTION
    notify_registration(*this, "buffer", name);
}

ModulePtr Module::register_module(const std::string& name, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself (nnkit's check, before PyTorch's)
    // BEGIN SOLUTION
    // add_module checks "already exists" first, and its "." message names the culprit.
    if (taken_elsewhere(*this, name, &parameters_, &buffers_, nullptr)) throw KeyError("attribute '" + name + "' already exists");
    if (name.find('.') != std::string::npos) throw KeyError("module name can't contain \".\", got: " + name);
    if (name.empty()) throw KeyError("module name can't be empty string \"\"");
    modules_.set(name, module);
    // STUB
    // PyTorch's add_module: its checks come in a different order from
    // register_parameter's, and one message differs. Null modules are allowed.
    // Errors (KeyError), in add_module's order: a name a parameter or a buffer holds, or an attribute
    // PyTorch's module has (is_python_attribute), e.g. "attribute 'param' already exists",
    // "attribute 'buf' already exists" or "attribute 'forward' already exists"; then a dotted name,
    // which the message names:
    // "module name can't contain ".", got: a.b"; then an empty one: "module name can't be empty string "".
    //> throw NotImplemented("Module::register_module", "lessons/01-module/README.md#registries");
    // END SOLUTION
    notify_registration(*this, "module", name);
    return module;
}

void Module::delattr(const std::string& name) {
    // BEGIN SOLUTION
    if (parameters_.erase(name)) return;
    if (buffers_.erase(name)) {
        auto& np = non_persistent_buffers_;
        np.erase(std::remove(np.begin(), np.end(), name), np.end());
        return;
    }
    if (modules_.erase(name)) return;
    throw AttributeError("'" + type_name_ + "' object has no attribute '" + name + "'");
    // STUB
    // PyTorch's __delattr__: the first registry holding `name` loses it (parameters, then
    // buffers — which also leave non_persistent_buffers_ —, then submodules). A name in none
    // of them: AttributeError "'Net' object has no attribute 'name'" (the type name, quoted). On the test's
    // Deep tree, after del gain and del cache, deleting gain, zz or cache raises
    // "'Deep' object has no attribute 'gain'", "'Deep' object has no attribute 'zz'" and
    // "'Deep' object has no attribute 'cache'".
    //> throw NotImplemented("Module::delattr", "lessons/01-module/README.md#deleting-and-looking-up");
    // END SOLUTION
}

// ------------------------------------------------------------ lookup by path

namespace {
// BEGIN SOLUTION
// Python's hasattr(mod, name): its registries, and the attributes PyTorch's module has.
bool has_attribute(const Module& m, const std::string& name) {
    return m.is_python_attribute(name) || m.parameter_dict().contains(name) || m.buffer_dict().contains(name) ||
           m.module_dict().contains(name);
}

AttributeError no_attribute(const Module& m, const std::string& name) {
    return AttributeError(m.type_name() + " has no attribute `" + name + "`");
}

// str.rpartition('.'): ("net.b", "weight") from "net.b.weight", ("", "w") from "w".
std::pair<std::string, std::string> split_last(const std::string& target) {
    const auto dot = target.rfind('.');
    if (dot == std::string::npos) return {"", target};
    return {target.substr(0, dot), target.substr(dot + 1)};
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

ModulePtr Module::get_submodule(const std::string& target) const {
    // BEGIN SOLUTION
    ModulePtr mod = self_ptr();
    if (target.empty()) return mod;
    std::size_t start = 0;
    while (true) {  // target.split("."): every piece, empty ones too
        const auto dot = target.find('.', start);
        const std::string item = target.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!has_attribute(*mod, item)) throw no_attribute(*mod, item);
        const ModulePtr* child = mod->module_dict().get(item);
        if (!child || !*child) throw AttributeError("`" + item + "` is not an nn.Module");
        mod = *child;
        if (dot == std::string::npos) return mod;
        start = dot + 1;
    }
    // STUB
    // "" is this module (self_ptr()). Otherwise split target at every '.' (empty pieces
    // too, as Python's str.split) and walk down, one submodule registry at a time. For each
    // piece, in PyTorch's order: a name the module does not hold at all — in no registry and
    // not an attribute PyTorch's module has (is_python_attribute: training, forward, ...) — is
    // AttributeError "Linear has no attribute `zz`" (the type name of the module searched); a name
    // it holds as a parameter, a buffer, such an attribute, or a None submodule is AttributeError
    // "`weight` is not an nn.Module".
    //> throw NotImplemented("Module::get_submodule", "lessons/01-module/README.md#deleting-and-looking-up");
    // END SOLUTION
}

Tensor Module::get_parameter(const std::string& target) const {
    // BEGIN SOLUTION
    const auto [path, name] = split_last(target);
    const ModulePtr mod = get_submodule(path);
    if (!has_attribute(*mod, name)) throw no_attribute(*mod, name);
    const Tensor* param = mod->parameter_dict().get(name);
    if (!param || !param->defined()) throw AttributeError("`" + name + "` is not an nn.Parameter");
    return *param;
    // STUB
    // Split target at its last '.' (Python's rpartition: "w" has the path ""), find the
    // module with get_submodule(path), then the name in it: not held at all, AttributeError
    // "Net has no attribute `w`"; held but not as a defined parameter (a buffer, a
    // submodule, an is_python_attribute name, a None parameter), AttributeError "`w` is not an nn.Parameter".
    //> throw NotImplemented("Module::get_parameter", "lessons/01-module/README.md#deleting-and-looking-up");
    // END SOLUTION
}

Tensor Module::get_buffer(const std::string& target) const {
    // BEGIN SOLUTION
    const auto [path, name] = split_last(target);
    const ModulePtr mod = get_submodule(path);
    if (!has_attribute(*mod, name)) throw no_attribute(*mod, name);
    const Tensor* buffer = mod->buffer_dict().get(name);
    if (!buffer) throw AttributeError("`" + name + "` is not a buffer");
    return *buffer;
    // STUB
    // As get_parameter, over the buffers, with "`b` is not a buffer". A buffer registered
    // as None is found: return it (an undefined Tensor), as PyTorch returns None.
    //> throw NotImplemented("Module::get_buffer", "lessons/01-module/README.md#deleting-and-looking-up");
    // END SOLUTION
}

Module& Module::requires_grad_(bool requires_grad) {
    // BEGIN SOLUTION
    for (auto& p : parameters()) p.requires_grad_(requires_grad);
    return *this;
    // STUB
    // Every parameter of the tree (parameters() lists each tensor once), flag set with
    // Tensor::requires_grad_; return *this.
    //> throw NotImplemented("Module::requires_grad_", "lessons/01-module/README.md#deleting-and-looking-up");
    // END SOLUTION
}

// ------------------------------------------------------------ traversals

NamedModules Module::named_children() const {
    // BEGIN SOLUTION
    NamedModules out;
    std::set<const Module*> seen;
    for (const auto& [name, m] : modules_)
        if (m && seen.insert(m.get()).second) out.emplace_back(name, m);
    return out;
    // STUB
    // Direct submodules in registration order, skipping null ones and listing
    // a module registered under two names only once (the first name).
    //> throw NotImplemented("Module::named_children", "lessons/01-module/README.md#traversals");
    // END SOLUTION
}

namespace {
// BEGIN SOLUTION
void walk_modules(const ModulePtr& m, const std::string& prefix, bool remove_duplicate, NamedModules& out,
                  std::set<const Module*>& memo) {
    if (memo.count(m.get())) return;
    if (remove_duplicate) memo.insert(m.get());
    out.emplace_back(prefix, m);
    for (const auto& [name, child] : m->module_dict())
        if (child) walk_modules(child, join(prefix, name), remove_duplicate, out, memo);
}

// PyTorch's _named_members: every module's own members (all modules, or just
// this one), each object once, under the first name that reaches it.
NamedTensors named_members(const Module& root, const std::string& prefix, bool recurse,
                           const OrderedDict<Tensor>& (Module::*members)() const) {
    NamedModules mods = recurse ? root.named_modules(prefix) : NamedModules{{prefix, nullptr}};
    NamedTensors out;
    std::set<const TensorImpl*> seen;
    for (const auto& [mod_prefix, mod] : mods)
        for (const auto& [name, t] : ((mod ? *mod : root).*members)())
            if (t.defined() && seen.insert(t.impl().get()).second) out.emplace_back(join(mod_prefix, name), t);
    return out;
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

NamedModules Module::named_modules(const std::string& prefix, bool remove_duplicate) const {
    // BEGIN SOLUTION
    NamedModules out;
    std::set<const Module*> memo;
    walk_modules(self_ptr(), prefix, remove_duplicate, out, memo);
    return out;
    // STUB
    // Pre-order, depth first: (prefix, this module) first — use self_ptr() —
    // then each child's named_modules with the name joined by '.'. With
    // remove_duplicate a module reached again (and its subtree) is skipped.
    //> throw NotImplemented("Module::named_modules", "lessons/01-module/README.md#traversals");
    // END SOLUTION
}

NamedTensors Module::named_parameters(const std::string& prefix, bool recurse) const {
    // BEGIN SOLUTION
    return named_members(*this, prefix, recurse, &Module::parameter_dict);
    // STUB
    // For every module of named_modules(prefix) (or only this one when
    // !recurse), its own parameters as "module_prefix.name". Skip undefined
    // ones, and list a tensor that is reached twice (is_same) only once.
    //> throw NotImplemented("Module::named_parameters", "lessons/01-module/README.md#traversals");
    // END SOLUTION
}

NamedTensors Module::named_buffers(const std::string& prefix, bool recurse) const {
    // BEGIN SOLUTION
    return named_members(*this, prefix, recurse, &Module::buffer_dict);
    // STUB
    // As named_parameters, over the buffers (persistent or not).
    //> throw NotImplemented("Module::named_buffers", "lessons/01-module/README.md#traversals");
    // END SOLUTION
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
    // BEGIN SOLUTION
    for (const auto& child : children()) child->apply(fn);
    fn(*this);
    return *this;
    // STUB
    // Children first (each child's whole subtree), then fn(*this); return *this.
    //> throw NotImplemented("Module::apply", "lessons/01-module/README.md#traversals");
    // END SOLUTION
}

Module& Module::train(bool mode) {
    // BEGIN SOLUTION
    training_ = mode;
    for (const auto& child : children()) child->train(mode);
    return *this;
    // STUB
    // Set training_ here and in every submodule, recursively; return *this.
    //> throw NotImplemented("Module::train", "lessons/01-module/README.md#train-and-eval");
    // END SOLUTION
}

void Module::zero_grad(bool set_to_none) {
    // BEGIN SOLUTION
    for (auto& p : parameters()) {
        if (!p.grad().defined()) continue;
        if (set_to_none)
            p.set_grad(Tensor());
        else
            p.grad().data().fill(0.0f);
    }
    // STUB
    // For every parameter that has a gradient: fill it with zeros in place,
    // or drop it (set_grad(Tensor())) when set_to_none.
    //> throw NotImplemented("Module::zero_grad", "lessons/01-module/README.md#train-and-eval");
    // END SOLUTION
}

// ------------------------------------------------------------ state_dict

void Module::save_to_state_dict(StateDict& out, const std::string& prefix) const {
    // BEGIN SOLUTION
    for (const auto& [name, p] : parameters_)
        if (p.defined()) out.set(prefix + name, p.detach());
    for (const auto& [name, b] : buffers_) {
        const auto& np = non_persistent_buffers_;
        if (b.defined() && std::find(np.begin(), np.end(), name) == np.end()) out.set(prefix + name, b.detach());
    }
    for (const auto& [name, m] : modules_)
        if (m) m->save_to_state_dict(out, prefix + name + ".");
    // STUB
    // Own parameters, own persistent buffers (detach() them: the values, not
    // the autograd history), then every non-null child with prefix + name + ".".
    // Unlike named_parameters, nothing is de-duplicated.
    //> throw NotImplemented("Module::state_dict", "lessons/01-module/README.md#state-dict");
    // END SOLUTION
}

namespace {
// BEGIN SOLUTION
// One module's part of load_state_dict (PyTorch's _load_from_state_dict).
void load_from(Module& m, const StateDict& sd, const std::string& prefix, const std::vector<std::string>& persistent,
               IncompatibleKeys& keys, std::vector<std::string>& errors) {
    OrderedDict<Tensor> local;
    for (const auto& [name, p] : m.parameter_dict())
        if (p.defined()) local.set(name, p);
    for (const auto& [name, b] : m.buffer_dict())
        if (b.defined() && std::find(persistent.begin(), persistent.end(), name) != persistent.end())
            local.set(name, b);
    for (auto& [name, t] : local) {
        const std::string key = prefix + name;
        const Tensor* in = sd.get(key);
        if (!in) {
            keys.missing_keys.push_back(key);
        } else if (in->shape() != t.shape()) {
            errors.push_back("size mismatch for " + key + ": copying a param with shape " + torch_size(in->shape()) +
                             " from checkpoint, the shape in current model is " + torch_size(t.shape()) + ".");
        } else {
            t.data() = in->data();  // copies the values into the module's own storage
        }
    }
    for (const auto& [key, value] : sd) {
        if (key.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string first = key.substr(prefix.size()).substr(0, key.substr(prefix.size()).find('.'));
        if (!m.module_dict().contains(first) && !local.contains(first)) keys.unexpected_keys.push_back(key);
    }
}

std::string quoted_list(const std::vector<std::string>& keys) {
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i) s += (i ? ", \"" : "\"") + keys[i] + "\"";
    return s;
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

IncompatibleKeys Module::load_state_dict(const StateDict& state_dict, bool strict) {
    // BEGIN SOLUTION
    IncompatibleKeys keys;
    std::vector<std::string> errors;
    // Every module of the tree, each with its own prefix (duplicates loaded twice, as PyTorch).
    std::function<void(Module&, const std::string&)> load = [&](Module& m, const std::string& prefix) {
        std::vector<std::string> persistent;
        for (const auto& [name, b] : m.buffer_dict())
            if (std::find(m.non_persistent_buffers_.begin(), m.non_persistent_buffers_.end(), name) ==
                m.non_persistent_buffers_.end())
                persistent.push_back(name);
        load_from(m, state_dict, prefix, persistent, keys, errors);
        for (const auto& [name, child] : m.modules_)
            if (child) load(*child, prefix + name + ".");
    };
    load(*this, "");
    if (strict) {
        if (!keys.unexpected_keys.empty())
            errors.insert(errors.begin(), "Unexpected key(s) in state_dict: " + quoted_list(keys.unexpected_keys) + ". ");
        if (!keys.missing_keys.empty())
            errors.insert(errors.begin(), "Missing key(s) in state_dict: " + quoted_list(keys.missing_keys) + ". ");
    }
    if (!errors.empty()) {
        std::string msg = "Error(s) in loading state_dict for " + type_name_ + ":";
        for (const auto& e : errors) msg += "\n\t" + e;
        throw ValueError(msg);
    }
    return keys;
    // STUB
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
    //> throw NotImplemented("Module::load_state_dict", "lessons/01-module/README.md#state-dict");
    // END SOLUTION
}

// ------------------------------------------------------------ __call__

Tensor Module::operator()(const Tensor& input) {
    // BEGIN SOLUTION
    Tensor x = input;
    for (const auto& hook : snapshot(hooks_->forward_pre)) {
        Tensor replacement = hook(*this, x);
        if (replacement.defined()) x = replacement;
    }
    std::shared_ptr<BackwardHookCall> call;
    if (!hooks_->backward.empty()) {
        call = std::make_shared<BackwardHookCall>();
        call->module = self_ptr();
        call->hooks = snapshot(hooks_->backward);
        x = wrap_backward_hook_input(call, x);
    }
    Tensor y = forward(x);
    for (const auto& hook : snapshot(hooks_->forward)) {
        Tensor replacement = hook(*this, x, y);
        if (replacement.defined()) y = replacement;
    }
    if (call) y = wrap_backward_hook_output(call, y);
    return y;
    // STUB
    // PyTorch's _call_impl, in order: forward pre-hooks (a defined result
    // replaces the input), then — if there are backward hooks — a
    // BackwardHookCall and wrap_backward_hook_input, then forward(), then
    // forward hooks (a defined result replaces the output), then
    // wrap_backward_hook_output. Iterate over snapshot(...) of each registry.
    //> throw NotImplemented("Module::operator()", "lessons/01-module/README.md#hooks");
    // END SOLUTION
}

// ------------------------------------------------------------ repr

namespace {
// BEGIN SOLUTION
// Indents every line but the first, as torch.nn.modules.module._addindent.
std::string add_indent(const std::string& s, std::size_t spaces) {
    std::string out;
    for (char c : s) {
        out += c;
        if (c == '\n') out.append(spaces, ' ');
    }
    return out;
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

std::string Module::repr() const {
    // BEGIN SOLUTION
    std::vector<std::string> extra_lines, child_lines;
    std::istringstream extra(extra_repr());
    for (std::string line; std::getline(extra, line);) extra_lines.push_back(line);
    for (const auto& [name, m] : modules_)
        child_lines.push_back("(" + name + "): " + (m ? add_indent(m->repr(), 2) : "None"));
    std::string s = type_name_ + "(";
    if (extra_lines.size() == 1 && child_lines.empty()) {
        s += extra_lines[0];
    } else if (!extra_lines.empty() || !child_lines.empty()) {
        s += "\n";
        for (const auto& l : extra_lines) s += "  " + l + "\n";
        for (const auto& l : child_lines) s += "  " + l + "\n";
    }
    return s + ")";
    // STUB
    // "Name(extra)" when extra_repr() is one line and there are no children,
    // otherwise "Name(\n" + each extra line and each "(child): repr" on its own
    // line indented by two spaces (a child's own inner lines get two more) + ")".
    //> throw NotImplemented("Module::repr", "lessons/01-module/README.md#repr");
    // END SOLUTION
}

}  // namespace nnkit::nn
