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

// Helper functions for your solution can go here (a shared index check saves
// writing the same three lines in every method).

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
    // Python's range(n)[start:stop:step]. Omitted bounds: start 0 and stop n (step > 0),
    // start n-1 and "before 0" (step < 0). A negative bound counts from the end; bounds
    // outside the sequence are clamped, never an error. step 0: ValueError "slice step cannot be zero".
    throw NotImplemented("slice_positions", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
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
    // Feed the input through every module in order, calling each as (*module)(x)
    // (operator(), so that hooks fire). An empty Sequential returns its input. A null entry (None)
    // is PyTorch's TypeError "'NoneType' object is not callable".
    throw NotImplemented("Sequential::forward", "lessons/02-containers-alexnet/README.md#sequential");
}

ModulePtr Sequential::at(std::int64_t index) const {
    // Negative indices count from the end. Outside [-n, n): IndexError with PyTorch's
    // message "index 5 is out of range".
    throw NotImplemented("Sequential::at", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
}

std::shared_ptr<Sequential> Sequential::slice(const Slice& slice) const {
    // PyTorch: Sequential(OrderedDict(list(self._modules.items())[idx])), so the new
    // Sequential keeps the original keys (s[1:] of keys 0,1,2 has keys 1,2).
    throw NotImplemented("Sequential::slice", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
}

void Sequential::set(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    // Replace the entry at index; its key and position stay.
    throw NotImplemented("Sequential::set", "lessons/02-containers-alexnet/README.md#indexing-and-slicing");
}

void Sequential::erase(std::int64_t index) {
    // Remove the entry, then give every remaining entry the key "0".."n-2" in
    // order: a named Sequential loses its names.
    throw NotImplemented("Sequential::erase", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

void Sequential::erase(const Slice& slice) {
    // Remove every selected entry, then renumber the rest "0".."n-1".
    throw NotImplemented("Sequential::erase", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

ModulePtr Sequential::pop(std::int64_t index) {
    // The entry at index, removed as erase() does (so the rest is renumbered).
    throw NotImplemented("Sequential::pop", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

Sequential& Sequential::append(ModulePtr module) {
    // PyTorch: self.add_module(str(len(self)), module). Note what that does when the
    // keys are not "0".."n-1" (after a slice, or with names): read the lesson.
    throw NotImplemented("Sequential::append", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

Sequential& Sequential::extend(const std::vector<ModulePtr>& modules) {
    throw NotImplemented("Sequential::extend", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

Sequential& Sequential::extend(const Sequential& other) {
    // PyTorch: for layer in other: self.append(layer) (so s.extend(s) raises as Python's loop does).
    for_each_entry(other, [this](std::size_t, const ModulePtr& m) { append(m); });
    return *this;
}

Sequential& Sequential::insert(std::int64_t index, ModulePtr module) {
    if (!module) throw TypeError("module should be of type: <class 'torch.nn.modules.module.Module'>");
    refuse_cycle(module);  // given: a module may not contain itself
    // Legal: -n <= index <= n, else IndexError "Index out of range: <index>". A negative
    // index counts from the end. Then, as PyTorch: for i from n down to index+1, the
    // entry under key str(i-1) moves to key str(i); the new module goes under str(index).
    throw NotImplemented("Sequential::insert", "lessons/02-containers-alexnet/README.md#inserting-and-deleting");
}

// ================================================================ ModuleList

ModuleList::ModuleList() : Module("ModuleList") {}

ModuleList::ModuleList(const std::vector<ModulePtr>& modules) : Module("ModuleList") {
    for (std::size_t i = 0; i < modules.size(); ++i) register_module(std::to_string(i), modules[i]);
}

ModulePtr ModuleList::at(std::int64_t index) const {
    // As Sequential: negative from the end, "index 5 is out of range" outside [-n, n).
    throw NotImplemented("ModuleList::at", "lessons/02-containers-alexnet/README.md#modulelist");
}

std::shared_ptr<ModuleList> ModuleList::slice(const Slice& slice) const {
    // PyTorch: ModuleList(list(self._modules.values())[idx]) — keys start again at "0".
    throw NotImplemented("ModuleList::slice", "lessons/02-containers-alexnet/README.md#modulelist");
}

void ModuleList::set(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    throw NotImplemented("ModuleList::set", "lessons/02-containers-alexnet/README.md#modulelist");
}

void ModuleList::erase(std::int64_t index) {
    throw NotImplemented("ModuleList::erase", "lessons/02-containers-alexnet/README.md#modulelist");
}

void ModuleList::erase(const Slice& slice) {
    throw NotImplemented("ModuleList::erase", "lessons/02-containers-alexnet/README.md#modulelist");
}

ModulePtr ModuleList::pop(std::int64_t index) {
    throw NotImplemented("ModuleList::pop", "lessons/02-containers-alexnet/README.md#modulelist");
}

ModuleList& ModuleList::append(ModulePtr module) {
    throw NotImplemented("ModuleList::append", "lessons/02-containers-alexnet/README.md#modulelist");
}

ModuleList& ModuleList::extend(const std::vector<ModulePtr>& modules) {
    throw NotImplemented("ModuleList::extend", "lessons/02-containers-alexnet/README.md#modulelist");
}

ModuleList& ModuleList::insert(std::int64_t index, ModulePtr module) {
    refuse_cycle(module);  // given: a module may not contain itself
    // Use Sequential::insert's rule (-n <= index <= n, negative from the end), then move
    // entries up one key from the end down to index. PyTorch's own ModuleList.insert skips
    // the check: the lesson shows what that does with a negative index.
    throw NotImplemented("ModuleList::insert", "lessons/02-containers-alexnet/README.md#modulelist");
}

// ---------------------------------------------------------------- Sequential's operators

std::shared_ptr<Sequential> Sequential::operator+(const Sequential& other) const {
    // PyTorch's __add__: a new Sequential, then append every entry of this one and of
    // other, in order, so the keys are "0".."n-1" whatever keys the operands had.
    throw NotImplemented("Sequential::operator+", "lessons/02-containers-alexnet/README.md#operators");
}

Sequential& Sequential::operator+=(const Sequential& other) {
    // PyTorch's __iadd__: offset = len(self), then other's entry i registered under key
    // str(i + offset) (register_module: an existing key keeps its place). Loop with
    // for_each_entry(other, [&](std::size_t i, const ModulePtr& m) { ... }) — it walks other
    // as Python does even when other is *this (s += s).
    throw NotImplemented("Sequential::operator+=", "lessons/02-containers-alexnet/README.md#operators");
}

std::shared_ptr<Sequential> Sequential::operator*(std::int64_t times) const {
    // PyTorch's __mul__: times <= 0 is a ValueError "Non-positive multiplication factor 0 for
    // <class 'torch.nn.modules.container.Sequential'>" (kSequentialClass is the class part).
    // Otherwise a new Sequential holding this one's entries `times` times over under keys
    // "0", "1", ...: the same modules, shared.
    throw NotImplemented("Sequential::operator*", "lessons/02-containers-alexnet/README.md#operators");
}

Sequential& Sequential::operator*=(std::int64_t times) {
    // PyTorch's __imul__: the same ValueError for times <= 0; then times - 1 rounds, each
    // registering the entry under key str(i) (i = 0..n-1, n = the size before the first
    // round) again under str(i + offset), offset growing by n a round. A key str(i) that is
    // missing (a named or sliced Sequential) is a KeyError "'0'", raised where PyTorch raises it.
    throw NotImplemented("Sequential::operator*=", "lessons/02-containers-alexnet/README.md#operators");
}

// ---------------------------------------------------------------- ModuleList's operators

std::shared_ptr<ModuleList> ModuleList::operator+(const ModuleList& other) const {
    // PyTorch's __add__: a new ModuleList, entries of this one then of other, keys "0".."n-1".
    throw NotImplemented("ModuleList::operator+", "lessons/02-containers-alexnet/README.md#operators");
}

ModuleList& ModuleList::operator+=(const ModuleList& other) {
    // PyTorch's extend(other): offset = len(self), then other's entry i under key
    // str(offset + i), looping with for_each_entry as Sequential's += does.
    throw NotImplemented("ModuleList::operator+=", "lessons/02-containers-alexnet/README.md#operators");
}

// ================================================================ ModuleDict

ModuleDict::ModuleDict() : Module("ModuleDict") {}

ModuleDict::ModuleDict(const NamedModules& modules) : Module("ModuleDict") { update(modules); }

bool ModuleDict::contains(const std::string& key) const {
    throw NotImplemented("ModuleDict::contains", "lessons/02-containers-alexnet/README.md#moduledict");
}

ModulePtr ModuleDict::at(const std::string& key) const {
    // A missing key is a KeyError whose message is the key in quotes, as Python's: 'conv'.
    throw NotImplemented("ModuleDict::at", "lessons/02-containers-alexnet/README.md#moduledict");
}

void ModuleDict::set(const std::string& key, ModulePtr module) {
    // PyTorch's __setitem__ is add_module: the key is checked as any module name, so register_module
    // raises its KeyErrors for you: "module name can't contain ".", got: a.b",
    // "module name can't be empty string "", and "attribute 'training' already exists".
    throw NotImplemented("ModuleDict::set", "lessons/02-containers-alexnet/README.md#moduledict");
}

void ModuleDict::update(const NamedModules& modules) {
    throw NotImplemented("ModuleDict::update", "lessons/02-containers-alexnet/README.md#moduledict");
}

void ModuleDict::update(const ModuleDict& other) {
    const NamedModules items = other.items();  // a copy: d.update(d) is fine
    update(items);
}

void ModuleDict::erase(const std::string& key) {
    throw NotImplemented("ModuleDict::erase", "lessons/02-containers-alexnet/README.md#moduledict");
}

ModulePtr ModuleDict::pop(const std::string& key) {
    // Return the module AND remove it from the registry, so that its parameters
    // no longer belong to the dict (LibTorch's pop forgets the second part).
    throw NotImplemented("ModuleDict::pop", "lessons/02-containers-alexnet/README.md#moduledict");
}

void ModuleDict::clear() {
    throw NotImplemented("ModuleDict::clear", "lessons/02-containers-alexnet/README.md#moduledict");
}

std::vector<std::string> ModuleDict::keys() const {
    throw NotImplemented("ModuleDict::keys", "lessons/02-containers-alexnet/README.md#moduledict");
}

NamedModules ModuleDict::items() const {
    throw NotImplemented("ModuleDict::items", "lessons/02-containers-alexnet/README.md#moduledict");
}

std::vector<ModulePtr> ModuleDict::values() const {
    throw NotImplemented("ModuleDict::values", "lessons/02-containers-alexnet/README.md#moduledict");
}

}  // namespace nnkit::nn
