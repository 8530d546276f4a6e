#include "nnkit/sizes.hpp"

#include "nnkit/errors.hpp"

namespace nnkit {

namespace {

std::string tuple_of(const std::vector<std::int64_t>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
}

}  // namespace

std::vector<std::int64_t> Sizes::expand(std::size_t D) const {
    if (given_.size() == 1) return std::vector<std::int64_t>(D, given_[0]);
    if (given_.size() != D)
        throw ValueError("expected 1 or " + std::to_string(D) + " values for a " + std::to_string(D) +
                         "-d size, got " + std::to_string(given_.size()));
    return given_;
}

std::string Sizes::repr() const { return scalar_ ? std::to_string(given_.at(0)) : tuple_of(given_); }

std::string Sizes::tuple_repr(std::size_t D) const { return tuple_of(scalar_ ? expand(D) : given_); }

}  // namespace nnkit
