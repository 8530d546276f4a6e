// Python's and PyTorch's ways of printing (nnkit/format.hpp).
#include "nnkit/format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nnkit {

std::string py_float(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[400];
    const double a = std::fabs(v);
    if (a != 0 && (a < 1e-4 || a >= 1e16)) {  // Python switches to exponents outside [1e-4, 1e16)
        for (int precision = 1; precision <= 17; ++precision) {
            std::snprintf(buf, sizeof buf, "%.*g", precision, v);
            if (std::strtod(buf, nullptr) == v) break;
        }
        return buf;
    }
    for (int decimals = 1; decimals <= 20; ++decimals) {
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s = buf;
    return s;
}

std::string py_bool(bool b) { return b ? "True" : "False"; }

std::string py_tuple(const std::vector<std::size_t>& values) {
    std::string s = "(";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
    return s + (values.size() == 1 ? ",)" : ")");
}

std::string torch_size(const Shape& shape) {
    std::string s = "torch.Size([";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "])";
}

}  // namespace nnkit
