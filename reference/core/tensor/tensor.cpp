#include "nnkit/tensor.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include "nnkit/autograd.hpp"

namespace nnkit {

std::string to_string(const Shape& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + ")";
}

std::size_t numel(const Shape& shape) {
    std::size_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

namespace {
[[noreturn]] void overflowed(const std::string& what, std::int64_t a, const char* op, std::int64_t b) {
    throw ValueError(what + " overflows int64 (" + std::to_string(a) + op + std::to_string(b) + ")");
}
}  // namespace

std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) overflowed(what, a, " + ", b);
    return r;
}

std::int64_t checked_sub(std::int64_t a, std::int64_t b, const std::string& what) {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) overflowed(what, a, " - ", b);
    return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, const std::string& what) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) overflowed(what, a, " * ", b);
    return r;
}

namespace {
// this machine's memory, asked once: every creation function comes through checked_numel
std::size_t machine_memory() {
    static const std::size_t memory = [] {
        const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
        return pages > 0 && page > 0 ? std::size_t(pages) * std::size_t(page) : std::size_t(-1);
    }();
    return memory;
}
std::atomic<std::size_t> lowered_limit{0};
}  // namespace

void set_allocation_limit(std::size_t bytes) { lowered_limit = bytes; }

std::size_t allocation_limit() {
    const std::size_t lowered = lowered_limit;
    return lowered ? std::min(lowered, machine_memory()) : machine_memory();
}

std::size_t checked_numel(const Shape& shape, std::size_t item_size) {
    const auto sizes = [&shape] {  // the dims as PyTorch prints them: signed
        std::string s = "[";
        for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(std::int64_t(shape[i]));
        return s + "]";
    };
    constexpr std::size_t top = std::size_t(1) << 63;
    for (auto d : shape)
        if (d & top)  // a negative int64 converted to size_t
            throw ValueError("Trying to create tensor with negative dimension " + std::to_string(std::int64_t(d)) +
                             ": " + sizes());
    std::size_t n = 1;
    bool empty = false;
    for (auto d : shape) empty = empty || d == 0;
    if (empty) {
        // No bytes, but xtensor still multiplies the other dims into strides, in int64 (PyTorch's own
        // strides overflow silently there): sizes whose strides do not fit are refused.
        std::int64_t stride = 1;
        for (auto d : shape)
            if (d != 0 && __builtin_mul_overflow(stride, std::int64_t(d), &stride))
                throw ValueError("an empty tensor of sizes=" + sizes() +
                                 " has strides that overflow int64 (its other dims multiply past 2^63)");
        return 0;
    }
    for (auto d : shape) {
        if (n > (top - 1) / item_size / d)
            throw ValueError("Storage size calculation overflowed with sizes=" + sizes());
        n *= d;
    }
    const std::size_t limit = allocation_limit();
    if (n * item_size > limit)
        throw ValueError("DefaultCPUAllocator: can't allocate memory: you tried to allocate " +
                         std::to_string(n * item_size) + " bytes (" +
                         (limit == machine_memory() ? "this machine has " : "the limit is ") +
                         std::to_string(limit) + ")");
    return n;
}

namespace {

// Tensors come and go at the same few sizes in every training step. glibc's malloc returns freed
// memory at the top of its heap to the system once more than twice the largest recent block is
// free, and the next tensor of that size then gets fresh pages, which the kernel zero-fills one
// page fault at a time: AlexNet's first ReLU spent 70% of its backward there. Keeping up to
// 256 MiB of freed memory, and serving blocks up to 64 MiB from the heap, lets those tensors
// reuse the same pages, as PyTorch's caching allocators do. Set once, when nnkit is loaded.
const bool malloc_keeps_freed_memory = [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return true;
}();

const TensorImpl& checked(const std::shared_ptr<TensorImpl>& impl) {
    if (!impl) throw ValueError("Tensor: this tensor is undefined (default-constructed or an absent gradient)");
    return *impl;
}

}  // namespace

Tensor::Tensor(Array data, bool requires_grad) : impl_(std::make_shared<TensorImpl>()) {
    impl_->data = std::make_shared<Array>(std::move(data));
    impl_->requires_grad = requires_grad;
}

const Array& Tensor::data() const { return *checked(impl_).data; }
Array& Tensor::data() { return *checked(impl_).data; }

Shape Tensor::shape() const {
    const auto& s = data().shape();
    return Shape(s.begin(), s.end());
}

std::size_t Tensor::dim() const { return data().dimension(); }
std::size_t Tensor::numel() const { return data().size(); }

std::size_t Tensor::size(std::ptrdiff_t d) const {
    const auto n = static_cast<std::ptrdiff_t>(dim());
    const std::ptrdiff_t i = d < 0 ? d + n : d;
    if (i < 0 || i >= n)
        throw IndexError("Dimension out of range (expected to be in range of [" + std::to_string(-n) + ", " +
                         std::to_string(n - 1) + "], but got " + std::to_string(d) + ")");
    return data().shape()[static_cast<std::size_t>(i)];
}

float Tensor::item() const {
    if (numel() != 1)
        throw ValueError("a Tensor with " + std::to_string(numel()) +
                         " elements cannot be converted to Scalar");
    return *data().begin();
}

bool Tensor::requires_grad() const { return checked(impl_).requires_grad; }

Tensor& Tensor::requires_grad_(bool requires_grad) {
    checked(impl_);
    if (!is_leaf())
        throw ValueError("requires_grad_: you can only change requires_grad flags of leaf variables.");
    impl_->requires_grad = requires_grad;
    return *this;
}

bool Tensor::is_leaf() const { return checked(impl_).grad_fn == nullptr; }

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const { return checked(impl_).grad_fn; }

Tensor Tensor::grad() const {
    const auto& impl = checked(impl_);
    if (!impl.grad) return Tensor();
    Tensor g;
    g.impl_ = std::make_shared<TensorImpl>();
    g.impl_->data = impl.grad;  // shares storage, as `.grad` does
    return g;
}

void Tensor::set_grad(const Tensor& grad) {
    checked(impl_);
    if (!grad.defined()) {
        impl_->grad.reset();
        return;
    }
    if (grad.shape() != shape())
        throw ShapeError("assigned grad has data of a different size: expected " + to_string(shape()) +
                         ", got " + to_string(grad.shape()));
    impl_->grad = grad.impl()->data;
}

void Tensor::backward() const { backward(Tensor(), false); }

void Tensor::backward(const Tensor& gradient) const { backward(gradient, false); }

void Tensor::backward(const Tensor& given, bool retain_graph) const {
    checked(impl_);
    if (!impl_->requires_grad)  // first, as PyTorch checks it
        throw ValueError("element 0 of tensors does not require grad and does not have a grad_fn");
    if (!given.defined() && numel() != 1)
        throw ValueError("grad can be implicitly created only for scalar outputs (this tensor has shape " +
                         to_string(shape()) + ")");
    const Tensor gradient = given.defined() ? given : Tensor(xt::ones<float>(data().shape()));
    if (gradient.shape() != shape())
        throw ShapeError("backward: gradient has shape " + to_string(gradient.shape()) +
                         " but the tensor has shape " + to_string(shape()));
    autograd::run_backward(*this, gradient.data(), retain_graph);
}

Tensor Tensor::detach() const {
    checked(impl_);
    Tensor t;
    t.impl_ = std::make_shared<TensorImpl>();
    t.impl_->data = impl_->data;
    t.impl_->version = impl_->version;  // the same values, so the same count of writes to them
    return t;
}

std::uint64_t Tensor::version() const { return *checked(impl_).version; }

// ---------------------------------------------------------------- printing

namespace {

void print_values(std::ostream& os, const Array& a, std::size_t dim, std::size_t offset, std::size_t indent) {
    constexpr std::size_t edge = 3;  // values shown at each end of a long dimension
    const auto& shape = a.shape();
    const std::size_t n = shape[dim];
    std::size_t stride = 1;
    for (std::size_t d = dim + 1; d < shape.size(); ++d) stride *= shape[d];
    os << '[';
    for (std::size_t i = 0; i < n; ++i) {
        if (n > 2 * edge && i == edge) {
            os << (dim + 1 == shape.size() ? "..., " : "...,\n" + std::string(indent + 1, ' '));
            i = n - edge;
        }
        if (dim + 1 == shape.size())
            os << std::setw(8) << a.data()[offset + i];
        else
            print_values(os, a, dim + 1, offset + i * stride, indent + 1);
        if (i + 1 < n) os << (dim + 1 == shape.size() ? ", " : ",\n" + std::string(indent + 1, ' '));
    }
    os << ']';
}

}  // namespace

std::string repr(const Tensor& t) {
    if (!t.defined()) return "tensor(undefined)";
    std::ostringstream os;
    os << std::fixed << std::setprecision(4) << "tensor(";
    const Array& a = t.data();
    if (a.dimension() == 0)
        os << a();
    else if (a.size() == 0)
        os << "[]";
    else
        print_values(os, a, 0, 0, 7);
    os << ", shape=" << to_string(t.shape());
    if (t.grad_fn())
        os << ", grad_fn=<" << t.grad_fn()->name << '>';
    else if (t.requires_grad())
        os << ", requires_grad=true";
    os << ')';
    return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << repr(t); }

// ---------------------------------------------------------------- creation

namespace {
Array make(const Shape& shape, float value) {
    checked_numel(shape);
    Array a = Array::from_shape(shape);
    a.fill(value);
    return a;
}
}  // namespace

Tensor zeros(const Shape& shape, bool requires_grad) { return Tensor(make(shape, 0.0f), requires_grad); }
Tensor ones(const Shape& shape, bool requires_grad) { return Tensor(make(shape, 1.0f), requires_grad); }
Tensor full(const Shape& shape, float value, bool requires_grad) {
    return Tensor(make(shape, value), requires_grad);
}

Tensor arange(double end) { return arange(0.0, end, 1.0); }

Tensor arange(double start, double end, double step) {
    if (step == 0.0) throw ValueError("arange: step must be nonzero");
    if ((end - start) / step < 0)
        throw ValueError("arange: upper bound and larger bound inconsistent with step sign");
    const double count = std::ceil((end - start) / step);
    if (!(count < 9.2e18)) throw ValueError("invalid size, possible overflow?");  // PyTorch's words; NaN too
    const auto n = static_cast<std::size_t>(count);
    checked_numel({n});
    Array a = Array::from_shape({n});
    for (std::size_t i = 0; i < n; ++i) a(i) = static_cast<float>(start + static_cast<double>(i) * step);
    return Tensor(std::move(a));
}

Tensor from_vector(const std::vector<float>& values, const Shape& shape, bool requires_grad) {
    checked_numel(shape);
    if (values.size() != numel(shape))
        throw ShapeError("from_vector: shape " + to_string(shape) + " holds " + std::to_string(numel(shape)) +
                         " values, got " + std::to_string(values.size()));
    Array a = Array::from_shape(shape);
    std::copy(values.begin(), values.end(), a.begin());
    return Tensor(std::move(a), requires_grad);
}

// ---------------------------------------------------------------- randomness

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

// xoshiro256** seeded through splitmix64: the same stream on every platform.
void Generator::manual_seed(std::uint64_t seed) {
    for (auto& s : state_) s = splitmix64(seed);
    has_spare_ = false;
}

std::uint64_t Generator::next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
}

double Generator::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Generator::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    constexpr double two_pi = 6.283185307179586;
    spare_ = r * std::sin(two_pi * u2);
    has_spare_ = true;
    return r * std::cos(two_pi * u2);
}

Generator& default_generator() {
    static Generator gen(0);
    return gen;
}

void manual_seed(std::uint64_t seed) { default_generator().manual_seed(seed); }

Tensor rand(const Shape& shape, Generator* gen) {
    checked_numel(shape);
    Generator& g = gen ? *gen : default_generator();
    Array a = Array::from_shape(shape);
    for (auto& v : a) v = static_cast<float>(g.uniform());
    return Tensor(std::move(a));
}

Tensor randn(const Shape& shape, Generator* gen) {
    checked_numel(shape);
    Generator& g = gen ? *gen : default_generator();
    Array a = Array::from_shape(shape);
    for (auto& v : a) v = static_cast<float>(g.normal());
    return Tensor(std::move(a));
}

// ---------------------------------------------------------------- grad mode

namespace {
thread_local bool grad_enabled = true;
}

NoGradGuard::NoGradGuard() : previous_(grad_enabled) { grad_enabled = false; }
NoGradGuard::~NoGradGuard() { grad_enabled = previous_; }
bool is_grad_enabled() { return grad_enabled; }

// ---------------------------------------------------------------- a few ops

Tensor sum(const Tensor& t) {
    const Shape shape = t.shape();
    // xtensor's reducers step a null pointer over an empty array: the sum of nothing is 0, as PyTorch's
    const Array total = t.numel() ? Array(xt::sum(t.data())) : Array(0.0f);
    return autograd::record(total, {t}, "SumBackward0", [shape](const Array& g) {
        return autograd::grads(make(shape, g()));
    });
}

Tensor mean(const Tensor& t) {
    const Shape shape = t.shape();
    const auto n = static_cast<float>(t.numel());
    // the mean of nothing is 0/0, NaN, as PyTorch's
    const Array average = t.numel() ? Array(xt::mean(t.data())) : Array(std::numeric_limits<float>::quiet_NaN());
    return autograd::record(average, {t}, "MeanBackward0", [shape, n](const Array& g) {
        return autograd::grads(make(shape, g() / n));
    });
}

namespace {
void check_same_shape(const char* op, const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape())
        throw ShapeError(std::string(op) + ": shapes must match, got " + to_string(a.shape()) + " and " +
                         to_string(b.shape()));
}
}  // namespace

Tensor mul(const Tensor& a, const Tensor& b) {
    check_same_shape("mul", a, b);
    const autograd::SavedArray av(a), bv(b);
    return autograd::record(Array(a.data() * b.data()), {a, b}, "MulBackward0", [av, bv](const Array& g) {
        return autograd::grads(Array(g * bv.get()), Array(g * av.get()));
    });
}

Tensor add(const Tensor& a, const Tensor& b) {
    check_same_shape("add", a, b);
    return autograd::record(Array(a.data() + b.data()), {a, b}, "AddBackward0",
                            [](const Array& g) { return autograd::grads(g, g); });
}

}  // namespace nnkit
