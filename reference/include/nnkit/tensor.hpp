// nnkit::Tensor — a handle over an xt::xarray<float> with a minimal
// reverse-mode autograd. Copies of a Tensor share the same data, gradient and
// history, as Python references to one torch.Tensor do.
//
// Infrastructure, not an exercise: students write kernels (plain arrays in,
// plain arrays out); nn::functional wraps them into autograd nodes here.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nnkit/errors.hpp"
#include "nnkit/random.hpp"
#include "nnkit/shape.hpp"

namespace nnkit {

using Array = xt::xarray<float>;

namespace autograd {
struct Node;
}

struct TensorImpl {
    std::shared_ptr<Array> data;           // shared with detach()ed views
    // How many in-place ops have written `data` (PyTorch's version counter), shared with it:
    // values saved for a backward pass are checked against it.
    std::shared_ptr<std::uint64_t> version = std::make_shared<std::uint64_t>(0);
    std::shared_ptr<Array> grad;           // null until a backward pass reaches it
    bool requires_grad = false;
    std::shared_ptr<autograd::Node> grad_fn;  // null for leaves
};

class Tensor {
public:
    Tensor() = default;  // an undefined tensor, like an absent optional
    explicit Tensor(Array data, bool requires_grad = false);

    bool defined() const { return impl_ != nullptr; }

    // The values. Writing through data() bypasses autograd, as `.data` does.
    const Array& data() const;
    Array& data();

    Shape shape() const;
    std::size_t dim() const;
    std::size_t numel() const;
    std::size_t size(std::ptrdiff_t dim) const;  // negative dim counts from the end
    float item() const;                          // the only value of a one-element tensor

    bool requires_grad() const;
    Tensor& requires_grad_(bool requires_grad = true);  // leaves only, as in PyTorch
    bool is_leaf() const;
    const std::shared_ptr<autograd::Node>& grad_fn() const;

    // Accumulated gradient; undefined until a backward pass reaches this leaf.
    Tensor grad() const;
    void set_grad(const Tensor& grad);  // an undefined tensor clears it

    // Reverse-mode differentiation from this tensor. Without an argument the
    // tensor must hold one element (the loss); otherwise `gradient` has its shape.
    // The graph's saved tensors are freed on the way (PyTorch's retain_graph=False): a second
    // backward through it raises, unless the first was asked to retain it. An undefined
    // `gradient` there means ones, as backward() without one.
    void backward() const;
    void backward(const Tensor& gradient) const;
    void backward(const Tensor& gradient, bool retain_graph) const;

    // Same data, no history, requires_grad false.
    Tensor detach() const;

    // How many in-place ops (relu_, dropout with inplace, ...) have changed the values, this
    // tensor's and its detach()ed views' together: PyTorch's `t._version`.
    std::uint64_t version() const;

    // True when both handles refer to the same tensor (Python's `is`).
    bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

    const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

private:
    std::shared_ptr<TensorImpl> impl_;
};

// "tensor([[1.0000, 2.0000], ...], shape=(2, 2), requires_grad=true)":
// the shape and at most a few values at each end of every dimension.
std::string repr(const Tensor& t);
std::ostream& operator<<(std::ostream& os, const Tensor& t);

// ---------------------------------------------------------------- creation
Tensor zeros(const Shape& shape, bool requires_grad = false);
Tensor ones(const Shape& shape, bool requires_grad = false);
Tensor full(const Shape& shape, float value, bool requires_grad = false);
Tensor arange(double end);
Tensor arange(double start, double end, double step = 1.0);
Tensor from_vector(const std::vector<float>& values, const Shape& shape, bool requires_grad = false);

// ---------------------------------------------------------------- randomness
// Generator, default_generator() and manual_seed() are in nnkit/random.hpp.

Tensor rand(const Shape& shape, Generator* gen = nullptr);   // U[0, 1)
Tensor randn(const Shape& shape, Generator* gen = nullptr);  // N(0, 1)

// ---------------------------------------------------------------- grad mode
// RAII guard that turns off graph recording (torch.no_grad()).
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;
private:
    bool previous_;
};
bool is_grad_enabled();

// ---------------------------------------------------------------- a few ops
// Enough to form a loss; layers live in nn::functional.
Tensor sum(const Tensor& t);
Tensor mean(const Tensor& t);
Tensor mul(const Tensor& a, const Tensor& b);  // same shapes, elementwise
Tensor add(const Tensor& a, const Tensor& b);  // same shapes, elementwise

// ---------------------------------------------------------------- .npy files
Tensor load_npy(const std::string& path);
void save_npy(const Tensor& t, const std::string& path);

}  // namespace nnkit
