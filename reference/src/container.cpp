// Unit `container` — lesson 2, "Containers": Sequential, ModuleList, ModuleDict.
// A container is a Module whose registry of submodules (modules_, an ordered
// dict name -> module) is its content. Every operation below is a few lines of
// bookkeeping on that dict, exactly as torch/nn/modules/container.py (1.13) does it:
// which key an entry gets, when keys are renumbered, and which indices are legal.
#include "nnkit/nn/container.hpp"

#include <string>

#include "nnkit/errors.hpp"

namespace nnkit::nn {

namespace {

// BEGIN SOLUTION
// Python's operator.index check of _get_item_by_idx: -n <= index < n, negative from the end.
std::size_t normalize_index(std::int64_t index, std::size_t n) {
    const auto size = static_cast<std::int64_t>(n);
    if (index < -size || index >= size) throw IndexError("index " + std::to_string(index) + " is out of range");
    return static_cast<std::size_t>(index < 0 ? index + size : index);
}

// n entries `times` times over, refused before the first one when no machine could hold them all
// (Python would fill the memory and stop with a MemoryError); nothing to repeat is no work at all.
bool check_repeat(std::size_t n, std::int64_t times) {
    constexpr std::size_t entry_bytes = 64;  // a key, a shared pointer and the dict's node, at least
    if (n != 0 && std::uint64_t(times) > allocation_limit() / entry_bytes / n)
        throw ValueError("MemoryError: " + std::to_string(n) + " modules repeated " + std::to_string(times) +
                         " times are more entries than memory holds");
    return n != 0;
}

// What __delitem__ does after deleting: rebuild the dict with keys "0".."n-1" ("To preserve numbering").
void renumber(OrderedDict<ModulePtr>& modules) {
    OrderedDict<ModulePtr> fresh;
    std::size_t i = 0;
    for (const auto& item : modules) fresh.set(std::to_string(i++), item.second);
    modules = std::move(fresh);
}

// Sequential.insert after its bounds check: move each entry up one key, from the
// end down to `index`, then put the new module at str(index). Assigning to a
// key that exists keeps its place; a new key ("n") goes at the end. PyTorch
// assumes the keys are "0".."n-1" and fails on a missing one (a named
// Sequential); nnkit fails the same way but before changing anything.
void shift_insert(OrderedDict<ModulePtr>& modules, std::size_t index, ModulePtr module) {
    OrderedDict<ModulePtr> out = modules;
    for (std::size_t i = out.size(); i > index; --i) {
        const ModulePtr* prev = out.get(std::to_string(i - 1));
        if (!prev) throw KeyError("'" + std::to_string(i - 1) + "'");
        out.set(std::to_string(i), *prev);
    }
    out.set(std::to_string(index), std::move(module));
    modules = std::move(out);
}

// Sequential.insert's rule: -n <= index <= n (one past the end appends).
std::size_t insert_position(std::int64_t index, std::size_t n) {
    const auto size = static_cast<std::int64_t>(n);
    if (index < -size || index > size) throw IndexError("Index out of range: " + std::to_string(index));
    return static_cast<std::size_t>(index < 0 ? index + size : index);
}

std::string key_at(const OrderedDict<ModulePtr>& modules, std::size_t position) {
    return std::next(modules.begin(), static_cast<std::ptrdiff_t>(position))->first;
}

// Python clamps a slice's bounds into the sequence (slice.indices).
std::int64_t clamp_bound(std::int64_t v, std::int64_t n, std::int64_t step) {
    if (v < 0) {
        v += n;
        if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) {
        v = step < 0 ? n - 1 : n;
    }
    return v;
}
// STUB
// Helper functions for your solution can go here (a shared index check saves
// writing the same three lines in every method).
// END SOLUTION

// Python's loop `for i, module in enumerate(other)` while the body may add keys to
// `other` itself (s += s): each step reads the entry at the iterator's position live, and a
// step that finds a key added since the loop began raises, as an OrderedDict iterator does.
// Like Python's, the iterator decides at each step whether a next key exists, so a loop whose
// last step added a key ends quietly.
template <typename Body>
void for_each_entry(const Module& other, Body body) {
    const std::size_t size_at_start = other.module_dict().size();
    for (std::size_t i = 0; i < size_at_start;) {
        const ModulePtr module = std::next(other.module_dict().begin(), static_cast<std::ptrdiff_t>(i))->second;
        const bool has_next = i + 1 < other.module_dict().size();
        body(i, module);
        if (!has_next) return;
        if (other.module_dict().size() != size_at_start) throw ValueError("OrderedDict mutated during iteration");
        ++i;
    }
}

const char* const kSequentialClass = "<class 'torch.nn.modules.container.Sequential'>";

}  // namespace

std::vector<std::size_t> slice_positions(const Slice& slice, std::size_t n) {
    // BEGIN SOLUTION
    if (slice.step == 0) throw ValueError("slice step cannot be zero");
    const auto size = static_cast<std::int64_t>(n);
    const std::int64_t step = slice.step;
    const std::int64_t start = slice.start ? clamp_bound(*slice.start, size, step) : (step < 0 ? size - 1 : 0);
    const std::int64_t stop = slice.stop ? clamp_bound(*slice.stop, size, step) : (step < 0 ? -1 : size);
    std::vector<std::size_t> out;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        out.push_back(static_cast<std::size_t>(i));
        // stop before the step that passes `stop`: a step near 2^63 must not overflow i
        if (step > 0 ? stop - i <= step : i - stop - 1 <= -(step + 1)) break;
    }
    return out;
    // STUB
    // Python's range(n)[start:stop:step]. Omitted bounds: start 0 and stop n (step > 0),
    // start n-1 and "before 0" (step < 0). A negative bound counts from the end; bounds
    // outside the sequence are clamped, never an error. step 0: ValueError "slice step cannot be zero".
    //> throw NotImplemented("slice_positions", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
    // END SOLUTION
}

ModuleIterator Sequential::begin() const { return ModuleIterator(modules_.begin()); }
ModuleIterator Sequential::end() const { return ModuleIterator(modules_.end()); }
ModuleIterator ModuleList::begin() const { return ModuleIterator(modules_.begin()); }
ModuleIterator ModuleList::end() const { return ModuleIterator(modules_.end()); }

// ================================================================ Sequential

Sequential::Sequential() : Module("Sequential") {}

Sequential::Sequential(const std::vector<ModulePtr>& modules) : Module("Sequential") {
    for (std::size_t i = 0; i < modules.size(); ++i) register_module(std::to_string(i), modules[i]);
}

// The names go through register_module, which raises its KeyErrors, e.g.
// "module name can't contain ".", got: a.b" and "module name can't be empty string "".
Sequential::Sequential(const NamedModules& named_modules) : Module("Sequential") {
    for (const auto& [name, module] : named_modules) register_module(name, module);
}

Tensor Sequential::forward(const Tensor& input) {
    // BEGIN SOLUTION
    // x -> m0 -> m1 -> ...: each call goes through operator() so hooks fire. A Tensor is a
    // handle, so passing it along copies no data.
    Tensor x = input;
    for (const auto& item : modules_) {
        if (!item.second) throw TypeError("'NoneType' object is not callable");
        x = (*item.second)(x);
    }
    return x;
    // STUB
    // Feed the input through every module in order, calling each as (*module)(x)
    // (operator(), so that hooks fire). An empty Sequential returns its input. A null entry (None)
    // is PyTorch's TypeError "'NoneType' object is not callable".
    //> throw NotImplemented("Sequential::forward", "lessons/02-containers-alexnet/README.md#sequential");
    // END SOLUTION
}

ModulePtr Sequential::at(std::int64_t index) const {
    // BEGIN SOLUTION
    return std::next(modules_.begin(), static_cast<std::ptrdiff_t>(normalize_index(index, size())))->second;
    // STUB
    // Negative indices count from the end. Outside [-n, n): IndexError with PyTorch's
    // message "index 5 is out of range".
    //> throw NotImplemented("Sequential::at", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
    // END SOLUTION
}

std::shared_ptr<Sequential> Sequential::slice(const Slice& slice) const {
    // BEGIN SOLUTION
    NamedModules picked;
    for (std::size_t p : slice_positions(slice, size())) {
        const auto& item = *std::next(modules_.begin(), static_cast<std::ptrdiff_t>(p));
        picked.emplace_back(item.first, item.second);
    }
    return std::make_shared<Sequential>(picked);
    // STUB
    // PyTorch: Sequential(OrderedDict(list(self._modules.items())[idx])), so the new
    // Sequential keeps the original keys (s[1:] of keys 0,1,2 has keys 1,2).
    //> throw NotImplemented("Sequential::slice", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
    // END SOLUTION
}

void Sequential::set(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    // BEGIN SOLUTION
    modules_.set(key_at(modules_, normalize_index(index, size())), std::move(module));
    // STUB
    // Replace the entry at index; its key and position stay.
    //> throw NotImplemented("Sequential::set", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
    // END SOLUTION
}

void Sequential::erase(std::int64_t index) {
    // BEGIN SOLUTION
    modules_.erase(key_at(modules_, normalize_index(index, size())));
    renumber(modules_);
    // STUB
    // Remove the entry, then give every remaining entry the key "0".."n-2" in
    // order: a named Sequential loses its names.
    //> throw NotImplemented("Sequential::erase", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

void Sequential::erase(const Slice& slice) {
    // BEGIN SOLUTION
    std::vector<std::string> doomed;
    for (std::size_t p : slice_positions(slice, size())) doomed.push_back(key_at(modules_, p));
    for (const auto& key : doomed) modules_.erase(key);
    renumber(modules_);
    // STUB
    // Remove every selected entry, then renumber the rest "0".."n-1".
    //> throw NotImplemented("Sequential::erase", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

ModulePtr Sequential::pop(std::int64_t index) {
    // BEGIN SOLUTION
    ModulePtr m = at(index);
    erase(index);
    return m;
    // STUB
    // The entry at index, removed as erase() does (so the rest is renumbered).
    //> throw NotImplemented("Sequential::pop", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

Sequential& Sequential::append(ModulePtr module) {
    // BEGIN SOLUTION
    register_module(std::to_string(size()), std::move(module));
    return *this;
    // STUB
    // PyTorch: self.add_module(str(len(self)), module). Note what that does when the
    // keys are not "0".."n-1" (after a slice, or with names): read the lesson.
    //> throw NotImplemented("Sequential::append", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

Sequential& Sequential::extend(const std::vector<ModulePtr>& modules) {
    // BEGIN SOLUTION
    for (const auto& m : modules) append(m);
    return *this;
    // STUB
    //> throw NotImplemented("Sequential::extend", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

Sequential& Sequential::extend(const Sequential& other) {
    // PyTorch: for layer in other: self.append(layer) (so s.extend(s) raises as Python's loop does).
    for_each_entry(other, [this](std::size_t, const ModulePtr& m) { append(m); });
    return *this;
}

Sequential& Sequential::insert(std::int64_t index, ModulePtr module) {
    if (!module) throw TypeError("module should be of type: <class 'torch.nn.modules.module.Module'>");
    refuse_cycle(module);  // given: a module may not contain itself
    // BEGIN SOLUTION
    shift_insert(modules_, insert_position(index, size()), std::move(module));
    return *this;
    // STUB
    // Legal: -n <= index <= n, else IndexError "Index out of range: <index>". A negative
    // index counts from the end. Then, as PyTorch: for i from n down to index+1, the
    // entry under key str(i-1) moves to key str(i); the new module goes under str(index).
    //> throw NotImplemented("Sequential::insert", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
    // END SOLUTION
}

// ================================================================ ModuleList

ModuleList::ModuleList() : Module("ModuleList") {}

ModuleList::ModuleList(const std::vector<ModulePtr>& modules) : Module("ModuleList") {
    for (std::size_t i = 0; i < modules.size(); ++i) register_module(std::to_string(i), modules[i]);
}

ModulePtr ModuleList::at(std::int64_t index) const {
    // BEGIN SOLUTION
    // PyTorch looks the index up as a key: a list that register_module gave another key has no "1"
    const std::string key = std::to_string(normalize_index(index, size()));
    const ModulePtr* m = modules_.get(key);
    if (!m) throw KeyError("'" + key + "'");
    return *m;
    // STUB
    // As Sequential: negative from the end, "index 5 is out of range" outside [-n, n).
    //> throw NotImplemented("ModuleList::at", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

std::shared_ptr<ModuleList> ModuleList::slice(const Slice& slice) const {
    // BEGIN SOLUTION
    std::vector<ModulePtr> picked;
    for (std::size_t p : slice_positions(slice, size())) picked.push_back(at(static_cast<std::int64_t>(p)));
    return std::make_shared<ModuleList>(picked);
    // STUB
    // PyTorch: ModuleList(list(self._modules.values())[idx]) — keys start again at "0".
    //> throw NotImplemented("ModuleList::slice", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

void ModuleList::set(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    // BEGIN SOLUTION
    modules_.set(std::to_string(normalize_index(index, size())), std::move(module));
    // STUB
    //> throw NotImplemented("ModuleList::set", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

void ModuleList::erase(std::int64_t index) {
    // BEGIN SOLUTION
    modules_.erase(std::to_string(normalize_index(index, size())));
    renumber(modules_);
    // STUB
    //> throw NotImplemented("ModuleList::erase", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

void ModuleList::erase(const Slice& slice) {
    // BEGIN SOLUTION
    for (std::size_t p : slice_positions(slice, size())) modules_.erase(std::to_string(p));
    renumber(modules_);
    // STUB
    //> throw NotImplemented("ModuleList::erase", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

ModulePtr ModuleList::pop(std::int64_t index) {
    // BEGIN SOLUTION
    ModulePtr m = at(index);
    erase(index);
    return m;
    // STUB
    //> throw NotImplemented("ModuleList::pop", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

ModuleList& ModuleList::append(ModulePtr module) {
    // BEGIN SOLUTION
    register_module(std::to_string(size()), std::move(module));
    return *this;
    // STUB
    //> throw NotImplemented("ModuleList::append", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

ModuleList& ModuleList::extend(const std::vector<ModulePtr>& modules) {
    // BEGIN SOLUTION
    for (const auto& m : modules) append(m);
    return *this;
    // STUB
    //> throw NotImplemented("ModuleList::extend", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

ModuleList& ModuleList::insert(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    // BEGIN SOLUTION
    shift_insert(modules_, insert_position(index, size()), std::move(module));
    return *this;
    // STUB
    // Use Sequential::insert's rule (-n <= index <= n, negative from the end), then move
    // entries up one key from the end down to index. PyTorch's own ModuleList.insert skips
    // the check: the lesson shows what that does with a negative index.
    //> throw NotImplemented("ModuleList::insert", "lessons/02-containers-alexnet/README.md#modulelist");
    // END SOLUTION
}

// ---------------------------------------------------------------- Sequential's operators

std::shared_ptr<Sequential> Sequential::operator+(const Sequential& other) const {
    // BEGIN SOLUTION
    auto combined = std::make_shared<Sequential>();
    for (const auto& m : *this) combined->append(m);
    for (const auto& m : other) combined->append(m);
    return combined;
    // STUB
    // PyTorch's __add__: a new Sequential, then append every entry of this one and of
    // other, in order, so the keys are "0".."n-1" whatever keys the operands had.
    //> throw NotImplemented("Sequential::operator+", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

Sequential& Sequential::operator+=(const Sequential& other) {
    // BEGIN SOLUTION
    const std::size_t offset = size();
    for_each_entry(other, [&](std::size_t i, const ModulePtr& m) { register_module(std::to_string(i + offset), m); });
    return *this;
    // STUB
    // PyTorch's __iadd__: offset = len(self), then other's entry i registered under key
    // str(i + offset) (register_module: an existing key keeps its place). Loop with
    // for_each_entry(other, [&](std::size_t i, const ModulePtr& m) { ... }) — it walks other
    // as Python does even when other is *this (s += s).
    //> throw NotImplemented("Sequential::operator+=", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

std::shared_ptr<Sequential> Sequential::operator*(std::int64_t times) const {
    // BEGIN SOLUTION
    if (times <= 0)
        throw ValueError("Non-positive multiplication factor " + std::to_string(times) + " for " + kSequentialClass);
    auto combined = std::make_shared<Sequential>();
    if (!check_repeat(size(), times)) return combined;
    std::size_t offset = 0;
    for (std::int64_t k = 0; k < times; ++k)
        for (const auto& m : *this) combined->register_module(std::to_string(offset++), m);
    return combined;
    // STUB
    // PyTorch's __mul__: times <= 0 is a ValueError "Non-positive multiplication factor 0 for
    // <class 'torch.nn.modules.container.Sequential'>" (kSequentialClass is the class part).
    // Otherwise a new Sequential holding this one's entries `times` times over under keys
    // "0", "1", ...: the same modules, shared.
    //> throw NotImplemented("Sequential::operator*", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

Sequential& Sequential::operator*=(std::int64_t times) {
    // BEGIN SOLUTION
    if (times <= 0)
        throw ValueError("Non-positive multiplication factor " + std::to_string(times) + " for " + kSequentialClass);
    const std::size_t n = size();
    if (!check_repeat(n, times)) return *this;
    std::size_t offset = n;
    for (std::int64_t k = 0; k + 1 < times; ++k) {
        for (std::size_t i = 0; i < n; ++i) {
            const ModulePtr* m = modules_.get(std::to_string(i));
            if (!m) throw KeyError("'" + std::to_string(i) + "'");
            register_module(std::to_string(i + offset), *m);
        }
        offset += n;
    }
    return *this;
    // STUB
    // PyTorch's __imul__: the same ValueError for times <= 0; then times - 1 rounds, each
    // registering the entry under key str(i) (i = 0..n-1, n = the size before the first
    // round) again under str(i + offset), offset growing by n a round. A key str(i) that is
    // missing (a named or sliced Sequential) is a KeyError "'0'", raised where PyTorch raises it.
    //> throw NotImplemented("Sequential::operator*=", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

// ---------------------------------------------------------------- ModuleList's operators

std::shared_ptr<ModuleList> ModuleList::operator+(const ModuleList& other) const {
    // BEGIN SOLUTION
    auto combined = std::make_shared<ModuleList>();
    for (const auto& m : *this) combined->append(m);
    for (const auto& m : other) combined->append(m);
    return combined;
    // STUB
    // PyTorch's __add__: a new ModuleList, entries of this one then of other, keys "0".."n-1".
    //> throw NotImplemented("ModuleList::operator+", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

ModuleList& ModuleList::operator+=(const ModuleList& other) {
    // BEGIN SOLUTION
    const std::size_t offset = size();
    for_each_entry(other, [&](std::size_t i, const ModulePtr& m) { register_module(std::to_string(i + offset), m); });
    return *this;
    // STUB
    // PyTorch's extend(other): offset = len(self), then other's entry i under key
    // str(offset + i), looping with for_each_entry as Sequential's += does.
    //> throw NotImplemented("ModuleList::operator+=", "lessons/02-containers-alexnet/README.md#operators");
    // END SOLUTION
}

// ================================================================ ModuleDict

ModuleDict::ModuleDict() : Module("ModuleDict") {}

ModuleDict::ModuleDict(const NamedModules& modules) : Module("ModuleDict") { update(modules); }

bool ModuleDict::contains(const std::string& key) const {
    // BEGIN SOLUTION
    return modules_.contains(key);
    // STUB
    //> throw NotImplemented("ModuleDict::contains", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

ModulePtr ModuleDict::at(const std::string& key) const {
    // BEGIN SOLUTION
    const ModulePtr* m = modules_.get(key);
    if (!m) throw KeyError("'" + key + "'");
    return *m;
    // STUB
    // A missing key is a KeyError whose message is the key in quotes, as Python's: 'conv'.
    //> throw NotImplemented("ModuleDict::at", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

void ModuleDict::set(const std::string& key, ModulePtr module) {
    // BEGIN SOLUTION
    register_module(key, std::move(module));
    // STUB
    // PyTorch's __setitem__ is add_module: the key is checked as any module name, so register_module
    // raises its KeyErrors for you: "module name can't contain ".", got: a.b",
    // "module name can't be empty string "", and "attribute 'training' already exists".
    //> throw NotImplemented("ModuleDict::set", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

void ModuleDict::update(const NamedModules& modules) {
    // BEGIN SOLUTION
    for (const auto& [key, module] : modules) set(key, module);
    // STUB
    //> throw NotImplemented("ModuleDict::update", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

void ModuleDict::update(const ModuleDict& other) {
    const NamedModules items = other.items();  // a copy: d.update(d) is fine
    update(items);
}

void ModuleDict::erase(const std::string& key) {
    // BEGIN SOLUTION
    if (!modules_.erase(key)) throw KeyError("'" + key + "'");
    // STUB
    //> throw NotImplemented("ModuleDict::erase", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

ModulePtr ModuleDict::pop(const std::string& key) {
    // BEGIN SOLUTION
    ModulePtr m = at(key);
    erase(key);
    return m;
    // STUB
    // Return the module AND remove it from the registry, so that its parameters
    // no longer belong to the dict (LibTorch's pop forgets the second part).
    //> throw NotImplemented("ModuleDict::pop", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

void ModuleDict::clear() {
    // BEGIN SOLUTION
    modules_.clear();
    // STUB
    //> throw NotImplemented("ModuleDict::clear", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

std::vector<std::string> ModuleDict::keys() const {
    // BEGIN SOLUTION
    return modules_.keys();
    // STUB
    //> throw NotImplemented("ModuleDict::keys", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

NamedModules ModuleDict::items() const {
    // BEGIN SOLUTION
    return NamedModules(modules_.begin(), modules_.end());
    // STUB
    //> throw NotImplemented("ModuleDict::items", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

std::vector<ModulePtr> ModuleDict::values() const {
    // BEGIN SOLUTION
    std::vector<ModulePtr> out;
    for (const auto& item : modules_) out.push_back(item.second);
    return out;
    // STUB
    //> throw NotImplemented("ModuleDict::values", "lessons/02-containers-alexnet/README.md#moduledict");
    // END SOLUTION
}

}  // namespace nnkit::nn
