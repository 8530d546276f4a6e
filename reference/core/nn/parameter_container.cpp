// nn::ParameterList and nn::ParameterDict, as torch/nn/modules/container.py (1.13) builds them on
// the module's parameter registry.
#include "nnkit/nn/parameter_container.hpp"

#include "nnkit/errors.hpp"

namespace nnkit::nn {

namespace {

// PyTorch wraps a plain tensor in Parameter and registers a Parameter itself.
Tensor as_parameter(const Tensor& value) {
    if (value.requires_grad() && value.is_leaf()) return value;
    return Parameter(value);
}

// "Parameter containing: [torch.float32 of size 3x4]"; a 0-d tensor has the empty size "".
std::string describe(const Tensor& p, const char* type) {
    std::string size;
    for (std::size_t d : p.shape()) size += (size.empty() ? "" : "x") + std::to_string(d);
    return std::string("Parameter containing: [") + type + " of size " + size + "]";
}

std::size_t position(std::int64_t index, std::size_t n) {
    const auto size = static_cast<std::int64_t>(n);
    if (index < -size || index >= size) throw IndexError("index " + std::to_string(index) + " is out of range");
    return static_cast<std::size_t>(index < 0 ? index + size : index);
}

}  // namespace

// ---------------------------------------------------------------- ParameterList

ParameterList::ParameterList() : Module("ParameterList") {}

ParameterList::ParameterList(const std::vector<Tensor>& values) : ParameterList() { extend(values); }

Tensor ParameterList::at(std::int64_t index) const {
    return *parameters_.get(std::to_string(position(index, size())));
}

std::shared_ptr<ParameterList> ParameterList::slice(const Slice& s) const {
    auto out = std::make_shared<ParameterList>();
    for (std::size_t i : slice_positions(s, size())) out->append(at(std::int64_t(i)));
    return out;
}

void ParameterList::set(std::int64_t index, const Tensor& value) {
    register_parameter(std::to_string(position(index, size())), as_parameter(value));
}

ParameterList& ParameterList::append(const Tensor& value) {
    register_parameter(std::to_string(size()), as_parameter(value));
    return *this;
}

ParameterList& ParameterList::extend(const std::vector<Tensor>& values) {
    for (const auto& v : values) append(v);
    return *this;
}

std::vector<Tensor> ParameterList::values() const {
    std::vector<Tensor> out;
    for (const auto& item : parameters_) out.push_back(item.second);
    return out;
}

std::string ParameterList::extra_repr() const {
    std::string s;
    for (const auto& [k, p] : parameters_)
        s += (s.empty() ? "" : "\n") + std::string("  (") + k + "): " + describe(p, "torch.float32");
    return s;
}

// ---------------------------------------------------------------- ParameterDict

ParameterDict::ParameterDict() : Module("ParameterDict") {}

ParameterDict::ParameterDict(const NamedTensors& values) : ParameterDict() { update(values); }

Tensor ParameterDict::at(const std::string& key) const {
    const Tensor* p = parameters_.get(key);
    if (!p) throw AttributeError("'ParameterDict' object has no attribute '" + key + "'");
    return *p;
}

void ParameterDict::set(const std::string& key, const Tensor& value) { register_parameter(key, as_parameter(value)); }

void ParameterDict::update(const NamedTensors& values) {
    for (const auto& [k, v] : values) set(k, v);
}

void ParameterDict::erase(const std::string& key) {
    if (!parameters_.erase(key)) throw KeyError("'" + key + "'");
}

Tensor ParameterDict::pop(const std::string& key) {
    Tensor p = at(key);
    erase(key);
    return p;
}

void ParameterDict::clear() { parameters_.clear(); }

std::vector<Tensor> ParameterDict::values() const {
    std::vector<Tensor> out;
    for (const auto& item : parameters_) out.push_back(item.second);
    return out;
}

NamedTensors ParameterDict::items() const { return NamedTensors(parameters_.begin(), parameters_.end()); }

std::string ParameterDict::extra_repr() const {
    std::string s;
    for (const auto& [k, p] : parameters_)
        s += (s.empty() ? "" : "\n") + std::string("  (") + k + "): " + describe(p, "torch.FloatTensor");
    return s;
}

}  // namespace nnkit::nn
