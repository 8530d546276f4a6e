// Containers: nn::Sequential, nn::ModuleList, nn::ModuleDict.
// https://pytorch.org/docs/1.13/nn.html#containers
//
// Each is a Module whose children are its entries, so parameters(), state_dict(),
// train()/eval() and repr() see through it. Keys are the registry's names:
//   Sequential  "0", "1", ... or the names given; slicing keeps keys, deletion renumbers
//   ModuleList  always "0".."n-1"; slicing renumbers
//   ModuleDict  the user's keys, in insertion order
// Behaviour follows Python PyTorch 1.13 (torch/nn/modules/container.py), not
// LibTorch; lessons/02-containers-alexnet/README.md#containers lists the differences.
//
//   auto features = std::make_shared<nn::Sequential>(
//       std::make_shared<nn::Conv2d>(nn::Conv2dOptions(3, 6, 5)), std::make_shared<nn::ReLU>());
//   auto named = std::make_shared<nn::Sequential>(nn::NamedModules{{"conv1", conv}, {"relu1", relu}});
//   Tensor y = (*features)(x);
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

// A Python slice [start:stop:step]; an empty optional is Python's omitted bound.
//   Slice{1}            [1:]          Slice{std::nullopt, -1}   [:-1]
//   Slice{0, 4, 2}      [0:4:2]       Slice{{}, {}, -1}         [::-1]
struct Slice {
    Slice(std::optional<std::int64_t> start = {}, std::optional<std::int64_t> stop = {},  // NOLINT: implicit
          std::int64_t step = 1)
        : start(start), stop(stop), step(step) {}
    std::optional<std::int64_t> start, stop;
    std::int64_t step;
};

// The positions a slice selects in a sequence of length n, as Python's
// range(n)[slice] (slice.indices clamps out-of-range bounds). step 0 is a ValueError.
std::vector<std::size_t> slice_positions(const Slice& slice, std::size_t n);

// Iterates over the modules (the values of a registry), as Python's iter(container).
class ModuleIterator {
public:
    using Inner = decltype(std::declval<const OrderedDict<ModulePtr>&>().begin());
    using iterator_category = std::forward_iterator_tag;
    using value_type = ModulePtr;
    using difference_type = std::ptrdiff_t;
    using pointer = const ModulePtr*;
    using reference = const ModulePtr&;
    explicit ModuleIterator(Inner it) : it_(it) {}
    const ModulePtr& operator*() const { return it_->second; }
    ModuleIterator& operator++() { ++it_; return *this; }
    bool operator==(const ModuleIterator& o) const { return it_ == o.it_; }
    bool operator!=(const ModuleIterator& o) const { return it_ != o.it_; }

private:
    Inner it_;
};

// Enables the variadic constructors for shared_ptrs of Module subclasses only.
template <typename... Ms>
using AllModules = std::enable_if_t<(sizeof...(Ms) > 0) && (std::is_base_of_v<Module, Ms> && ...)>;

// https://pytorch.org/docs/1.13/generated/torch.nn.Sequential.html
// forward passes the input through every entry in order (an empty Sequential is the identity).
class Sequential : public Module {
public:
    NNKIT_MODULE_COPY(Sequential)
    Sequential();
    // Sequential(conv, relu, pool): keys "0", "1", "2".
    template <typename... Ms, typename = AllModules<Ms...>>
    explicit Sequential(std::shared_ptr<Ms>... modules) : Sequential(std::vector<ModulePtr>{modules...}) {}
    explicit Sequential(const std::vector<ModulePtr>& modules);
    // Sequential(OrderedDict([...])): the names are kept, checked by register_module.
    explicit Sequential(const NamedModules& named_modules);

    Tensor forward(const Tensor& input) override;

    std::size_t size() const { return modules_.size(); }
    // Negative indices count from the end; outside [-n, n) an IndexError "index 5 is out of range".
    ModulePtr operator[](std::int64_t index) const { return at(index); }
    ModulePtr at(std::int64_t index) const;
    // The entry cast to its class, e.g. seq.get<nn::Conv2d>(0); a TypeError if it is another class.
    template <typename M>
    std::shared_ptr<M> get(std::int64_t index) const { return cast_entry<M>(at(index), index); }
    // A new Sequential holding the selected entries under their original keys.
    std::shared_ptr<Sequential> slice(const Slice& slice) const;

    void set(std::int64_t index, ModulePtr module);  // s[i] = m: replaces the entry, keeps its key
    void erase(std::int64_t index);                  // del s[i], then keys become "0".."n-2"
    void erase(const Slice& slice);                  // del s[a:b], then renumbers
    ModulePtr pop(std::int64_t index);               // s[i], then del s[i]
    Sequential& append(ModulePtr module);            // key str(size())
    Sequential& extend(const std::vector<ModulePtr>& modules);
    Sequential& extend(const Sequential& other);
    // Before position index, -n <= index <= n; entries after it move up one key.
    Sequential& insert(std::int64_t index, ModulePtr module);

    // PyTorch's operators. s + t: a new Sequential of s's entries, then t's, keys "0".."n-1".
    std::shared_ptr<Sequential> operator+(const Sequential& other) const;
    // s += t: t's entry i under key str(len(s) + i); an existing key keeps its place and
    // takes the new module (after a slice, keys need not be "0".."n-1").
    Sequential& operator+=(const Sequential& other);
    // s * k (and k * s): a new Sequential of s's entries k times over, keys "0".."nk-1", the
    // same modules (shared, not copied). k <= 0: ValueError "Non-positive multiplication factor 0
    // for <class 'torch.nn.modules.container.Sequential'>". A float factor does not compile.
    std::shared_ptr<Sequential> operator*(std::int64_t times) const;
    // s *= k: entries "0".."n-1" added k - 1 more times after the end; keys that are not
    // "0".."n-1" are a KeyError, as PyTorch's self._modules[str(i)].
    Sequential& operator*=(std::int64_t times);
    template <typename T, typename = std::enable_if_t<std::is_floating_point_v<T>>>
    std::shared_ptr<Sequential> operator*(T) const = delete;
    template <typename T, typename = std::enable_if_t<std::is_floating_point_v<T>>>
    Sequential& operator*=(T) = delete;

    ModuleIterator begin() const;
    ModuleIterator end() const;

protected:
    template <typename M>
    static std::shared_ptr<M> cast_entry(const ModulePtr& m, std::int64_t index) {
        auto cast = std::dynamic_pointer_cast<M>(m);
        if (!cast)
            throw TypeError("entry " + std::to_string(index) + " is a " + (m ? m->type_name() : "None") +
                            ", not the class requested");
        return cast;
    }
};

// https://pytorch.org/docs/1.13/generated/torch.nn.ModuleList.html
// A list of registered modules with keys "0".."n-1". It has no forward (calling it throws,
// as PyTorch's "missing the required forward function").
class ModuleList : public Module {
public:
    NNKIT_MODULE_COPY(ModuleList)
    ModuleList();
    template <typename... Ms, typename = AllModules<Ms...>>
    explicit ModuleList(std::shared_ptr<Ms>... modules) : ModuleList(std::vector<ModulePtr>{modules...}) {}
    explicit ModuleList(const std::vector<ModulePtr>& modules);

    std::size_t size() const { return modules_.size(); }
    ModulePtr operator[](std::int64_t index) const { return at(index); }
    ModulePtr at(std::int64_t index) const;  // negative indices count from the end
    template <typename M>
    std::shared_ptr<M> get(std::int64_t index) const {
        auto cast = std::dynamic_pointer_cast<M>(at(index));
        if (!cast) throw TypeError("entry " + std::to_string(index) + " is not of the class requested");
        return cast;
    }
    // A new ModuleList of the selected entries, keys renumbered from "0".
    std::shared_ptr<ModuleList> slice(const Slice& slice) const;

    void set(std::int64_t index, ModulePtr module);
    void erase(std::int64_t index);  // renumbers
    void erase(const Slice& slice);  // renumbers
    ModulePtr pop(std::int64_t index);
    ModuleList& append(ModulePtr module);
    ModuleList& extend(const std::vector<ModulePtr>& modules);
    // Sequential's rule (-n <= index <= n, negative counts from the end), not PyTorch's
    // unchecked ModuleList.insert: see the lesson's table of differences.
    ModuleList& insert(std::int64_t index, ModulePtr module);

    // PyTorch's operators. l + m: a new ModuleList of both lists' entries, keys "0".."n-1".
    std::shared_ptr<ModuleList> operator+(const ModuleList& other) const;
    // l += m is l.extend(m): m's entry i under key str(len(l) + i).
    ModuleList& operator+=(const ModuleList& other);
    ModuleList& operator+=(const std::vector<ModulePtr>& modules) { return extend(modules); }

    ModuleIterator begin() const;
    ModuleIterator end() const;
};

// k * s is s * k.
inline std::shared_ptr<Sequential> operator*(std::int64_t times, const Sequential& s) { return s * times; }

// https://pytorch.org/docs/1.13/generated/torch.nn.ModuleDict.html
// Keys go through register_module, so "", dotted keys and "training" are KeyErrors
// with PyTorch's messages. No forward.
class ModuleDict : public Module {
public:
    NNKIT_MODULE_COPY(ModuleDict)
    ModuleDict();
    explicit ModuleDict(const NamedModules& modules);

    std::size_t size() const { return modules_.size(); }
    bool contains(const std::string& key) const;
    // A missing key is a KeyError "'key'".
    ModulePtr operator[](const std::string& key) const { return at(key); }
    ModulePtr at(const std::string& key) const;
    template <typename M>
    std::shared_ptr<M> get(const std::string& key) const {
        auto cast = std::dynamic_pointer_cast<M>(at(key));
        if (!cast) throw TypeError("entry '" + key + "' is not of the class requested");
        return cast;
    }

    void set(const std::string& key, ModulePtr module);  // d[key] = m: an existing key keeps its place
    void update(const NamedModules& modules);            // set() for each pair, in order
    void update(const ModuleDict& other);
    void erase(const std::string& key);  // del d[key]
    ModulePtr pop(const std::string& key);  // d[key], then del d[key]: its parameters leave the dict
    void clear();

    std::vector<std::string> keys() const;
    NamedModules items() const;
    std::vector<ModulePtr> values() const;
    // No begin()/end(): Python iterates a ModuleDict's keys; say keys(), values() or items().
};

}  // namespace nnkit::nn
