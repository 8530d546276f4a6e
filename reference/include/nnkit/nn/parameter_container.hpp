// nn::ParameterList and nn::ParameterDict: containers of parameters, registered under "0", "1", ...
// or under their keys, so named_parameters(), state_dict() and optimisers see them.
// https://pytorch.org/docs/1.13/generated/torch.nn.ParameterList.html
// https://pytorch.org/docs/1.13/generated/torch.nn.ParameterDict.html
//
// A value is registered as it is when it is already a parameter (a leaf that requires grad: PyTorch's
// isinstance(value, Parameter)), and otherwise wrapped in nn::Parameter (the same storage, now
// requiring grad), as PyTorch wraps a plain tensor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nnkit/nn/container.hpp"  // Slice
#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

class ParameterList : public Module {
public:
    NNKIT_MODULE_COPY(ParameterList)
    ParameterList();
    explicit ParameterList(const std::vector<Tensor>& values);

    std::size_t size() const { return parameters_.size(); }
    // Negative indices count from the end; outside [-n, n) an IndexError "index 2 is out of range".
    Tensor at(std::int64_t index) const;
    Tensor operator[](std::int64_t index) const { return at(index); }
    std::shared_ptr<ParameterList> slice(const Slice& slice) const;  // a new list, keys from "0"
    void set(std::int64_t index, const Tensor& value);               // l[i] = p
    ParameterList& append(const Tensor& value);                      // key str(len(l))
    ParameterList& extend(const std::vector<Tensor>& values);
    ParameterList& operator+=(const std::vector<Tensor>& values) { return extend(values); }
    std::vector<Tensor> values() const;  // in order: what Python's iter(l) gives

    // "  (0): Parameter containing: [torch.float32 of size 3x4]", one line per entry.
    std::string extra_repr() const override;
};

class ParameterDict : public Module {
public:
    NNKIT_MODULE_COPY(ParameterDict)
    ParameterDict();
    // The pairs in their order (PyTorch keeps the order of an OrderedDict; it sorts a plain dict).
    explicit ParameterDict(const NamedTensors& values);

    std::size_t size() const { return parameters_.size(); }
    bool contains(const std::string& key) const { return parameters_.contains(key); }
    // A missing key: PyTorch's AttributeError "'ParameterDict' object has no attribute 'zz'".
    Tensor at(const std::string& key) const;
    Tensor operator[](const std::string& key) const { return at(key); }
    // d[key] = p: register_parameter's name checks and KeyErrors; an existing key keeps its place.
    void set(const std::string& key, const Tensor& value);
    void update(const NamedTensors& values);
    void erase(const std::string& key);  // del d[key]; missing: KeyError "'zz'"
    Tensor pop(const std::string& key);  // d[key], then del d[key]
    void clear();
    std::vector<std::string> keys() const { return parameters_.keys(); }
    std::vector<Tensor> values() const;
    NamedTensors items() const;

    // "  (w): Parameter containing: [torch.FloatTensor of size 3x4]" (PyTorch's typename here).
    std::string extra_repr() const override;
};

}  // namespace nnkit::nn
