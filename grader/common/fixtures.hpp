// PyTorch fixtures: datasets/fixtures/<case>/<array>.npy, described by
// datasets/fixtures/manifest.json (written by datasets/generate_fixtures.py).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nnkit/npy.hpp"

namespace nnkit::grading {

// Folder of the fixtures: $NNKIT_FIXTURES if set, else the one built in.
std::string fixture_dir();

class Fixture {
public:
    // Throws a clear error when the case is not in the manifest.
    explicit Fixture(const std::string& case_name);

    // An array of this case, checked against the manifest's shape and dtype.
    xt::xarray<float> f32(const std::string& array) const;
    xt::xarray<double> f64(const std::string& array) const;
    xt::xarray<long long> i64(const std::string& array) const;
    bool has(const std::string& array) const;

    // Tolerances recorded for the case: |got - expected| <= atol + rtol·|expected|.
    // A case may scale its atol with the array (tolerance "atol_of_max": atol is then
    // max(atol, atol_of_max · max|expected|)); such a case needs atol(expected).
    double rtol() const;
    double atol() const;
    double atol(const xt::xarray<float>& expected) const;

    // Options recorded for the case, as JSON text (for messages) or by key.
    std::string options_text() const;
    // "case conv/error_bias_shape: bias_shape [3], input_shape [1, 3, 5, 5], ..." (the options
    // without the error wanted): the configuration an error check names when it fails.
    std::string configuration() const;
    long long int_option(const std::string& key) const;
    bool bool_option(const std::string& key) const;
    double double_option(const std::string& key) const;
    std::vector<long long> int_list_option(const std::string& key) const;  // integers (nested lists flattened)
    bool has_option(const std::string& key) const;  // present and not null (Python's None)
    std::string op() const;  // the manifest's op ("cross_entropy", "linear", ...)
    std::string string_option(const std::string& key) const;
    std::vector<std::size_t> json_shape(const std::string& key) const;  // an option holding a shape

    const std::string& name() const { return name_; }

private:
    NpyArray load(const std::string& array) const;
    std::string name_;
    struct Entry;
    std::shared_ptr<const Entry> entry_;
};

}  // namespace nnkit::grading

// Compares `got` with the case's array under the case's own tolerance (the one
// datasets/generate_fixtures.py --check holds PyTorch's noise to). Needs check.hpp.
#define NNKIT_CHECK_FIXTURE(what, fixture, array, got)                                                       \
    do {                                                                                                      \
        const xt::xarray<float> nnkit_want_ = (fixture).f32(array);                                           \
        NNKIT_CHECK_CLOSE_TOL(what, nnkit_want_, got, (fixture).rtol(), (fixture).atol(nnkit_want_));        \
    } while (0)
