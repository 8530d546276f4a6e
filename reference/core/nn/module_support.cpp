// What nn::Module needs beyond the student's registries: deepcopy (Python's copy.deepcopy of a
// module) and what it needs from every class; is_python_attribute, from the generated table of
// PyTorch's attribute names; refuse_cycle, which keeps a module tree from looping.
#include <algorithm>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nnkit/errors.hpp"
#include "nnkit/nn/module.hpp"
#include "python_attributes.hpp"

namespace nnkit::nn {

void Module::refuse_cycle(const ModulePtr& child) const {
    // Walk child's tree (each module once: a shared submodule is fine) looking for this module.
    std::vector<const Module*> todo = {child.get()};
    std::unordered_set<const Module*> seen;
    while (!todo.empty()) {
        const Module* m = todo.back();
        todo.pop_back();
        if (!m || !seen.insert(m).second) continue;
        if (m == this)
            throw ValueError("a module may not contain itself: the " + child->type_name() + " being added " +
                             (child.get() == this ? "is" : "holds") + " this " + type_name_ +
                             " (PyTorch accepts it and then recurses forever in repr, state_dict, train, ...)");
        for (const auto& [name, sub] : m->modules_) todo.push_back(sub.get());
    }
}

bool Module::is_python_attribute(const std::string& name) const {
    const auto& base = detail::module_attributes();
    if (std::binary_search(base.begin(), base.end(), name)) return true;
    const auto& extra = detail::class_attributes();
    const auto own = extra.find(type_name_);
    return own != extra.end() && std::binary_search(own->second.begin(), own->second.end(), name);
}

Module::Module(const Module& other)
    : std::enable_shared_from_this<Module>(),
      parameters_(other.parameters_),
      buffers_(other.buffers_),
      modules_(other.modules_),
      non_persistent_buffers_(other.non_persistent_buffers_),
      type_name_(other.type_name_),
      training_(other.training_),
      hooks_(std::make_shared<HookDicts>(*other.hooks_)) {}

ModulePtr Module::copy_object() const {
    if (typeid(*this) == typeid(Module)) return ModulePtr(new Module(*this));  // a plain nn.Module()
    throw TypeError("deepcopy: " + type_name_ + " does not say how to copy itself; put NNKIT_MODULE_COPY(" +
                    type_name_ + ") in its class (and override relink() if members hold registered things)");
}

void Module::relink_member(const std::string& name, Tensor& member) const {
    if (const Tensor* t = parameters_.get(name)) {
        member = *t;
    } else if (const Tensor* b = buffers_.get(name)) {
        member = *b;
    } else {
        member = Tensor();
    }
}

// Python's memo dict: each original object copied once, so what is shared stays shared.
struct Module::CopyMemo {
    std::unordered_map<const Module*, ModulePtr> modules;
    std::unordered_map<const TensorImpl*, Tensor> tensors;
    std::unordered_map<const Array*, std::shared_ptr<Array>> storages;  // buffers viewing one storage
};

namespace {

// Parameter.__deepcopy__: the values cloned, requires_grad kept, no grad. Tensor.__deepcopy__ (a
// buffer): its storage copied once per storage, requires_grad and grad kept; only leaves.
template <typename Memo>
Tensor copy_tensor(const Tensor& t, bool parameter, Memo& memo) {
    if (!t.defined()) return t;
    const auto found = memo.tensors.find(t.impl().get());
    if (found != memo.tensors.end()) return found->second;
    if (!t.is_leaf())
        throw ValueError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol "
                         "at the moment");
    Tensor copy(t.data(), t.requires_grad());
    if (!parameter) {
        auto& storage = memo.storages[t.impl()->data.get()];
        if (storage)
            copy.impl()->data = storage;
        else
            storage = copy.impl()->data;
        if (t.impl()->grad) copy.impl()->grad = std::make_shared<Array>(*t.impl()->grad);
    }
    memo.tensors.emplace(t.impl().get(), copy);
    return copy;
}

}  // namespace

ModulePtr Module::copy_tree(const Module& m, CopyMemo& memo) {
    const auto found = memo.modules.find(&m);
    if (found != memo.modules.end()) return found->second;
    ModulePtr copy = m.copy_object();  // its own fields; the registries still share with m's
    if (typeid(*copy) != typeid(m))    // a subclass that did not say how to copy itself
        throw TypeError("deepcopy: " + m.type_name() + " has no NNKIT_MODULE_COPY of its own; its copy would be a " +
                        copy->type_name() + ", the class it derives from");
    memo.modules.emplace(&m, copy);  // before the children: a module inside itself is copied once
    for (auto& [name, p] : copy->parameters_) p = copy_tensor(p, true, memo);
    for (auto& [name, b] : copy->buffers_) b = copy_tensor(b, false, memo);
    for (auto& [name, child] : copy->modules_)
        if (child) child = copy_tree(*child, memo);
    copy->relink();
    return copy;
}

ModulePtr Module::deepcopy() const {
    CopyMemo memo;
    return copy_tree(*this, memo);
}

}  // namespace nnkit::nn
