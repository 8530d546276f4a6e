// An insertion-ordered map, as Python's dict / OrderedDict: the registries of
// nn::Module keep their entries in the order they were registered, and a
// state_dict keeps its keys in the order they were saved.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace nnkit {

template <typename V, typename K = std::string>
class OrderedDict {
public:
    using Item = std::pair<K, V>;

    bool contains(const K& key) const { return find(key) != items_.end(); }
    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }

    // Replaces the value of an existing key in place (keeping its position), or appends.
    void set(const K& key, V value) {
        if (V* existing = get(key))
            *existing = std::move(value);
        else
            items_.emplace_back(key, std::move(value));
    }
    const V* get(const K& key) const {
        auto it = find(key);
        return it == items_.end() ? nullptr : &it->second;
    }
    V* get(const K& key) {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return i.first == key; });
        return it == items_.end() ? nullptr : &it->second;
    }
    bool erase(const K& key) {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return i.first == key; });
        if (it == items_.end()) return false;
        items_.erase(it);
        return true;
    }
    void clear() { items_.clear(); }

    std::vector<K> keys() const {
        std::vector<K> out;
        for (const auto& item : items_) out.push_back(item.first);
        return out;
    }

    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }
    auto begin() { return items_.begin(); }
    auto end() { return items_.end(); }

private:
    typename std::vector<Item>::const_iterator find(const K& key) const {
        return std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return i.first == key; });
    }
    std::vector<Item> items_;
};

}  // namespace nnkit
