#include "fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "nnkit/shape.hpp"

#ifndef NNKIT_FIXTURE_DIR
#error "NNKIT_FIXTURE_DIR must be defined by the build"
#endif

namespace nnkit::grading {

struct Fixture::Entry {
    nlohmann::json json;
    std::string dir;  // the folder its paths are relative to
};

std::string fixture_dir() {
    const char* env = std::getenv("NNKIT_FIXTURES");
    return env && *env ? env : NNKIT_FIXTURE_DIR;
}

namespace {

nlohmann::json read_manifest(const std::string& dir, bool required) {
    const std::string path = dir + "/manifest.json";
    std::ifstream in(path);
    if (!in) {
        if (!required) return nlohmann::json{{"cases", nlohmann::json::object()}};
        throw std::runtime_error("cannot read " + path + ": no such file (the fixtures are missing)");
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot read " + path + ": " + e.what());
    }
}

// The course's fixtures, and an instructor's extra ones (hidden tests) when built with them.
const nlohmann::json& manifest() {
    static const nlohmann::json m = read_manifest(fixture_dir(), true);
    return m;
}
const nlohmann::json& extra_manifest() {
    static const nlohmann::json m = read_manifest(NNKIT_EXTRA_FIXTURE_DIR, false);
    return m;
}

template <typename T, typename V>
xt::xarray<T> to_array(const std::vector<V>& values, const Shape& shape) {
    xt::xarray<T> a = xt::xarray<T>::from_shape(shape);
    std::copy(values.begin(), values.end(), a.begin());
    return a;
}

}  // namespace

Fixture::Fixture(const std::string& case_name) : name_(case_name) {
    for (const auto* m : {&manifest(), &extra_manifest()}) {
        const auto& cases = m->at("cases");
        auto it = cases.find(case_name);
        if (it == cases.end()) continue;
        Entry entry{*it, m == &manifest() ? fixture_dir() : NNKIT_EXTRA_FIXTURE_DIR};
        const auto& options = entry.json.at("options");
        if (options.is_object() && options.contains("$file")) {  // large options live in their own file
            const std::string path = entry.dir + "/" + options.at("$file").get<std::string>();
            std::ifstream in(path);
            if (!in) throw std::runtime_error("cannot read " + path + ": no such file (the fixtures are missing)");
            try {
                entry.json["options"] = nlohmann::json::parse(in);
            } catch (const nlohmann::json::exception& e) {
                throw std::runtime_error("cannot read " + path + ": " + e.what());
            }
        }
        entry_ = std::make_shared<Entry>(std::move(entry));
        return;
    }
    throw std::runtime_error("fixture case \"" + case_name +
                             "\" is not in the manifest: regenerate with datasets/generate_fixtures.py");
}

bool Fixture::has(const std::string& array) const { return entry_->json.at("files").contains(array); }

NpyArray Fixture::load(const std::string& array) const {
    const auto& files = entry_->json.at("files");
    if (!files.contains(array))
        throw std::runtime_error("fixture case \"" + name_ + "\" has no array \"" + array + "\"");
    const auto& meta = files.at(array);
    const std::string path = entry_->dir + "/" + meta.at("path").get<std::string>();
    NpyArray npy = read_npy(path);
    const Shape want = meta.at("shape").get<Shape>();
    if (npy.shape != want)
        throw std::runtime_error("cannot read " + path + ": shape " + to_string(npy.shape) +
                                 " but the manifest says " + to_string(want));
    if (npy.dtype != meta.at("dtype").get<std::string>())
        throw std::runtime_error("cannot read " + path + ": dtype " + npy.dtype + " but the manifest says " +
                                 meta.at("dtype").get<std::string>());
    return npy;
}

xt::xarray<float> Fixture::f32(const std::string& array) const {
    const NpyArray npy = load(array);
    return to_array<float>(npy.as_float(), npy.shape);
}

xt::xarray<double> Fixture::f64(const std::string& array) const {
    const NpyArray npy = load(array);
    return to_array<double>(npy.as_double(), npy.shape);
}

xt::xarray<long long> Fixture::i64(const std::string& array) const {
    const NpyArray npy = load(array);
    return to_array<long long>(npy.as_int64(), npy.shape);
}

double Fixture::rtol() const { return entry_->json.at("tolerance").at("rtol").get<double>(); }
double Fixture::atol() const {
    const auto& tol = entry_->json.at("tolerance");
    if (tol.contains("atol_of_max"))
        throw std::logic_error("fixture case \"" + name_ + "\" scales its atol by max|expected|: use atol(expected)");
    return tol.at("atol").get<double>();
}

double Fixture::atol(const xt::xarray<float>& expected) const {
    const auto& tol = entry_->json.at("tolerance");
    double atol = tol.at("atol").get<double>();
    if (tol.contains("atol_of_max")) {
        double max_abs = 0;
        for (const float v : expected) max_abs = std::max(max_abs, std::abs(double(v)));
        atol = std::max(atol, tol.at("atol_of_max").get<double>() * max_abs);
    }
    return atol;
}

std::string Fixture::options_text() const { return entry_->json.at("options").dump(); }

std::string Fixture::configuration() const {
    std::string s = "case " + name_;
    const char* sep = ": ";
    for (const auto& [key, value] : entry_->json.at("options").items()) {
        if (key.rfind("error", 0) == 0 || key == "nnkit_error") continue;  // the message wanted
        std::string v = value.is_string() ? value.get<std::string>() : value.dump();
        for (std::size_t i = 0; i + 1 < v.size(); ++i)  // [1,3,5] -> [1, 3, 5]
            if (v[i] == ',' && v[i + 1] != ' ') v.insert(i + 1, " ");
        s += sep + key + " " + v;
        sep = ", ";
    }
    return s;
}

long long Fixture::int_option(const std::string& key) const {
    return entry_->json.at("options").at(key).get<long long>();
}

bool Fixture::bool_option(const std::string& key) const { return entry_->json.at("options").at(key).get<bool>(); }

double Fixture::double_option(const std::string& key) const {
    return entry_->json.at("options").at(key).get<double>();
}

namespace {
// A number or nested lists of numbers, flattened in row-major order.
void flatten_into(const nlohmann::json& v, std::vector<long long>& out) {
    if (v.is_array()) {
        for (const auto& e : v) flatten_into(e, out);
    } else {
        out.push_back(v.get<long long>());
    }
}
}  // namespace

std::vector<long long> Fixture::int_list_option(const std::string& key) const {
    std::vector<long long> out;
    flatten_into(entry_->json.at("options").at(key), out);
    return out;
}

bool Fixture::has_option(const std::string& key) const {
    const auto& o = entry_->json.at("options");
    return o.contains(key) && !o.at(key).is_null();
}

std::string Fixture::op() const { return entry_->json.at("op").get<std::string>(); }

std::string Fixture::string_option(const std::string& key) const {
    return entry_->json.at("options").at(key).get<std::string>();
}

std::vector<std::size_t> Fixture::json_shape(const std::string& key) const {
    return entry_->json.at("options").at(key).get<std::vector<std::size_t>>();
}

}  // namespace nnkit::grading
