// F::dropout, F::flatten, nn::Dropout, nn::Flatten.
#include <optional>
#include <string>

#include "nnkit/autograd.hpp"
#include "nnkit/kernels/dropout.hpp"
#include "nnkit/format.hpp"  // py_float: numbers as Python prints them
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/flatten.hpp"
#include "nnkit/nn/functional/dropout.hpp"

namespace nnkit::nn {

namespace functional {

namespace {

void check_probability(double p) {
    if (!(p >= 0.0 && p <= 1.0))  // checked in eval too, as PyTorch does
        throw ValueError("dropout probability has to be between 0 and 1, but got " + py_float(p));
}

// The result of a dropout that drew `r` for `input`: input * mask, recorded as MulBackward0, or
// written into `input` when inplace.
Tensor apply_mask(const Tensor& input, DropoutResult<float> r, bool inplace) {
    const bool record = autograd::should_record({input});
    auto backward = [mask = std::move(r.mask)](const Array& g) {
        return autograd::grads(dropout_backward<float>(g, mask));
    };
    if (inplace) {
        if (record && input.is_leaf())
            throw ValueError("dropout_: a leaf Variable that requires grad is being used in an in-place operation.");
        *input.impl()->data = std::move(r.output);
        autograd::bump_version(input);  // what was saved of `input` before is stale now
        if (!record) return input;
        // The node's edge goes to `input`'s history so far; `input` becomes the op's output.
        input.impl()->grad_fn = autograd::make_node({input}, "MulBackward0", std::move(backward));
        return input;
    }
    if (!record) return Tensor(std::move(r.output));
    return autograd::record(std::move(r.output), {input}, "MulBackward0", std::move(backward));
}

// ATen's feature_dropout on x:(N, C, *), then, for an unbatched input, PyTorch's unsqueeze(0)
// before and squeeze(0) after (out of place; in place nnkit writes into `input` directly).
Tensor feature_dropout(const Tensor& input, double p, bool training, bool inplace, bool batched,
                       Generator* generator) {
    if (!batched) {
        Shape one = input.shape();
        one.insert(one.begin(), 1);
        if (inplace) {
            if (!training || p == 0.0 || input.numel() == 0) return input;
            auto r = feature_dropout_forward<float>(Array(xt::reshape_view(input.data(), one)), p, true,
                                                    generator ? *generator : default_generator());
            r.output.reshape(input.shape());
            r.mask.reshape(input.shape());
            return apply_mask(input, std::move(r), true);
        }
        const Tensor x1 = autograd::record_view(input, one, "UnsqueezeBackward0");
        return autograd::record_view(feature_dropout(x1, p, training, false, true, generator), input.shape(),
                                     "SqueezeBackward1");
    }
    if (input.dim() < 2) throw ShapeError("Feature dropout requires at least 2 dimensions in the input");
    if (!training || p == 0.0 || input.numel() == 0) return input;  // _dropout_impl, as for dropout
    return apply_mask(input,
                      feature_dropout_forward<float>(input.data(), p, true, generator ? *generator : default_generator()),
                      inplace);
}

}  // namespace

Tensor dropout(const Tensor& input, double p, bool training, bool inplace, Generator* generator) {
    check_probability(p);
    // PyTorch 1.13 on the CPU (_dropout_impl): nothing to drop gives back the input itself, with no
    // node and no write; otherwise the output is input * mask, recorded as MulBackward0.
    if (!training || p == 0.0 || input.numel() == 0) return input;
    return apply_mask(input, dropout_forward<float>(input.data(), p, true, generator ? *generator : default_generator()),
                      inplace);
}

Tensor dropout1d(const Tensor& input, double p, bool training, bool inplace, Generator* generator) {
    check_probability(p);
    const std::size_t d = input.dim();
    if (d != 2 && d != 3)
        throw ShapeError("dropout1d: Expected 2D or 3D input, but received a " + std::to_string(d) +
                         "D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
                         "spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
                         "inputs).");
    return feature_dropout(input, p, training, inplace, d == 3, generator);
}

Tensor dropout2d(const Tensor& input, double p, bool training, bool inplace, Generator* generator) {
    check_probability(p);
    // PyTorch warns for other than 3 or 4 dims and treats a 3-d input as (N, C, L), batched.
    return feature_dropout(input, p, training, inplace, true, generator);
}

Tensor dropout3d(const Tensor& input, double p, bool training, bool inplace, Generator* generator) {
    check_probability(p);
    // PyTorch warns for other than 4 or 5 dims, and adds a batch dim to anything but 5.
    return feature_dropout(input, p, training, inplace, input.dim() == 5, generator);
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
    return autograd::record_view(input, out, "ViewBackward0");
}

namespace {
std::string int_list(const std::vector<std::int64_t>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}
}  // namespace

Tensor unflatten(const Tensor& input, std::int64_t dim, const std::vector<std::int64_t>& sizes) {
    const Shape in = input.shape();
    if (in.empty()) throw IndexError("Dimension specified as " + std::to_string(dim) + " but tensor has no dimensions");
    const std::size_t d = wrap_dim(dim, in.size());
    if (sizes.empty()) throw ValueError("unflatten: sizes must be non-empty");
    // ATen's infer_size, then unflatten's rewording of its "is invalid for input of size" error.
    std::optional<std::size_t> inferred;
    std::int64_t known = 1;
    bool past = false;  // the product went past 2^63 on the way
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] == -1) {
            if (inferred) throw ValueError("unflatten got an unexpected error:\nonly one dimension can be inferred");
            inferred = i;
        } else if (sizes[i] >= 0) {
            past = __builtin_mul_overflow(known, sizes[i], &known) || past;
        } else {
            throw ValueError("invalid shape dimension " + std::to_string(sizes[i]));
        }
    }
    if (past && known != 0) known = -1;  // matches no dim: refused below, as PyTorch refuses it
    const auto numel = static_cast<std::int64_t>(in[d]);
    if (!(numel == known || (inferred && known > 0 && numel % known == 0)))
        throw ShapeError("unflatten: Provided sizes " + int_list(sizes) + " don't multiply up to the size of dim " +
                         std::to_string(d) + " (" + std::to_string(numel) + ") in the input tensor");
    if (inferred && known == 0)
        throw ShapeError("cannot reshape tensor of 0 elements into shape " + int_list(sizes) +
                         " because the unspecified dimension size -1 can be any value and is ambiguous");
    Shape out(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(d));
    for (std::size_t i = 0; i < sizes.size(); ++i)
        out.push_back(inferred && *inferred == i ? std::size_t(numel / known) : std::size_t(sizes[i]));
    out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(d) + 1, in.end());
    return autograd::record_view(input, out, "ViewBackward0");
}

}  // namespace functional

Dropout::Dropout(const DropoutOptions& o) : Module("Dropout"), options(o) {
    if (!(o.p_ >= 0.0 && o.p_ <= 1.0))
        throw ValueError("dropout probability has to be between 0 and 1, but got " + py_float(o.p_));
}

Tensor Dropout::forward(const Tensor& input) {
    return functional::dropout(input, options.p_, is_training(), options.inplace_, generator);
}

namespace {
std::string dropout_repr(const DropoutOptions& o) { return "p=" + py_float(o.p_) + ", inplace=" + py_bool(o.inplace_); }
}  // namespace

std::string Dropout::extra_repr() const { return dropout_repr(options); }

Dropout1d::Dropout1d(const DropoutOptions& o) : Module("Dropout1d"), options(o) { functional::check_probability(o.p_); }
Dropout2d::Dropout2d(const DropoutOptions& o) : Module("Dropout2d"), options(o) { functional::check_probability(o.p_); }
Dropout3d::Dropout3d(const DropoutOptions& o) : Module("Dropout3d"), options(o) { functional::check_probability(o.p_); }

Tensor Dropout1d::forward(const Tensor& input) {
    return functional::dropout1d(input, options.p_, is_training(), options.inplace_, generator);
}
Tensor Dropout2d::forward(const Tensor& input) {
    return functional::dropout2d(input, options.p_, is_training(), options.inplace_, generator);
}
Tensor Dropout3d::forward(const Tensor& input) {
    return functional::dropout3d(input, options.p_, is_training(), options.inplace_, generator);
}

std::string Dropout1d::extra_repr() const { return dropout_repr(options); }
std::string Dropout2d::extra_repr() const { return dropout_repr(options); }
std::string Dropout3d::extra_repr() const { return dropout_repr(options); }

Tensor Flatten::forward(const Tensor& input) { return functional::flatten(input, start_dim, end_dim); }

std::string Flatten::extra_repr() const {
    return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
}

Tensor Unflatten::forward(const Tensor& input) { return functional::unflatten(input, dim, unflattened_size); }

std::string Unflatten::extra_repr() const {
    std::string sizes = "(";
    for (std::size_t i = 0; i < unflattened_size.size(); ++i)
        sizes += (i ? ", " : "") + std::to_string(unflattened_size[i]);
    sizes += unflattened_size.size() == 1 ? ",)" : ")";
    return "dim=" + std::to_string(dim) + ", unflattened_size=" + sizes;
}

}  // namespace nnkit::nn
