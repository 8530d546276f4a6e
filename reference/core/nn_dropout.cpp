// F::dropout, F::flatten, nn::Dropout, nn::Flatten.
#include <string>

#include "nnkit/autograd.hpp"
#include "nnkit/kernels/dropout.hpp"
#include "nnkit/nn/activation.hpp"  // py_float
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/flatten.hpp"
#include "nnkit/nn/functional/dropout.hpp"

namespace nnkit::nn {

namespace functional {

Tensor dropout(const Tensor& input, double p, bool training, bool inplace, Generator* generator) {
    if (!(p >= 0.0 && p <= 1.0))  // checked in eval too, as PyTorch does
        throw ValueError("dropout probability has to be between 0 and 1, but got " + py_float(p));
    // PyTorch 1.13 on the CPU (_dropout_impl): nothing to drop gives back the input itself, with no
    // node and no write; otherwise the output is input * mask, recorded as MulBackward0.
    if (!training || p == 0.0 || input.numel() == 0) return input;
    auto r = dropout_forward<float>(input.data(), p, true, generator ? *generator : default_generator());
    const bool record = autograd::should_record({input});
    if (inplace) {
        if (record && input.is_leaf())
            throw ValueError("dropout_: a leaf Variable that requires grad is being used in an in-place operation.");
        *input.impl()->data = std::move(r.output);
        autograd::bump_version(input);  // what was saved of `input` before is stale now
        if (!record) return input;
        // The node's edge goes to `input`'s history so far; `input` becomes the op's output.
        input.impl()->grad_fn = autograd::make_node({input}, "MulBackward0", [mask = std::move(r.mask)](const Array& g) {
            return autograd::grads(dropout_backward<float>(g, mask));
        });
        return input;
    }
    if (!record) return Tensor(std::move(r.output));
    return autograd::record(std::move(r.output), {input}, "MulBackward0",
                            [mask = std::move(r.mask)](const Array& g) {
                                return autograd::grads(dropout_backward<float>(g, mask));
                            });
}

namespace {
// Python's dim wrapping: -d <= dim < d (a 0-d tensor counts as 1-d), else PyTorch's IndexError.
std::size_t wrap_dim(std::int64_t dim, std::size_t ndim) {
    const auto d = static_cast<std::int64_t>(ndim == 0 ? 1 : ndim);
    if (dim < -d || dim >= d)
        throw IndexError("Dimension out of range (expected to be in range of [" + std::to_string(-d) + ", " +
                         std::to_string(d - 1) + "], but got " + std::to_string(dim) + ")");
    return static_cast<std::size_t>(dim < 0 ? dim + d : dim);
}
}  // namespace

Tensor flatten(const Tensor& input, std::int64_t start_dim, std::int64_t end_dim) {
    const Shape in = input.shape();
    const std::size_t s = wrap_dim(start_dim, in.size()), e = wrap_dim(end_dim, in.size());
    if (s > e) throw ShapeError("flatten() has invalid args: start_dim cannot come after end_dim");
    Shape out;
    if (in.empty()) {
        out = {1};
    } else {
        out.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(s));
        std::size_t merged = 1;
        for (std::size_t i = s; i <= e; ++i) merged *= in[i];
        out.push_back(merged);
        out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(e) + 1, in.end());
    }
    if (out == in) return input;  // nothing merged: PyTorch returns the input itself
    // The values are contiguous already: only the shape changes (one copy of the data,
    // as nnkit's Array owns its storage; PyTorch makes a view).
    Array y = xt::reshape_view(input.data(), out);
    return autograd::record(std::move(y), {input}, "ViewBackward0", [in](const Array& g) {
        return autograd::grads(Array(xt::reshape_view(g, in)));
    });
}

}  // namespace functional

Dropout::Dropout(const DropoutOptions& o) : Module("Dropout"), options(o) {
    if (!(o.p_ >= 0.0 && o.p_ <= 1.0))
        throw ValueError("dropout probability has to be between 0 and 1, but got " + py_float(o.p_));
}

Tensor Dropout::forward(const Tensor& input) {
    return functional::dropout(input, options.p_, is_training(), options.inplace_, generator);
}

std::string Dropout::extra_repr() const {
    return "p=" + py_float(options.p_) + ", inplace=" + py_bool(options.inplace_);
}

Tensor Flatten::forward(const Tensor& input) { return functional::flatten(input, start_dim, end_dim); }

std::string Flatten::extra_repr() const {
    return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
}

}  // namespace nnkit::nn
