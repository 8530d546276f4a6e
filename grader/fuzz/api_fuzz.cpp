// nnkit-fuzz: a seeded random-argument harness over nnkit's public API (DESIGN: bad input raises a
// clear exception naming the argument and the rule, never undefined behaviour).
//
//   nnkit-fuzz [--calls N] [--seed S] [--timeout-ms T] [--only OP] [--call I] [--list] [--show N]
//
// Call i draws its operation and every argument from a generator seeded with (seed, i), biased to
// the edges (0, 1, negative numbers, sizes near 2^31, 2^32 and 2^63, NaN and infinities, empty
// and unbatched tensors), so `--call i` replays one call alone. The calls run in a child process,
// in order; the child reports each call's start and outcome on a pipe, so a crash or a hang costs
// that call only and a new child resumes after it. Every call ends in one of:
//   returned       the call gave a result
//   clear error    one of nnkit's exceptions (ValueError, ShapeError, KeyError, TypeError,
//                  AttributeError, IndexError) or std::runtime_error from the file readers
//   unclear error  any other exception (std::bad_alloc, std::out_of_range from a container, ...)
//   crash          a signal, or a report by AddressSanitizer or UndefinedBehaviorSanitizer
//   hang           no answer within the timeout
// The exit status is 1 when any call ends in the last three.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "nnkit/image.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/container.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/flatten.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/init.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/loss.hpp"
#include "nnkit/nn/normalization.hpp"
#include "nnkit/nn/parameter_container.hpp"
#include "nnkit/nn/pooling.hpp"
#include "nnkit/npy.hpp"
#include "nnkit/optim.hpp"
#include "nnkit/tensor.hpp"
#include "nnkit/transforms.hpp"

namespace F = nnkit::nn::functional;
namespace nn = nnkit::nn;
using nnkit::Shape;
using nnkit::Sizes;
using nnkit::Tensor;

namespace {

// ------------------------------------------------------------------ arguments, biased to the edges

class Draw {
public:
    explicit Draw(std::uint64_t seed) : gen_(seed) {}
    std::uint64_t bits() { return gen_.next_u64(); }
    std::size_t below(std::size_t n) { return n ? std::size_t(bits() % n) : 0; }
    bool chance(double p) { return gen_.uniform() < p; }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

    // A size or count: mostly small, sometimes an edge PyTorch must refuse or survive.
    std::int64_t integer() {
        if (chance(0.8)) return std::int64_t(below(6));
        static const std::vector<std::int64_t> edges = {
            -1, -2, -5, 7, 16, 255, 65536, std::int64_t(1) << 31, (std::int64_t(1) << 31) - 1,
            std::int64_t(1) << 32, std::int64_t(1) << 40, std::int64_t(1) << 62,
            std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
            std::numeric_limits<std::int64_t>::max() / 2 + 1};
        return pick(edges);
    }
    std::int64_t positive() { return chance(0.85) ? 1 + std::int64_t(below(4)) : integer(); }
    std::size_t size() { return std::size_t(integer()); }  // a negative one wraps, as a careless caller's would
    std::vector<std::int64_t> ints(std::size_t usual) {
        const std::size_t n = chance(0.85) ? usual : below(5);
        std::vector<std::int64_t> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(integer());
        return v;
    }
    double real() {
        if (chance(0.6)) return double(std::int64_t(below(9)) - 4) / 2;
        static const std::vector<double> edges = {
            0.0, -0.0, 1e-8, -1e-8, 0.999, 1.0001, 1e38, 3.5e38, -3.5e38, 1e300,
            std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::max(),
            std::numeric_limits<double>::denorm_min()};
        return pick(edges);
    }
    double probability() { return chance(0.7) ? double(below(5)) / 4 : real(); }
    std::string word() {
        static const std::vector<std::string> words = {
            "", "a", "weight", "bias", "0", "1", "-1", "a.b", ".", "a.", "training", "forward", "zeros",
            "reflect", "replicate", "circular", "same", "valid", "none", "tanh", "fan_in", "fan_out", "relu",
            "leaky_relu", "linear", "conv2d", "selu", "sigmoid", "x y", "\xff", "_modules"};
        return pick(words);
    }

    // A shape of `rank` dims (a random rank near `rank` now and then), each mostly 1 to 4.
    Shape shape(std::size_t rank) {
        if (chance(0.15)) rank = below(7);
        Shape s;
        for (std::size_t i = 0; i < rank; ++i) {
            if (chance(0.93)) s.push_back(1 + below(4));
            else s.push_back(pick(std::vector<std::size_t>{0, 0, 9, 33, std::size_t(1) << 31, std::size_t(-1)}));
        }
        return s;
    }
    Tensor tensor(std::size_t rank) { return tensor(shape(rank)); }
    Tensor tensor(const Shape& s) {
        Tensor t = nnkit::randn(s, &gen_);  // refuses sizes no machine holds, in PyTorch's words
        if (chance(0.1) && t.numel())
            t.data().flat(below(t.numel())) = float(pick(std::vector<double>{NAN, INFINITY, -INFINITY, 3e38}));
        if (chance(0.4)) t.requires_grad_(true);
        return t;
    }
    nnkit::Generator& generator() { return gen_; }

private:
    nnkit::Generator gen_;
};

// Sizes for a D-d pooling drawn as a careless caller would pass them: one int or a tuple.
template <std::size_t D>
Sizes expanding(Draw& d, bool positive) {
    const auto one = [&] { return std::int64_t(positive ? d.positive() : d.integer()); };
    if (d.chance(0.5)) return Sizes(one());
    std::vector<std::int64_t> v;
    const std::size_t n = d.chance(0.9) ? D : d.below(5);
    for (std::size_t i = 0; i < n; ++i) v.push_back(one());
    return Sizes(v);
}

Sizes sizes(Draw& d, std::size_t D, bool positive) {
    if (d.chance(0.5)) return positive ? d.positive() : d.integer();
    std::vector<std::int64_t> v = d.ints(D);
    if (positive)
        for (auto& x : v) x = d.chance(0.85) ? 1 + (x & 3) : x;
    return Sizes(v);
}

void backward_if_possible(const Tensor& y) {
    if (y.defined() && y.requires_grad()) nnkit::sum(y).backward();
}

// ------------------------------------------------------------------ the operations

using Op = std::function<void(Draw&)>;

template <std::size_t D>
void conv(Draw& d) {
    const std::int64_t groups = d.chance(0.8) ? 1 + std::int64_t(d.below(2)) : d.integer();
    const std::size_t cin = 1 + d.below(3), cout = 1 + d.below(3);
    Shape ws = {cout * std::size_t(std::max<std::int64_t>(groups, 1)), cin};
    for (std::size_t i = 0; i < D; ++i) ws.push_back(1 + d.below(3));
    Shape xs = {1 + d.below(2), cin * std::size_t(std::max<std::int64_t>(groups, 1))};
    for (std::size_t i = 0; i < D; ++i) xs.push_back(d.below(6));
    if (d.chance(0.15)) xs.erase(xs.begin());
    const Tensor x = d.chance(0.9) ? d.tensor(xs) : d.tensor(D + 2);
    const Tensor w = d.chance(0.9) ? d.tensor(ws) : d.tensor(D + 2);
    const Tensor b = d.chance(0.5) ? d.tensor(Shape{ws[0]}) : Tensor();
    F::ConvPadding padding = d.chance(0.2) ? F::ConvPadding(d.pick(std::vector<std::string>{"same", "valid", "full"}))
                                           : F::ConvPadding(sizes(d, D, false));
    const auto stride = sizes(d, D, true), dilation = sizes(d, D, true);
    Tensor y = D == 1 ? F::conv1d(x, w, b, stride, padding, dilation, groups)
             : D == 2 ? F::conv2d(x, w, b, stride, padding, dilation, groups)
                      : F::conv3d(x, w, b, stride, padding, dilation, groups);
    backward_if_possible(y);
}

template <std::size_t D>
void conv_transpose(Draw& d) {
    const std::int64_t groups = d.chance(0.8) ? 1 : d.integer();
    const std::size_t cin = 1 + d.below(3), cout = 1 + d.below(3);
    Shape ws = {cin, cout};
    for (std::size_t i = 0; i < D; ++i) ws.push_back(1 + d.below(3));
    Shape xs = {1 + d.below(2), cin};
    for (std::size_t i = 0; i < D; ++i) xs.push_back(d.below(5));
    const Tensor x = d.chance(0.9) ? d.tensor(xs) : d.tensor(D + 2);
    const Tensor w = d.chance(0.9) ? d.tensor(ws) : d.tensor(D + 2);
    const Tensor b = d.chance(0.5) ? d.tensor(Shape{cout}) : Tensor();
    const auto stride = sizes(d, D, true), padding = sizes(d, D, false), out_pad = sizes(d, D, false),
               dilation = sizes(d, D, true);
    Tensor y = D == 1 ? F::conv_transpose1d(x, w, b, stride, padding, out_pad, groups, dilation)
             : D == 2 ? F::conv_transpose2d(x, w, b, stride, padding, out_pad, groups, dilation)
                      : F::conv_transpose3d(x, w, b, stride, padding, out_pad, groups, dilation);
    backward_if_possible(y);
}

template <std::size_t D>
void conv_module(Draw& d) {
    nn::ConvOptions<D> o(d.positive(), d.positive(), sizes(d, D, true));
    o.stride(sizes(d, D, true)).dilation(sizes(d, D, true)).groups(d.chance(0.8) ? 1 : d.integer());
    if (d.chance(0.5)) o.padding(d.chance(0.3) ? F::ConvPadding(d.word()) : F::ConvPadding(sizes(d, D, false)));
    if (d.chance(0.3)) o.padding_mode(d.word());
    if (d.chance(0.3)) o.bias(false);
    nn::ConvNd<D> m(o);
    m.repr();
    Tensor y = m(d.tensor(D + 2));
    backward_if_possible(y);
}

template <std::size_t D>
void conv_transpose_module(Draw& d) {
    nn::ConvTransposeOptions<D> o(d.positive(), d.positive(), sizes(d, D, true));
    o.stride(sizes(d, D, true)).padding(sizes(d, D, false)).output_padding(sizes(d, D, false));
    o.dilation(sizes(d, D, true)).groups(d.chance(0.8) ? 1 : d.integer());
    nn::ConvTransposeNd<D> m(o);
    m.repr();
    const Tensor x = d.tensor(D + 2);
    Tensor y = d.chance(0.3) ? m.forward(x, d.ints(D + d.below(3))) : m(x);
    backward_if_possible(y);
}

template <std::size_t D>
void max_pool(Draw& d) {
    nn::MaxPoolOptions<D> o(expanding<D>(d, true));
    if (d.chance(0.6)) o.stride(expanding<D>(d, true));
    if (d.chance(0.5)) o.padding(expanding<D>(d, false));
    if (d.chance(0.4)) o.dilation(expanding<D>(d, true));
    o.ceil_mode(d.chance(0.4));
    const Tensor x = d.tensor(D + 1 + d.below(2));
    if (d.chance(0.5)) {
        auto r = F::max_pool_with_indices<D>(x, o);
        if (d.chance(0.5)) {
            nn::MaxUnpoolOptions<D> u(o.kernel_size_);
            u.stride(o.stride_).padding(o.padding_);
            backward_if_possible(F::max_unpool<D>(r.output, r.indices, u));
        }
        backward_if_possible(r.output);
    } else {
        nn::MaxPoolImpl<D> m(o);
        m.repr();
        backward_if_possible(m(x));
    }
}

template <std::size_t D>
void avg_pool(Draw& d) {
    nn::AvgPoolOptions<D> o(expanding<D>(d, true));
    if (d.chance(0.6)) o.stride(expanding<D>(d, true));
    if (d.chance(0.5)) o.padding(expanding<D>(d, false));
    o.ceil_mode(d.chance(0.4)).count_include_pad(d.chance(0.5));
    if (d.chance(0.3)) o.divisor_override(d.integer());
    nn::AvgPoolImpl<D> m(o);
    m.repr();
    backward_if_possible(m(d.tensor(D + 1 + d.below(2))));
}

template <std::size_t D>
void max_unpool(Draw& d) {
    nn::MaxUnpoolOptions<D> o(expanding<D>(d, true));
    if (d.chance(0.6)) o.stride(expanding<D>(d, true));
    if (d.chance(0.5)) o.padding(expanding<D>(d, false));
    if (d.chance(0.4)) {
        Shape out;
        for (std::int64_t v : d.ints(D + (d.chance(0.3) ? 2 : 0))) out.push_back(std::size_t(v));
        o.output_size(out);
    }
    const Tensor x = d.tensor(D + 2);
    const Shape is = d.chance(0.9) ? x.shape() : d.shape(D + 2);
    nnkit::checked_numel(is, 8);  // int64 indices
    nnkit::IndexArray idx = nnkit::IndexArray::from_shape(is);
    for (auto& v : idx) v = d.chance(0.9) ? std::int64_t(d.below(8)) : d.integer();
    backward_if_possible(F::max_unpool<D>(x, idx, o));
}

template <std::size_t D>
nn::AdaptiveSize<D> adaptive_size(Draw& d) {
    if (d.chance(0.5)) return nn::AdaptiveSize<D>(d.size());
    if (D == 1) return nn::AdaptiveSize<D>({std::optional<std::size_t>(d.size())});
    if (D == 2) return nn::AdaptiveSize<D>({d.size(), d.chance(0.3) ? std::nullopt : std::optional(d.size())});
    return nn::AdaptiveSize<D>({d.size(), d.size(), d.chance(0.3) ? std::nullopt : std::optional(d.size())});
}

template <std::size_t D>
void adaptive(Draw& d) {
    const Tensor x = d.tensor(D + 1 + d.below(2));
    const bool avg = d.chance(0.5);
    const nn::AdaptiveSize<D> size = adaptive_size<D>(d);
    if (avg) backward_if_possible(F::adaptive_avg_pool<D>(x, size));
    else backward_if_possible(F::adaptive_max_pool<D>(x, size));
}

void pad(Draw& d) {
    std::vector<std::int64_t> p;
    const std::size_t n = d.chance(0.8) ? 2 * (1 + d.below(3)) : d.below(8);
    for (std::size_t i = 0; i < n; ++i) p.push_back(d.chance(0.8) ? std::int64_t(d.below(5)) - 2 : d.integer());
    const std::string mode = d.pick(std::vector<std::string>{"constant", "reflect", "replicate", "circular", "zeros"});
    backward_if_possible(F::pad(d.tensor(2 + d.below(4)), p, mode, d.chance(0.8) ? 0.0 : d.real()));
}

void activations(Draw& d) {
    Tensor x = d.tensor(d.below(5));
    const bool inplace = d.chance(0.3);
    if (inplace && x.requires_grad() && d.chance(0.7)) x = nnkit::mul(x, nnkit::ones(x.shape()));
    switch (d.below(11)) {
        case 0: backward_if_possible(F::relu(x, inplace)); break;
        case 1: backward_if_possible(F::sigmoid(x)); break;
        case 2: backward_if_possible(F::tanh(x)); break;
        case 3: backward_if_possible(F::leaky_relu(x, d.real(), inplace)); break;
        case 4: backward_if_possible(F::rrelu(x, d.real(), d.real(), d.chance(0.5), inplace, &d.generator())); break;
        case 5: backward_if_possible(F::hardtanh(x, d.real(), d.real(), inplace)); break;
        case 6: backward_if_possible(F::relu6(x, inplace)); break;
        case 7: backward_if_possible(F::elu(x, d.real(), inplace)); break;
        case 8: backward_if_possible(F::gelu(x, d.word())); break;
        case 9: backward_if_possible(F::prelu(x, d.tensor(1))); break;
        default: backward_if_possible(F::softmax(x, d.integer())); break;
    }
}

void activation_modules(Draw& d) {
    const Tensor x = d.tensor(d.below(5));
    switch (d.below(6)) {
        case 0: backward_if_possible(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(d.real()))(x)); break;
        case 1: backward_if_possible(nn::PReLU(nn::PReLUOptions().num_parameters(d.size()).init(d.real()))(x)); break;
        case 2: backward_if_possible(nn::RReLU(nn::RReLUOptions().lower(d.real()).upper(d.real()))(x)); break;
        case 3: backward_if_possible(nn::Hardtanh(nn::HardtanhOptions().min_val(d.real()).max_val(d.real()))(x)); break;
        case 4: backward_if_possible(nn::ELU(nn::ELUOptions().alpha(d.real()))(x)); break;
        default: backward_if_possible(nn::GELU(d.word())(x)); break;
    }
}

void dropout_and_shape(Draw& d) {
    const Tensor x = d.tensor(d.below(6));
    switch (d.below(7)) {
        case 0: backward_if_possible(F::dropout(x, d.probability(), d.chance(0.7), false, &d.generator())); break;
        case 1: backward_if_possible(F::dropout1d(x, d.probability(), d.chance(0.7), false, &d.generator())); break;
        case 2: backward_if_possible(F::dropout2d(x, d.probability(), d.chance(0.7), false, &d.generator())); break;
        case 3: backward_if_possible(F::dropout3d(x, d.probability(), d.chance(0.7), false, &d.generator())); break;
        case 4: backward_if_possible(F::flatten(x, d.integer(), d.integer())); break;
        case 5: backward_if_possible(F::unflatten(x, d.integer(), d.ints(2))); break;
        default: backward_if_possible(nn::Dropout(d.probability())(x)); break;
    }
}

void local_response_norm(Draw& d) {
    const Tensor x = d.tensor(3 + d.below(3));
    if (d.chance(0.5)) backward_if_possible(F::local_response_norm(x, d.integer(), d.real(), d.real(), d.real()));
    else backward_if_possible(nn::LocalResponseNorm(nn::LocalResponseNormOptions(d.integer()).alpha(d.real()))(x));
}

void linear(Draw& d) {
    const std::size_t in = 1 + d.below(4), out = 1 + d.below(4);
    const Tensor x = d.chance(0.8) ? d.tensor(Shape{1 + d.below(3), in}) : d.tensor(d.below(5));
    if (d.chance(0.5)) {
        const Tensor w = d.chance(0.9) ? d.tensor(Shape{out, in}) : d.tensor(2);
        backward_if_possible(F::linear(x, w, d.chance(0.5) ? d.tensor(Shape{out}) : Tensor()));
    } else {
        nn::Linear m(d.chance(0.8) ? in : d.size(), d.chance(0.8) ? out : d.size(), d.chance(0.5));
        backward_if_possible(m(x));
    }
}

void losses(Draw& d) {
    const std::size_t n = 1 + d.below(3), c = 1 + d.below(4);
    const Tensor x = d.chance(0.85) ? d.tensor(Shape{n, c}) : d.tensor(d.below(4));
    const Shape ts = d.chance(0.9) ? Shape{n} : d.shape(d.below(3));
    nnkit::checked_numel(ts, 8);  // int64 labels
    nnkit::Labels t = nnkit::Labels::from_shape(ts);
    for (auto& v : t) v = d.chance(0.9) ? std::int64_t(d.below(c)) : d.integer();
    nn::CrossEntropyLossOptions o;
    if (d.chance(0.3)) o.weight(d.tensor(Shape{c}));
    if (d.chance(0.3)) o.ignore_index(d.integer());
    if (d.chance(0.3)) o.label_smoothing(d.real());
    o.reduction(d.pick(std::vector<nnkit::Reduction>{nnkit::Reduction::None, nnkit::Reduction::Mean, nnkit::Reduction::Sum}));
    switch (d.below(4)) {
        case 0: backward_if_possible(F::cross_entropy(x, t, o)); break;
        case 1: backward_if_possible(F::cross_entropy(x, d.tensor(x.shape()), o)); break;
        case 2: backward_if_possible(F::nll_loss(F::log_softmax(x, 1), t, nn::NLLLossOptions().ignore_index(d.integer())));
            break;
        default: backward_if_possible(F::log_softmax(x, d.integer())); break;
    }
}

void creation(Draw& d) {
    switch (d.below(8)) {
        case 0: nnkit::zeros(d.shape(d.below(4))); break;
        case 1: nnkit::full(d.shape(d.below(4)), float(d.real())); break;
        case 2: nnkit::arange(d.real()); break;
        case 3: nnkit::arange(d.real(), d.real(), d.real()); break;
        case 4: nnkit::from_vector(std::vector<float>(d.below(9), 1.f), d.shape(d.below(3))); break;
        case 5: nnkit::rand(d.shape(d.below(4)), &d.generator()); break;
        case 6: {
            Shape s;
            for (std::size_t i = 0, n = d.below(4); i < n; ++i) s.push_back(d.size());
            nnkit::ones(s);
            break;
        }
        default: {
            const Tensor t = d.tensor(d.below(4));
            t.size(d.integer());
            nnkit::repr(t);
            if (d.chance(0.5)) t.item();
            break;
        }
    }
}

void tensor_ops(Draw& d) {
    const Tensor a = d.tensor(d.below(4));
    const Tensor b = d.chance(0.8) ? d.tensor(a.shape()) : d.tensor(d.below(4));
    switch (d.below(5)) {
        case 0: backward_if_possible(nnkit::sum(a)); break;
        case 1: backward_if_possible(nnkit::mean(a)); break;
        case 2: backward_if_possible(nnkit::mul(a, b)); break;
        case 3: backward_if_possible(nnkit::add(a, b)); break;
        default:
            if (a.requires_grad()) a.backward(d.chance(0.7) ? d.tensor(a.shape()) : Tensor());
            break;
    }
}

void init(Draw& d) {
    Tensor t = d.tensor(d.below(6));
    namespace I = nn::init;
    switch (d.below(13)) {
        case 0: I::uniform_(t, d.real(), d.real(), &d.generator()); break;
        case 1: I::normal_(t, d.real(), d.real(), &d.generator()); break;
        case 2: I::constant_(t, d.real()); break;
        case 3: I::xavier_uniform_(t, d.real(), &d.generator()); break;
        case 4: I::xavier_normal_(t, d.real(), &d.generator()); break;
        case 5: I::kaiming_uniform_(t, d.real(), d.word(), d.word(), &d.generator()); break;
        case 6: I::kaiming_normal_(t, d.real(), d.word(), d.word(), &d.generator()); break;
        case 7: I::eye_(t); break;
        case 8: I::dirac_(t, d.integer()); break;
        case 9: I::orthogonal_(t, d.real(), &d.generator()); break;
        case 10: I::trunc_normal_(t, d.real(), d.real(), d.real(), d.real(), &d.generator()); break;
        case 11: I::calculate_gain(d.word(), d.chance(0.5) ? std::optional<double>(d.real()) : std::nullopt); break;
        default: I::calculate_fan_in_and_fan_out(t); break;
    }
}

void transforms(Draw& d) {
    const Tensor img = d.tensor(2 + d.below(2));
    const std::array<std::size_t, 2> size = {d.chance(0.8) ? 1 + d.below(5) : d.size(),
                                             d.chance(0.8) ? 1 + d.below(5) : d.size()};
    switch (d.below(6)) {
        case 0: nnkit::transforms::crop(img, d.integer(), d.integer(), size[0], size[1]); break;
        case 1: nnkit::transforms::center_crop(img, size); break;
        case 2: nnkit::transforms::five_crop(img, size); break;
        case 3: nnkit::transforms::stack(nnkit::transforms::ten_crop(img, size, d.chance(0.5))); break;
        case 4: nnkit::transforms::stack({img, d.chance(0.7) ? img : d.tensor(2)}); break;
        default: nnkit::transforms::hflip(img); nnkit::transforms::vflip(img); break;
    }
}

// A file of this process's own, removed when the call ends, however it ends.
struct Scratch {
    explicit Scratch(const char* ext) : path("/tmp/nnkit-fuzz-" + std::to_string(getpid()) + ext) {}
    ~Scratch() { std::remove(path.c_str()); }
    std::string path;
};

void image(Draw& d) {
    const Scratch file(".png");
    const std::string& path = file.path;
    if (d.chance(0.5)) {
        nnkit::save_image(d.tensor(2 + d.below(2)), path);
        nnkit::load_image(path);
    } else {
        std::ofstream f(path, std::ios::binary);
        const std::string png = "\x89PNG\r\n\x1a\n";
        if (d.chance(0.5)) f << png;
        for (std::size_t i = 0, n = d.below(64); i < n; ++i) f.put(char(d.bits()));
        f.close();
        nnkit::load_image(path);
    }
}

// A .npy file as a careless writer makes it: a valid header with one part changed.
void npy(Draw& d) {
    const Scratch scratch(".npy");
    const std::string& path = scratch.path;
    std::string descr = d.pick(std::vector<std::string>{"'<f4'", "'<f8'", "'<i8'", "'>f4'", "'<u1'", "'f4'", "1"});
    std::string order = d.pick(std::vector<std::string>{"False", "False", "True", "0", "'no'"});
    std::string shape = d.pick(std::vector<std::string>{
        "(2, 3)", "()", "(0,)", "(4,)", "(2,,3)", "(-1,)", "(abc,)", "(4611686018427387904, 4)",
        "(18446744073709551615,)", "(9223372036854775807, 2)", "(3)", "[2, 3]", "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)"});
    std::string dict = "{'descr': " + descr + ", 'fortran_order': " + order + ", 'shape': " + shape + ", }";
    if (d.chance(0.1)) dict = "{'descr': " + descr + ", 'descr': " + descr + ", 'shape': " + shape + "}";
    if (d.chance(0.1)) dict.erase(d.below(dict.size()), 1 + d.below(4));
    std::string header = dict;
    while ((10 + header.size() + 1) % 64) header += ' ';
    if (d.chance(0.9)) header += '\n';
    const unsigned char version = d.chance(0.9) ? 1 : (unsigned char)(d.below(5));
    std::string file = std::string("\x93NUMPY", 6) + char(version) + char(0);
    const std::size_t len = d.chance(0.9) ? header.size() : std::size_t(d.bits() & 0xffff);
    file += char(len & 0xff);
    file += char((len >> 8) & 0xff);
    if (version >= 2) file += std::string(2, '\0');
    file += header;
    file += std::string(d.below(64), '\0');
    if (d.chance(0.1)) file.resize(d.below(file.size() + 1));
    std::ofstream(path, std::ios::binary) << file;
    const nnkit::NpyArray a = nnkit::read_npy(path);
    if (a.dtype == "<i8") a.as_int64();
    else a.as_float();
    if (d.chance(0.5)) nnkit::load_npy(path);
}

nn::ModulePtr some_module(Draw& d) {
    switch (d.below(5)) {
        case 0: return std::make_shared<nn::Linear>(1 + d.below(3), 1 + d.below(3));
        case 1: return std::make_shared<nn::ReLU>();
        case 2: return std::make_shared<nn::Sequential>();
        case 3: return std::make_shared<nn::ModuleList>();
        default: return std::make_shared<nn::Conv2d>(1, 1, 1);
    }
}

// Registries and containers on trees that share modules and may be made to contain themselves.
void modules(Draw& d) {
    std::vector<nn::ModulePtr> pool;
    auto root = std::make_shared<nn::Sequential>();
    pool.push_back(root);
    for (std::size_t i = 0, n = 2 + d.below(5); i < n; ++i) pool.push_back(some_module(d));
    for (std::size_t step = 0, n = 4 + d.below(8); step < n; ++step) {
        nn::ModulePtr m = pool[d.below(pool.size())];
        nn::ModulePtr other = pool[d.below(pool.size())];
        try {
            switch (d.below(12)) {
                case 0: m->register_module(d.word(), other); break;
                case 1: m->register_parameter(d.word(), d.chance(0.8) ? nn::Parameter(d.tensor(1)) : Tensor()); break;
                case 2: m->register_buffer(d.word(), d.tensor(1), d.chance(0.5)); break;
                case 3:
                    if (auto s = std::dynamic_pointer_cast<nn::Sequential>(m)) {
                        if (d.chance(0.5)) s->append(other);
                        else s->insert(d.integer(), other);
                    }
                    break;
                case 4:
                    if (auto l = std::dynamic_pointer_cast<nn::ModuleList>(m)) {
                        if (d.chance(0.5)) l->append(other);
                        else l->set(d.integer(), other);
                    }
                    break;
                case 5:
                    if (auto s = std::dynamic_pointer_cast<nn::Sequential>(m)) {
                        if (d.chance(0.3)) s->at(d.integer());
                        else if (d.chance(0.5)) s->slice(nn::Slice(d.integer(), d.integer(), d.integer()));
                        else (*s) * d.integer();
                    }
                    break;
                case 6:
                    if (auto l = std::dynamic_pointer_cast<nn::ModuleList>(m)) {
                        if (d.chance(0.5)) l->at(d.integer());
                        else l->erase(nn::Slice(d.integer(), d.integer(), d.integer()));
                    }
                    break;
                case 7: m->delattr(d.word()); break;
                case 8: m->get_submodule(d.word() + (d.chance(0.5) ? "." + d.word() : "")); break;
                case 9: m->load_state_dict(other->state_dict(), d.chance(0.5)); break;
                case 10: nn::deepcopy(m); break;
                default: m->apply([](nn::Module& x) { x.train(false); }); break;
            }
        } catch (const std::invalid_argument&) {  // a refused step: the tree goes on to the next one
        } catch (const std::out_of_range&) {
        }
    }
    root->repr();
    root->named_modules();
    root->state_dict();
    root->train(true);
    root->parameters();
    root->zero_grad(d.chance(0.5));
    if (d.chance(0.5)) backward_if_possible((*root)(d.tensor(2)));
}

void parameter_containers(Draw& d) {
    nn::ParameterList l;
    nn::ParameterDict p;
    for (std::size_t i = 0, n = d.below(4); i < n; ++i) l.append(nn::Parameter(d.tensor(1)));
    switch (d.below(5)) {
        case 0: l.at(d.integer()); break;
        case 1: l.set(d.integer(), d.tensor(1)); break;
        case 2: l.slice(nn::Slice(d.integer(), d.integer(), d.integer())); break;
        case 3: p.set(d.word(), d.tensor(1)); p.pop(d.word()); break;
        default: p.erase(d.word()); break;
    }
}

void optimiser(Draw& d) {
    nn::Linear m(2, 2);
    nnkit::optim::SGD sgd(m.parameters(), nnkit::SGDOptions(d.real()).momentum(d.real()).dampening(d.real())
                                       .weight_decay(d.real()).nesterov(d.chance(0.3)));
    nnkit::sum(m(d.tensor(Shape{1, 2}))).backward();
    sgd.step();
    nnkit::optim::StepLR(sgd, d.size(), d.real()).step();
}

// The size formulas students write, called directly with any int64: each returns or refuses.
void size_formulas(Draw& d) {
    const auto v = [&] { return d.integer(); };
    switch (d.below(5)) {
        case 0: nnkit::conv_output_size(v(), v(), v(), v(), v()); break;
        case 1: nnkit::conv_transpose_output_size(v(), v(), v(), v(), v(), v()); break;
        case 2: nnkit::pooling_output_size(v(), v(), v(), v(), v(), d.chance(0.5)); break;
        case 3: {
            const std::size_t D = 1 + d.below(3);
            std::vector<std::size_t> k, s, p;
            for (std::size_t i = 0; i < D; ++i) {
                k.push_back(std::size_t(v()));
                s.push_back(std::size_t(v()));
                p.push_back(std::size_t(v()));
            }
            std::optional<Shape> out;
            if (d.chance(0.4)) out = d.shape(D);
            nnkit::unpool_output_size(d.shape(D + 2), k, s, p, out);
            break;
        }
        default: {
            const auto bound = [&]() -> std::optional<std::int64_t> {
                if (d.chance(0.3)) return std::nullopt;
                return v();
            };
            nn::slice_positions(nn::Slice(bound(), bound(), v()), d.size() % 1000);
            break;
        }
    }
}

const std::map<std::string, Op>& operations() {
    static const std::map<std::string, Op> ops = {
        {"conv1d", conv<1>}, {"conv2d", conv<2>}, {"conv3d", conv<3>},
        {"conv_transpose1d", conv_transpose<1>}, {"conv_transpose2d", conv_transpose<2>},
        {"conv_transpose3d", conv_transpose<3>},
        {"Conv1d", conv_module<1>}, {"Conv2d", conv_module<2>}, {"Conv3d", conv_module<3>},
        {"ConvTranspose1d", conv_transpose_module<1>}, {"ConvTranspose2d", conv_transpose_module<2>},
        {"ConvTranspose3d", conv_transpose_module<3>},
        {"max_pool1d", max_pool<1>}, {"max_pool2d", max_pool<2>}, {"max_pool3d", max_pool<3>},
        {"avg_pool1d", avg_pool<1>}, {"avg_pool2d", avg_pool<2>}, {"avg_pool3d", avg_pool<3>},
        {"max_unpool1d", max_unpool<1>}, {"max_unpool2d", max_unpool<2>}, {"max_unpool3d", max_unpool<3>},
        {"adaptive1d", adaptive<1>}, {"adaptive2d", adaptive<2>}, {"adaptive3d", adaptive<3>},
        {"pad", pad}, {"activations", activations}, {"activation_modules", activation_modules},
        {"dropout_and_shape", dropout_and_shape}, {"local_response_norm", local_response_norm},
        {"linear", linear}, {"losses", losses}, {"creation", creation}, {"tensor_ops", tensor_ops},
        {"init", init}, {"transforms", transforms}, {"image", image}, {"npy", npy}, {"modules", modules},
        {"parameter_containers", parameter_containers}, {"optimiser", optimiser}, {"size_formulas", size_formulas}};
    return ops;
}

// ------------------------------------------------------------------ running and classifying

struct Call {
    std::size_t index;
    std::string op;
};

std::vector<std::string> op_names(const std::string& only) {
    std::vector<std::string> names;
    for (const auto& [name, op] : operations())
        if (only.empty() || name == only) names.push_back(name);
    return names;
}

std::uint64_t call_seed(std::uint64_t seed, std::size_t i) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + i + 1;  // splitmix64
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The name of a clear error's kind (PyTorch's exception class), or null for any other exception.
const char* clear_kind(const std::exception& e) {
    if (dynamic_cast<const nnkit::ValueError*>(&e)) return "ValueError";
    if (dynamic_cast<const nnkit::ShapeError*>(&e)) return "ShapeError";
    if (dynamic_cast<const nnkit::TypeError*>(&e)) return "TypeError";
    if (dynamic_cast<const nnkit::KeyError*>(&e)) return "KeyError";
    if (dynamic_cast<const nnkit::AttributeError*>(&e)) return "AttributeError";
    if (dynamic_cast<const nnkit::IndexError*>(&e)) return "IndexError";
    if (dynamic_cast<const nnkit::NotImplemented*>(&e)) return "NotImplementedError";  // a module without forward
    if (dynamic_cast<const std::runtime_error*>(&e)) return "runtime_error";  // the readers', naming the file
    return nullptr;
}

// One line: "<op>\t<class>\t<detail>", the class one of returned, clear, unclear.
std::string run_one(const std::vector<std::string>& names, std::uint64_t seed, std::size_t i) {
    Draw d(call_seed(seed, i));
    const std::string& name = names[d.below(names.size())];
    const auto one_line = [](std::string s) {
        for (auto& c : s) c = c == '\n' || c == '\t' ? ' ' : c;
        return s.substr(0, 300);
    };
    try {
        operations().at(name)(d);
        return name + "\treturned\t";
    } catch (const std::exception& e) {
        if (const char* kind = clear_kind(e)) return name + "\tclear\t" + kind + ": " + one_line(e.what());
        return name + "\tunclear\t" + one_line(std::string(typeid(e).name()) + ": " + e.what());
    } catch (...) {
        return name + "\tunclear\ta non-std exception";
    }
}

// The child: calls from..to-1, each announced before it runs and answered after.
[[noreturn]] void child(int fd, const std::vector<std::string>& names, std::uint64_t seed, std::size_t from,
                        std::size_t to) {
    nnkit::set_allocation_limit(std::size_t(16) << 20);  // sizes the run cannot afford are refused
    FILE* out = fdopen(fd, "w");
    for (std::size_t i = from; i < to; ++i) {
        std::fprintf(out, "start\t%zu\n", i);
        std::fflush(out);
        const std::string r = run_one(names, seed, i);
        std::fprintf(out, "done\t%zu\t%s\n", i, r.c_str());
        std::fflush(out);
    }
    std::fclose(out);
    _exit(0);
}

// The sanitizer's summary, or the signal, from the child's stderr.
std::string crash_detail(const std::string& log, int status) {
    std::ifstream f(log);
    std::string line, runtime, summary;
    while (std::getline(f, line)) {
        if (runtime.empty() && line.find("runtime error:") != std::string::npos) runtime = line;
        if (line.rfind("SUMMARY:", 0) == 0) summary = line;
    }
    if (!runtime.empty()) return runtime.substr(0, 300);
    if (!summary.empty()) return summary.substr(0, 300);
    if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
    return "exit status " + std::to_string(WEXITSTATUS(status));
}

int usage() {
    std::fprintf(stderr,
                 "usage: nnkit-fuzz [--calls N] [--seed S] [--timeout-ms T] [--only OP] [--call I] [--list] "
                 "[--show N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t calls = 2000, show = 20;
    std::uint64_t seed = 1;
    long timeout_ms = 3000;
    std::string only;
    long long single = -1;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        const auto value = [&]() -> std::string {
            if (a + 1 >= argc) std::exit(usage());
            return argv[++a];
        };
        if (arg == "--calls") calls = std::stoul(value());
        else if (arg == "--seed") seed = std::stoull(value());
        else if (arg == "--timeout-ms") timeout_ms = std::stol(value());
        else if (arg == "--only") only = value();
        else if (arg == "--call") single = std::stoll(value());
        else if (arg == "--show") show = std::stoul(value());
        else if (arg == "--list") {
            for (const auto& n : op_names("")) std::printf("%s\n", n.c_str());
            return 0;
        } else return usage();
    }
    const std::vector<std::string> names = op_names(only);
    if (names.empty()) {
        std::fprintf(stderr, "nnkit-fuzz: no operation named '%s' (--list names them)\n", only.c_str());
        return 2;
    }
    if (single >= 0) {  // replay one call here, where a debugger or a sanitizer can see it
        nnkit::set_allocation_limit(std::size_t(16) << 20);
        std::printf("%s\n", run_one(names, seed, std::size_t(single)).c_str());
        return 0;
    }

    std::map<std::string, std::size_t> count;                  // outcome class -> calls
    std::map<std::string, std::vector<std::string>> examples;  // bad class -> "call i (op): detail"
    const auto record = [&](const std::string& cls, std::size_t i, const std::string& op, const std::string& detail) {
        ++count[cls];
        if (cls != "returned" && cls != "clear error") {
            auto& ex = examples[cls];
            if (ex.size() < show) ex.push_back("call " + std::to_string(i) + " (" + op + "): " + detail);
        }
    };
    const std::string log = "/tmp/nnkit-fuzz-" + std::to_string(getpid()) + ".stderr";
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t next = 0;
    while (next < calls) {
        int fds[2];
        if (pipe(fds) != 0) { std::perror("pipe"); return 2; }
        const pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(err, 2);
            const int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            child(fds[1], names, seed, next, calls);
        }
        close(fds[1]);
        std::string buffer, started_op;
        long long started = -1;
        bool alive = true, hung = false;
        while (alive) {
            pollfd p{fds[0], POLLIN, 0};
            const int ready = poll(&p, 1, started >= 0 ? int(timeout_ms) : 60000);
            if (ready == 0) {  // the call in progress has not answered in time
                kill(pid, SIGKILL);
                hung = true;
                break;
            }
            char chunk[4096];
            const ssize_t n = read(fds[0], chunk, sizeof chunk);
            if (n <= 0) { alive = false; break; }
            buffer.append(chunk, std::size_t(n));
            std::size_t nl;
            while ((nl = buffer.find('\n')) != std::string::npos) {
                const std::string line = buffer.substr(0, nl);
                buffer.erase(0, nl + 1);
                std::vector<std::string> f;
                for (std::size_t s = 0, e;; s = e + 1) {
                    e = line.find('\t', s);
                    f.push_back(line.substr(s, e == std::string::npos ? std::string::npos : e - s));
                    if (e == std::string::npos) break;
                }
                const std::size_t i = std::stoul(f.at(1));
                if (f[0] == "start") {
                    started = (long long)i;
                } else {
                    const std::string cls = f.at(3) == "returned" ? "returned" : f[3] == "clear" ? "clear error"
                                                                                                 : "unclear error";
                    record(cls, i, f.at(2), f.size() > 4 ? f[4] : "");
                    started = -1;
                    next = i + 1;
                }
            }
        }
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        if (started >= 0) {  // the child died, or was killed, inside a call
            Draw d(call_seed(seed, std::size_t(started)));
            const std::string op = names[d.below(names.size())];
            if (hung) record("hang", std::size_t(started), op, "no answer in " + std::to_string(timeout_ms) + " ms");
            else record("crash", std::size_t(started), op, crash_detail(log, status));
            next = std::size_t(started) + 1;
        } else if (next < calls && !hung) {
            std::fprintf(stderr, "nnkit-fuzz: the child stopped between calls (%s)\n", crash_detail(log, status).c_str());
            return 2;
        }
    }
    std::remove(log.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::printf("nnkit-fuzz: %zu calls over %zu operations, seed %" PRIu64 ", %.1f s\n", calls, names.size(), seed,
                seconds);
    for (const char* cls : {"returned", "clear error", "unclear error", "crash", "hang"})
        std::printf("  %-14s %zu\n", cls, count[cls]);
    bool bad = false;
    for (const auto& [cls, ex] : examples) {
        bad = true;
        std::printf("\n%s (replay one with --seed %" PRIu64 " --call I%s):\n", cls.c_str(), seed,
                    only.empty() ? "" : (" --only " + only).c_str());
        for (const auto& e : ex) std::printf("  %s\n", e.c_str());
    }
    return bad ? 1 : 0;
}
