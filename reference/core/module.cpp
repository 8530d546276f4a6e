#include "nnkit/nn/module.hpp"

#include <ostream>
#include <set>
#include <sstream>

namespace nnkit::nn {

Parameter::Parameter(const Tensor& data, bool requires_grad) : Tensor(data.detach()) {
    impl()->requires_grad = requires_grad;
}

Module::Module(std::string type_name) : type_name_(std::move(type_name)) {}

Tensor Module::operator()(const Tensor& input) { return forward(input); }

Tensor Module::forward(const Tensor&) {
    throw NotImplemented("Module [" + type_name_ + "] is missing the required \"forward\" function",
                         "lessons/01-module/README.md#forward");
}

// PyTorch's checks, in PyTorch's order (torch/nn/modules/module.py).
void Module::check_new_name(const std::string& kind, const std::string& name) const {
    if (name.find('.') != std::string::npos) throw KeyError(kind + " name can't contain \".\"");
    if (name.empty()) throw KeyError(kind + " name can't be empty string \"\"");
    const bool taken = (kind != "parameter" && parameters_.contains(name)) ||
                       (kind != "buffer" && buffers_.contains(name)) ||
                       (kind != "module" && modules_.contains(name));
    if (taken) throw KeyError("attribute '" + name + "' already exists");
}

void Module::register_parameter(const std::string& name, const Tensor& param) {
    check_new_name("parameter", name);
    if (param.defined() && !param.is_leaf())
        throw ValueError("Cannot assign non-leaf Tensor to parameter '" + name +
                         "'. Model parameters must be created explicitly.");
    parameters_.set(name, param);
}

void Module::register_buffer(const std::string& name, const Tensor& buffer, bool persistent) {
    check_new_name("buffer", name);
    buffers_.set(name, buffer);
    if (!persistent) non_persistent_buffers_.push_back(name);
}

ModulePtr Module::register_module(const std::string& name, ModulePtr module) {
    check_new_name("module", name);
    modules_.set(name, module);
    return module;
}

namespace {

std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// Pre-order walk: (prefix, module) for `root` and, when recursing, every
// submodule reached for the first time.
void walk(const Module& root, const std::string& prefix, bool recurse,
          std::vector<std::pair<std::string, const Module*>>& out, std::set<const Module*>& seen) {
    if (!seen.insert(&root).second) return;
    out.emplace_back(prefix, &root);
    if (!recurse) return;
    for (const auto& [name, child] : root.named_children()) walk(*child, join(prefix, name), true, out, seen);
}

}  // namespace

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(const std::string& prefix,
                                                                     bool recurse) const {
    std::vector<std::pair<std::string, const Module*>> mods;
    std::set<const Module*> seen_mods;
    walk(*this, prefix, recurse, mods, seen_mods);
    std::vector<std::pair<std::string, Tensor>> out;
    std::set<const TensorImpl*> seen;
    for (const auto& [mod_prefix, mod] : mods)
        for (const auto& [name, p] : mod->parameters_)
            if (p.defined() && seen.insert(p.impl().get()).second) out.emplace_back(join(mod_prefix, name), p);
    return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, p] : named_parameters("", recurse)) out.push_back(p);
    return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(const std::string& prefix, bool recurse) const {
    std::vector<std::pair<std::string, const Module*>> mods;
    std::set<const Module*> seen_mods;
    walk(*this, prefix, recurse, mods, seen_mods);
    std::vector<std::pair<std::string, Tensor>> out;
    std::set<const TensorImpl*> seen;
    for (const auto& [mod_prefix, mod] : mods)
        for (const auto& [name, b] : mod->buffers_)
            if (b.defined() && seen.insert(b.impl().get()).second) out.emplace_back(join(mod_prefix, name), b);
    return out;
}

std::vector<std::pair<std::string, ModulePtr>> Module::named_children() const {
    std::vector<std::pair<std::string, ModulePtr>> out;
    std::set<const Module*> seen;
    for (const auto& [name, m] : modules_)
        if (m && seen.insert(m.get()).second) out.emplace_back(name, m);
    return out;
}

std::vector<ModulePtr> Module::children() const {
    std::vector<ModulePtr> out;
    for (auto& [name, m] : named_children()) out.push_back(m);
    return out;
}

Module& Module::train(bool mode) {
    training_ = mode;
    for (const auto& [name, m] : modules_)
        if (m) m->train(mode);
    return *this;
}

void Module::zero_grad() {
    for (auto& p : parameters())
        if (p.grad().defined()) p.grad().data().fill(0.0f);
}

namespace {
// Indents every line but the first, as torch.nn.modules.module._addindent.
std::string add_indent(const std::string& s, std::size_t spaces) {
    std::string out;
    for (char c : s) {
        out += c;
        if (c == '\n') out.append(spaces, ' ');
    }
    return out;
}
}  // namespace

std::string Module::repr() const {
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
}

std::ostream& operator<<(std::ostream& os, const Module& m) { return os << m.repr(); }

std::string py_bool(bool b) { return b ? "True" : "False"; }

std::string py_tuple(const std::vector<std::size_t>& values) {
    std::string s = "(";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
    return s + (values.size() == 1 ? ",)" : ")");
}

}  // namespace nnkit::nn
