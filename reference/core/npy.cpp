#include "nnkit/npy.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "nnkit/tensor.hpp"

namespace nnkit {

namespace {

std::runtime_error bad(const std::string& path, const std::string& why) {
    return std::runtime_error("cannot read " + path + ": " + why);
}

// Value of `key` in the header dict, e.g. "'<f4'" for 'descr'.
std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos) throw bad(path, "header has no '" + key + "' field");
    auto v = header.find(':', k);
    if (v == std::string::npos) throw bad(path, "malformed header");
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    if (v >= header.size()) throw bad(path, "malformed header");
    const char open = header[v];
    const char close = open == '(' ? ')' : open == '\'' ? '\'' : ',';
    const auto end = header.find(close, v + 1);
    if (end == std::string::npos) throw bad(path, "malformed header");
    return header.substr(v, end - v + 1);
}

std::size_t item_size(const std::string& dtype) {
    if (dtype == "<f4") return 4;
    if (dtype == "<f8" || dtype == "<i8") return 8;
    return 0;
}

template <typename To, typename From>
std::vector<To> convert(const std::vector<char>& bytes) {
    std::vector<To> out(bytes.size() / sizeof(From));
    for (std::size_t i = 0; i < out.size(); ++i) {
        From v;
        std::memcpy(&v, bytes.data() + i * sizeof(From), sizeof(From));
        out[i] = static_cast<To>(v);
    }
    return out;
}

}  // namespace

std::vector<float> NpyArray::as_float() const {
    if (dtype == "<f4") return convert<float, float>(bytes);
    if (dtype == "<f8") return convert<float, double>(bytes);
    throw std::runtime_error("npy: expected a float array, got dtype " + dtype);
}

std::vector<double> NpyArray::as_double() const {
    if (dtype == "<f4") return convert<double, float>(bytes);
    if (dtype == "<f8") return convert<double, double>(bytes);
    throw std::runtime_error("npy: expected a float array, got dtype " + dtype);
}

std::vector<long long> NpyArray::as_int64() const {
    if (dtype == "<i8") return convert<long long, std::int64_t>(bytes);
    throw std::runtime_error("npy: expected an int64 array, got dtype " + dtype);
}

NpyArray read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw bad(path, "no such file (fixtures live in datasets/fixtures; regenerate them with "
                             "datasets/generate_fixtures.py)");
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw bad(path, "not a .npy file (bad magic string)");
    const int major = static_cast<unsigned char>(magic[6]);
    std::size_t header_len = 0;
    unsigned char len_bytes[4] = {0, 0, 0, 0};
    const int len_size = major == 1 ? 2 : 4;
    if (!in.read(reinterpret_cast<char*>(len_bytes), len_size)) throw bad(path, "truncated header");
    for (int i = len_size - 1; i >= 0; --i) header_len = header_len * 256 + len_bytes[i];
    std::string header(header_len, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(header_len))) throw bad(path, "truncated header");

    NpyArray out;
    const std::string descr = header_field(header, "descr", path);
    out.dtype = descr.substr(1, descr.size() - 2);
    if (out.dtype == "|i8") out.dtype = "<i8";
    if (item_size(out.dtype) == 0) throw bad(path, "unsupported dtype " + out.dtype + " (nnkit reads <f4, <f8, <i8)");
    if (header_field(header, "fortran_order", path).rfind("True", 0) == 0)
        throw bad(path, "Fortran-ordered arrays are not supported");
    const std::string shape = header_field(header, "shape", path);
    std::size_t pos = 1;
    while (pos < shape.size()) {
        while (pos < shape.size() && (shape[pos] == ' ' || shape[pos] == ',' || shape[pos] == ')')) ++pos;
        if (pos >= shape.size()) break;
        std::size_t used = 0;
        out.shape.push_back(std::stoull(shape.substr(pos), &used));
        pos += used;
    }
    const std::size_t n = numel(out.shape) * item_size(out.dtype);
    out.bytes.resize(n);
    if (!in.read(out.bytes.data(), static_cast<std::streamsize>(n)))
        throw bad(path, "truncated data: header promises shape " + to_string(out.shape) + " (" + std::to_string(n) +
                            " bytes) but the file ends early");
    return out;
}

void write_npy(const std::string& path, const std::string& dtype, const Shape& shape, const void* data) {
    if (item_size(dtype) == 0) throw std::runtime_error("write_npy: unsupported dtype " + dtype);
    std::string dims;
    for (auto d : shape) dims += std::to_string(d) + ", ";
    if (shape.size() > 1) dims.erase(dims.size() - 2);  // "(3,)" keeps its comma, "(2, 3)" does not
    if (shape.size() == 1) dims.pop_back();
    std::string header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');  // pad to a multiple of 64 bytes, as NumPy does
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path);
    const auto len = static_cast<std::uint16_t>(header.size());
    out.write("\x93NUMPY\x01\x00", 8);
    const char len_bytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(len_bytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(numel(shape) * item_size(dtype)));
    if (!out) throw std::runtime_error("cannot write " + path);
}

Tensor load_npy(const std::string& path) {
    const NpyArray npy = read_npy(path);
    return from_vector(npy.as_float(), npy.shape);
}

void save_npy(const Tensor& t, const std::string& path) {
    const Array a = t.data();  // a contiguous copy in row-major order
    write_npy(path, "<f4", t.shape(), a.data());
}

}  // namespace nnkit
