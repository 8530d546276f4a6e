// The .npy reader against NumPy 1.24's np.load (fixture npy/headers): the same files accepted with
// the same shape, the same refused in NumPy's words, the file named in every message. Where NumPy
// accepts what nnkit refuses on purpose (Fortran order, dtypes nnkit does not read) or refuses in
// words about its own steps, the case holds nnkit's words. Core code.
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/npy.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

std::string from_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

}  // namespace

TEST_CASE("read_npy accepts what np.load accepts and refuses the rest in NumPy's words, naming the file") {
    const Fixture f("npy/headers");
    const auto cases = nlohmann::json::parse(f.options_text());
    REQUIRE(cases.size() >= 30);
    for (const auto& [name, c] : cases.items()) {
        INFO("case " << name);
        const std::string path = "nnkit_npy_case_" + name + ".npy";
        std::ofstream(path, std::ios::binary) << from_hex(c.at("bytes").get<std::string>());
        const bool refused = c.at("numpy") != "ok" || c.contains("nnkit_error");
        if (!refused) {
            NpyArray a;
            CHECK_NOTHROW(a = read_npy(path));
            CHECK(a.shape == c.at("shape").get<Shape>());
            CHECK(a.bytes.size() == numel(a.shape) * 4);
        } else {
            const std::string want = c.contains("nnkit_error") ? c.at("nnkit_error").get<std::string>()
                                                               : c.at("error").get<std::string>();
            NNKIT_CHECK_THROWS(read_npy(path), std::runtime_error, want);
            NNKIT_CHECK_THROWS(read_npy(path), std::runtime_error, "cannot read " + path + ": ");
        }
        std::remove(path.c_str());
    }
}

TEST_CASE("an array of another dtype than asked names its file") {
    const std::string path = "nnkit_npy_int64.npy";
    const long long values[2] = {1, 2};
    write_npy(path, "<i8", {2}, values);
    NNKIT_CHECK_THROWS(read_npy(path).as_float(), std::runtime_error,
                       "cannot read " + path + ": expected a float array, got dtype <i8");
    std::remove(path.c_str());
}
