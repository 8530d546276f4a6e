// Lesson 4's pictures, computed with the kit's own kernels and drawn with nnkit/plot.hpp (PLplot):
//   pooling.png      a photograph | max-pooled (8x8) | average-pooled (8x8), side by side
//   activations.png  each activation (blue) and its derivative (orange), from its backward kernel
// Regenerate the committed copies with
//   ./kit example pictures lessons/04-pooling-linear-activations/images
// Without an argument (as CTest runs it) the files go to the current folder. The program
// checks what the lesson says about the pictures, then reads them back and checks that every
// panel has its curves: a failure exits non-zero.
#include <cmath>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "nnkit/image.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/plot.hpp"

using namespace nnkit;

namespace {

using Image = xt::xarray<float>;  // (3, H, W) in [0, 1]

double mean_of(const Image& a) { return double(xt::mean(a)()); }

plot::Picture picture(const Image& a, const std::string& caption) {
    plot::Picture p;
    p.channels = a.shape(0);
    p.height = a.shape(1);
    p.width = a.shape(2);
    p.pixels.assign(a.begin(), a.end());
    p.caption = caption;
    return p;
}

// ---------------------------------------------------------------- activation plots

using Fn = std::function<xt::xarray<double>(const xt::xarray<double>&)>;

// x:(241,) over [-4, 4]: the samples every curve is drawn through.
xt::xarray<double> samples() {
    xt::xarray<double> x = xt::xarray<double>::from_shape({241});
    for (std::size_t i = 0; i < x.size(); ++i) x(i) = -4.0 + 8.0 * double(i) / 240.0;
    return x;
}

plot::Series series(const std::string& label, const xt::xarray<double>& x, const xt::xarray<double>& y, plot::Rgb c,
                    bool points = false) {
    return {label, std::vector<double>(x.begin(), x.end()), std::vector<double>(y.begin(), y.end()), c, points};
}

// f (blue) and its derivative df (orange), the derivative from the backward kernel with
// grad_output = 1, on the same axes for every panel.
plot::Panel panel(const std::string& title, const Fn& f, const Fn& df, std::vector<plot::Series> extra = {}) {
    const auto x = samples();
    plot::Panel p{{title, "x", ""}, std::move(extra), -4, 4, -1.5, 3};
    p.series.push_back(series("f(x)", x, f(x), plot::kBlue));
    p.series.push_back(series("f'(x)", x, df(x), plot::kOrange));
    return p;
}

std::vector<plot::Panel> activation_panels() {
    const xt::xarray<double> ones = xt::ones<double>({std::size_t(241)});
    const xt::xarray<double> prelu_w = {0.25};
    const double lower = 1.0 / 8, upper = 1.0 / 3;
    Generator gen(4);
    std::vector<plot::Panel> out;
    out.push_back(panel("ReLU", [](const auto& x) { return relu_forward<double>(x); },
                        [&](const auto& x) { return relu_backward<double>(ones, relu_forward<double>(x)); }));
    out.push_back(panel("LeakyReLU(0.1)", [](const auto& x) { return leaky_relu_forward<double>(x, 0.1); },
                        [&](const auto& x) { return leaky_relu_backward<double>(ones, x, 0.1); }));
    out.push_back(panel("PReLU (weight 0.25)", [&](const auto& x) { return prelu_forward<double>(x, prelu_w); },
                        [&](const auto& x) { return prelu_backward<double>(ones, x, prelu_w).input; }));
    // RReLU: the slopes a training draw may take (grey), one training draw (dots), the eval curve.
    const auto x = samples();
    const xt::xarray<double> low = xt::where(x < 0, lower * x, x), high = xt::where(x < 0, upper * x, x);
    const xt::xarray<double> xs = xt::view(x, xt::range(0, 241, 6));
    const auto drawn = rrelu_forward<double>(xs, lower, upper, true, gen).output;
    out.push_back(panel(
        "RReLU(1/8, 1/3), eval", [&](const auto& v) { return rrelu_forward<double>(v, lower, upper, false, gen).output; },
        [&](const auto& v) { return rrelu_backward<double>(ones, rrelu_forward<double>(v, lower, upper, false, gen).noise); },
        {series("slopes 1/8 and 1/3", x, low, plot::kGrey), series("", x, high, plot::kGrey),
         series("one training draw", xs, drawn, {0, 0, 0}, true)}));
    out.back().legend = plot::Corner::top_left;  // x < 0 is where RReLU's slopes differ
    out.push_back(panel("Sigmoid", [](const auto& v) { return sigmoid_forward<double>(v); },
                        [&](const auto& v) { return sigmoid_backward<double>(ones, sigmoid_forward<double>(v)); }));
    out.push_back(panel("Tanh", [](const auto& v) { return tanh_forward<double>(v); },
                        [&](const auto& v) { return tanh_backward<double>(ones, tanh_forward<double>(v)); }));
    return out;
}

// Pixels of colour c (within 0.05 per channel) in the rectangle [x0, x0 + w) x [y0, y0 + h).
std::size_t count_colour(const Image& img, std::size_t x0, std::size_t y0, std::size_t w, std::size_t h, plot::Rgb c) {
    std::size_t n = 0;
    for (std::size_t y = y0; y < y0 + h; ++y)
        for (std::size_t x = x0; x < x0 + w; ++x)
            n += std::abs(img(0, y, x) - c.r / 255.f) < 0.05f && std::abs(img(1, y, x) - c.g / 255.f) < 0.05f &&
                 std::abs(img(2, y, x) - c.b / 255.f) < 0.05f;
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : ".";
    bool ok = true;

    // ---- pooling.png: the 256x256 astronaut, pooled 8x8 with stride 8 -> 32x32
    const Image crop = load_image(datasets_dir() + "/images/astronaut.png").data();
    if (crop.shape(0) != 3 || crop.shape(1) != 256 || crop.shape(2) != 256) {
        std::cout << "expected a (3, 256, 256) astronaut.png\n";
        return 1;
    }
    const PoolParams mp{{8, 8}, {8, 8}, {0, 0}, {1, 1}, false};
    AvgPoolParams ap;
    ap.kernel_size = ap.stride = {8, 8};
    ap.padding = {0, 0};
    const Image maxed = max_pool_forward<float>(crop, mp).output, averaged = avg_pool_forward<float>(crop, ap);
    const double m_photo = mean_of(crop), m_max = mean_of(maxed), m_avg = mean_of(averaged);
    std::cout << "pooling: (3, 256, 256) -> (3, 32, 32); mean brightness: photo " << m_photo << ", max-pooled " << m_max
              << ", average-pooled " << m_avg << "\n";
    ok &= m_max > m_avg + 0.02;              // the max-pooled image is brighter
    ok &= std::abs(m_avg - m_photo) < 0.01;  // averaging keeps the mean brightness
    plot::pictures(dir + "/pooling.png", "A photograph pooled with an 8x8 window, stride 8",
                   {picture(crop, "photo (3, 256, 256)"), picture(maxed, "max-pooled (3, 32, 32)"),
                    picture(averaged, "average-pooled (3, 32, 32)")},
                   3, 300);

    // ---- activations.png: 3 x 2 panels of 400 x 350 pixels
    plot::panels(dir + "/activations.png", activation_panels(), 3, 1200, 700);

    // ---- read both back: the sizes, and every panel has its curve and its derivative
    const Image pooling = load_image(dir + "/pooling.png").data();
    ok &= pooling.shape(2) == 900;
    const Image plots = load_image(dir + "/activations.png").data();
    ok &= plots.shape(1) == 700 && plots.shape(2) == 1200;
    for (std::size_t k = 0; ok && k < 6; ++k) {
        const std::size_t x0 = k % 3 * 400, y0 = k / 3 * 350;
        const std::size_t blue = count_colour(plots, x0, y0, 400, 350, plot::kBlue),
                          orange = count_colour(plots, x0, y0, 400, 350, plot::kOrange);
        if (blue < 100 || orange < 100) {  // a legend line alone is about 70 pixels
            std::cout << "panel " << k << ": " << blue << " blue and " << orange << " orange pixels\n";
            ok = false;
        }
    }
    std::cout << "wrote " << dir << "/pooling.png and " << dir << "/activations.png: "
              << (ok ? "as expected" : "UNEXPECTED") << "\n";
    return ok ? 0 : 1;
}
