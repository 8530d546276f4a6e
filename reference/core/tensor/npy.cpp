#include "nnkit/npy.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "nnkit/tensor.hpp"

namespace nnkit {

namespace {

std::runtime_error bad(const std::string& path, const std::string& why) {
    return std::runtime_error("cannot read " + path + ": " + why);
}

// ------------------------------------------------------------ the header: a Python literal
// NumPy reads the header with ast.literal_eval (numpy.lib.format.safe_eval). This is the part of
// Python's literal grammar a header can hold: strings, integers (of any size), floats, True,
// False, None, tuples, lists and dicts. Anything else is NumPy's "Cannot parse header".

struct PyValue {
    enum Kind { Str, Int, Float, Bool, None, Tuple, List, Dict } kind = None;
    std::string text;                                  // a string's value; an int's or float's digits
    bool flag = false;                                 // a bool's value
    std::vector<PyValue> items;                        // a tuple's or list's; a dict's keys and values
    std::string repr() const;                          // Python's repr, for NumPy's messages
};

std::string PyValue::repr() const {
    switch (kind) {
        case Str: {
            // Python's choice of quotes: double ones when the text has ' but no "
            const bool dq = text.find('\'') != std::string::npos && text.find('"') == std::string::npos;
            const char q = dq ? '"' : '\'';
            std::string out(1, q);
            for (unsigned char c : text) {
                if (c == '\\') out += "\\\\";
                else if (c == q) out += std::string("\\") + char(q);
                else if (c == '\n') out += "\\n";
                else if (c == '\r') out += "\\r";
                else if (c == '\t') out += "\\t";
                else if (c < 0x20 || c == 0x7f) {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "\\x%02x", c);
                    out += hex;
                } else out += char(c);
            }
            return out + q;
        }
        case Int:
        case Float: return text;
        case Bool: return flag ? "True" : "False";
        case None: return "None";
        case Tuple:
        case List: {
            std::string out = kind == Tuple ? "(" : "[";
            for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i].repr();
            if (kind == Tuple && items.size() == 1) out += ",";
            return out + (kind == Tuple ? ")" : "]");
        }
        case Dict: {
            std::string out = "{";
            for (std::size_t i = 0; i + 1 < items.size(); i += 2)
                out += (i ? ", " : "") + items[i].repr() + ": " + items[i + 1].repr();
            return out + "}";
        }
    }
    return "";
}

// Python's repr of a float: the shortest digits that read back the same, with a ".0" for integers.
std::string float_repr(double x) {
    char buf[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, x);
        if (std::strtod(buf, nullptr) == x) break;
    }
    std::string out = buf;
    if (out.find_first_of(".en") == std::string::npos) out += ".0";  // n: inf, nan
    return out;
}

struct NotALiteral {};  // thrown inside the parser, reported as NumPy's "Cannot parse header"

class LiteralParser {
public:
    explicit LiteralParser(const std::string& text) : s_(text) {}
    PyValue parse() {
        PyValue v = value();
        skip();
        if (i_ != s_.size()) throw NotALiteral{};
        return v;
    }

private:
    void skip() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        skip();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    PyValue value() {
        skip();
        if (i_ >= s_.size()) throw NotALiteral{};
        const char c = s_[i_];
        if (c == '\'' || c == '"') return string();
        if (c == '(' || c == '[') return sequence();
        if (c == '{') return dict();
        if (c == '-' || c == '+' || (c >= '0' && c <= '9') || c == '.') return number();
        for (const auto& [word, kind, flag] : {std::tuple<const char*, PyValue::Kind, bool>{"True", PyValue::Bool, true},
                                               {"False", PyValue::Bool, false},
                                               {"None", PyValue::None, false}}) {
            const std::size_t n = std::strlen(word);
            if (s_.compare(i_, n, word) == 0 && !identifier_char(i_ + n)) {
                i_ += n;
                PyValue v;
                v.kind = kind;
                v.flag = flag;
                return v;
            }
        }
        throw NotALiteral{};
    }
    bool identifier_char(std::size_t at) const {
        return at < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[at])) || s_[at] == '_');
    }
    PyValue string() {
        PyValue v;
        v.kind = PyValue::Str;
        do {  // adjacent literals concatenate: 'a' 'b' is 'ab'
            const char quote = s_[i_++];
            while (i_ < s_.size() && s_[i_] != quote) {
                if (s_[i_] == '\n') throw NotALiteral{};
                if (s_[i_] == '\\') {
                    if (++i_ >= s_.size()) throw NotALiteral{};
                    const char e = s_[i_];
                    v.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                } else {
                    v.text += s_[i_];
                }
                ++i_;
            }
            if (i_ >= s_.size()) throw NotALiteral{};
            ++i_;
            skip();
        } while (i_ < s_.size() && (s_[i_] == '\'' || s_[i_] == '"'));
        return v;
    }
    PyValue number() {
        PyValue v;
        v.kind = PyValue::Int;
        const std::size_t start = i_;
        if (s_[i_] == '-' || s_[i_] == '+') {
            ++i_;
            skip();
        }
        std::string digits = s_[start] == '-' ? "-" : "";
        bool any = false;
        while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.' ||
                                  s_[i_] == 'e' || s_[i_] == 'E' ||
                                  ((s_[i_] == '-' || s_[i_] == '+') && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E')))) {
            const char c = s_[i_++];
            if (c == '_') continue;
            if (c == '.' || c == 'e' || c == 'E') v.kind = PyValue::Float;
            any = any || std::isdigit(static_cast<unsigned char>(c));
            digits += c;
        }
        if (!any || identifier_char(i_)) throw NotALiteral{};
        if (v.kind == PyValue::Int) {  // Python's repr drops leading zeros and "-0"
            std::size_t first = digits[0] == '-' ? 1 : 0;
            while (first + 1 < digits.size() && digits[first] == '0') digits.erase(first, 1);
            if (digits == "-0") digits = "0";
        } else {
            digits = float_repr(std::strtod(digits.c_str(), nullptr));
        }
        v.text = digits;
        return v;
    }
    PyValue sequence() {
        const char close = s_[i_] == '(' ? ')' : ']';
        PyValue v;
        v.kind = close == ')' ? PyValue::Tuple : PyValue::List;
        ++i_;
        bool comma = false;
        while (!eat(close)) {
            if (!v.items.empty() && !comma) throw NotALiteral{};
            v.items.push_back(value());
            comma = eat(',');
        }
        if (v.kind == PyValue::Tuple && v.items.size() == 1 && !comma) return v.items[0];  // (2) is 2
        return v;
    }
    PyValue dict() {
        PyValue v;
        v.kind = PyValue::Dict;
        ++i_;
        bool comma = false;
        while (!eat('}')) {
            if (!v.items.empty() && !comma) throw NotALiteral{};
            PyValue key = value();
            if (key.kind == PyValue::List || key.kind == PyValue::Dict) throw NotALiteral{};  // unhashable
            if (!eat(':')) throw NotALiteral{};
            PyValue val = value();
            bool replaced = false;  // a repeated key keeps its first place and takes the last value
            for (std::size_t k = 0; k < v.items.size(); k += 2)
                if (v.items[k].kind == key.kind && v.items[k].text == key.text) {
                    v.items[k + 1] = val;
                    replaced = true;
                }
            if (!replaced) {
                v.items.push_back(key);
                v.items.push_back(val);
            }
            comma = eat(',');
        }
        return v;
    }

    const std::string& s_;
    std::size_t i_ = 0;
};

// Python's repr of a str, as NumPy's messages show the header.
std::string py_repr(const std::string& s) {
    PyValue v;
    v.kind = PyValue::Str;
    v.text = s;
    return v.repr();
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
    throw std::runtime_error("cannot read " + path + ": expected a float array, got dtype " + dtype);
}

std::vector<double> NpyArray::as_double() const {
    if (dtype == "<f4") return convert<double, float>(bytes);
    if (dtype == "<f8") return convert<double, double>(bytes);
    throw std::runtime_error("cannot read " + path + ": expected a float array, got dtype " + dtype);
}

std::vector<long long> NpyArray::as_int64() const {
    if (dtype == "<i8") return convert<long long, std::int64_t>(bytes);
    throw std::runtime_error("cannot read " + path + ": expected an int64 array, got dtype " + dtype);
}

// NumPy's numpy.lib.format.read_array_header, then the data: its checks, in its order and words,
// with the file named. nnkit adds three: a negative or impossibly large dim (NumPy would read the
// whole rest of the file for a -1, or fail on memory), the dtypes it reads, and C order.
NpyArray read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw bad(path, "no such file (fixtures live in datasets/fixtures; regenerate them with "
                             "datasets/generate_fixtures.py)");
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw bad(path, "not a .npy file (bad magic string)");
    const int major = static_cast<unsigned char>(magic[6]), minor = static_cast<unsigned char>(magic[7]);
    if (major < 1 || major > 3 || minor != 0)
        throw bad(path, "we only support format version (1,0), (2,0), and (3,0), not (" + std::to_string(major) + ", " +
                            std::to_string(minor) + ")");
    std::size_t header_len = 0;
    unsigned char len_bytes[4] = {0, 0, 0, 0};
    const int len_size = major == 1 ? 2 : 4;
    if (!in.read(reinterpret_cast<char*>(len_bytes), len_size))
        throw bad(path, "EOF: reading array header length, expected " + std::to_string(len_size) + " bytes got " +
                            std::to_string(in.gcount()));
    for (int i = len_size - 1; i >= 0; --i) header_len = header_len * 256 + len_bytes[i];
    if (header_len > 10000)  // NumPy's max_header_size
        throw bad(path, "Header info length (" + std::to_string(header_len) + ") is large and may not be safe to load "
                        "securely.");
    std::string header(header_len, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(header_len)))
        throw bad(path, "EOF: reading array header, expected " + std::to_string(header_len) + " bytes got " +
                            std::to_string(in.gcount()));

    PyValue d;
    try {
        d = LiteralParser(header).parse();
    } catch (const NotALiteral&) {
        throw bad(path, "Cannot parse header: " + py_repr(header));
    }
    if (d.kind != PyValue::Dict) throw bad(path, "Header is not a dictionary: " + d.repr());
    const PyValue* descr = nullptr;
    const PyValue* fortran = nullptr;
    const PyValue* shape = nullptr;
    std::vector<std::string> keys;
    for (std::size_t k = 0; k < d.items.size(); k += 2) {
        const PyValue& key = d.items[k];
        keys.push_back(key.repr());
        if (key.kind != PyValue::Str) continue;
        if (key.text == "descr") descr = &d.items[k + 1];
        if (key.text == "fortran_order") fortran = &d.items[k + 1];
        if (key.text == "shape") shape = &d.items[k + 1];
    }
    if (keys.size() != 3 || !descr || !fortran || !shape) {
        std::sort(keys.begin(), keys.end());
        std::string list = "[";
        for (std::size_t i = 0; i < keys.size(); ++i) list += (i ? ", " : "") + keys[i];
        throw bad(path, "Header does not contain the correct keys: " + list + "]");
    }
    bool ints = shape->kind == PyValue::Tuple;  // NumPy's check takes True for 1, then fails on it
    for (const PyValue& dim : shape->items) ints = ints && dim.kind == PyValue::Int;
    if (!ints) throw bad(path, "shape is not valid: " + shape->repr());
    if (fortran->kind != PyValue::Bool) throw bad(path, "fortran_order is not a valid bool: " + fortran->repr());
    NpyArray out;
    out.path = path;
    out.dtype = descr->kind == PyValue::Str ? descr->text : descr->repr();
    if (out.dtype == "|i8") out.dtype = "<i8";
    if (descr->kind != PyValue::Str || item_size(out.dtype) == 0)
        throw bad(path, "unsupported dtype " + descr->repr() + " (nnkit reads '<f4', '<f8' and '<i8')");
    if (fortran->flag) throw bad(path, "Fortran-ordered arrays are not supported");

    // The dims, each a non-negative int64, and the bytes they need, without overflow.
    std::size_t items = 1;
    bool overflow = false;
    for (const PyValue& dim : shape->items) {
        if (dim.text[0] == '-') throw bad(path, "negative dimensions are not allowed: shape " + shape->repr());
        const bool fits = dim.text.size() < 19 || (dim.text.size() == 19 && dim.text <= "9223372036854775807");
        if (!fits) {
            overflow = true;
            out.shape.push_back(0);
            continue;
        }
        out.shape.push_back(std::stoull(dim.text));
        const std::size_t n = out.shape.back();
        if (n != 0 && items > std::numeric_limits<std::size_t>::max() / 16 / n) overflow = true;
        items *= n;
    }
    if (overflow) throw bad(path, "shape " + shape->repr() + ": Storage size calculation overflowed");
    const std::size_t n = items * item_size(out.dtype);
    const std::streamoff start = in.tellg();
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(start);
    if (size - start < std::streamoff(n))  // before allocating: the header may promise more than any memory
        throw bad(path, "EOF: reading array data, expected " + std::to_string(n) + " bytes got " +
                            std::to_string(size - start) + " (truncated data: the header promises shape " +
                            to_string(out.shape) + ")");
    out.bytes.resize(n);
    if (!in.read(out.bytes.data(), static_cast<std::streamsize>(n))) throw bad(path, "truncated data");
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
