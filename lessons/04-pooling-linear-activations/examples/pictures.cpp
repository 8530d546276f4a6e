// Lesson 4's pictures, drawn with the kit's own kernels (no plotting library):
//   pooling.png      a photograph | max-pooled (8x8) | average-pooled (8x8), side by side
//   activations.png  each activation (blue) and its derivative (orange), from its backward kernel
// Regenerate the committed copies with
//   ./kit example pictures lessons/04-pooling-linear-activations/images
// Without an argument (as CTest runs it) the files go to the current folder. The program
// then reads them back and checks their pixel statistics: a failure exits non-zero.
#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <string>

#include <xtensor/xview.hpp>

#include "nnkit/image.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/kernels/pooling.hpp"

using namespace nnkit;

namespace {

using Image = xt::xarray<float>;  // (3, H, W) in [0, 1]

// Repeats every pixel `f` times in both directions, so pooled blocks stay visible.
Image upscale(const Image& a, std::size_t f) {
    Image b = xt::xarray<float>::from_shape({a.shape(0), a.shape(1) * f, a.shape(2) * f});
    for (std::size_t c = 0; c < b.shape(0); ++c)
        for (std::size_t h = 0; h < b.shape(1); ++h)
            for (std::size_t w = 0; w < b.shape(2); ++w) b(c, h, w) = a(c, h / f, w / f);
    return b;
}

// Pastes `panels` (3, H, W each) left to right with a white gap.
Image side_by_side(const std::vector<Image>& panels, std::size_t gap) {
    const std::size_t H = panels[0].shape(1), W = panels[0].shape(2);
    Image out = xt::ones<float>({std::size_t(3), H, panels.size() * W + (panels.size() - 1) * gap});
    for (std::size_t i = 0; i < panels.size(); ++i)
        xt::view(out, xt::all(), xt::all(), xt::range(i * (W + gap), i * (W + gap) + W)) = panels[i];
    return out;
}

double mean_of(const Image& a) { return double(xt::mean(a)()); }

// ---------------------------------------------------------------- plots

struct Rgb {
    float r, g, b;
};
constexpr Rgb kBlue{0.12f, 0.35f, 0.8f}, kOrange{0.95f, 0.5f, 0.05f}, kGrid{0.88f, 0.88f, 0.88f},
    kAxis{0.2f, 0.2f, 0.2f}, kBand{0.8f, 0.87f, 0.97f};

// One panel: x in [-4, 4], y in [-1.5, 3], with a grid at every integer.
struct Plot {
    static constexpr std::size_t W = 240, H = 180;
    static constexpr double x0 = -4, x1 = 4, y0 = -1.5, y1 = 3;
    Image img = xt::ones<float>({std::size_t(3), H, W});

    double x_of(std::size_t px) const { return x0 + (x1 - x0) * double(px) / double(W - 1); }
    long row_of(double y) const { return std::lround((y1 - y) / (y1 - y0) * double(H - 1)); }
    long col_of(double x) const { return std::lround((x - x0) / (x1 - x0) * double(W - 1)); }

    void put(long col, long row, Rgb c) {
        if (col < 0 || row < 0 || col >= long(W) || row >= long(H)) return;
        img(0, row, col) = c.r;
        img(1, row, col) = c.g;
        img(2, row, col) = c.b;
    }
    void axes() {
        for (int k = -4; k <= 4; ++k)
            for (std::size_t r = 0; r < H; ++r) put(col_of(k), long(r), k == 0 ? kAxis : kGrid);
        for (int k = -1; k <= 3; ++k)
            for (std::size_t c = 0; c < W; ++c) put(long(c), row_of(k), k == 0 ? kAxis : kGrid);
    }
    // A curve 3 pixels thick; consecutive samples are joined unless the function jumps.
    void curve(const std::vector<double>& y, Rgb c) {
        for (std::size_t px = 0; px < W; ++px) {
            long r0 = row_of(y[px]), r1 = r0;
            if (px > 0 && std::abs(y[px] - y[px - 1]) < 0.3) r1 = row_of(y[px - 1]);
            for (long r = std::min(r0, r1) - 1; r <= std::max(r0, r1) + 1; ++r) put(long(px), r, c);
        }
    }
};

// Samples x:(W,) over the plot, and draws f (blue) and its derivative df (orange) computed from
// the backward kernel with grad_output = 1.
Image plot(const std::function<xt::xarray<double>(const xt::xarray<double>&)>& f,
           const std::function<xt::xarray<double>(const xt::xarray<double>&)>& df,
           const std::function<void(Plot&)>& extra = nullptr) {
    Plot p;
    p.axes();
    xt::xarray<double> x = xt::xarray<double>::from_shape({Plot::W});
    for (std::size_t i = 0; i < Plot::W; ++i) x(i) = p.x_of(i);
    if (extra) extra(p);
    const auto y = f(x), dy = df(x);
    p.curve(std::vector<double>(dy.begin(), dy.end()), kOrange);
    p.curve(std::vector<double>(y.begin(), y.end()), kBlue);
    return p.img;
}

Image activation_grid() {
    const xt::xarray<double> ones = xt::ones<double>({Plot::W});
    const xt::xarray<double> prelu_w = {0.25};
    const double lower = 1.0 / 8, upper = 1.0 / 3;
    Generator gen(4);
    std::vector<Image> top, bottom;
    top.push_back(plot([](const auto& x) { return relu_forward<double>(x); },
                       [&](const auto& x) { return relu_backward<double>(ones, relu_forward<double>(x)); }));
    top.push_back(plot([](const auto& x) { return leaky_relu_forward<double>(x, 0.1); },
                       [&](const auto& x) { return leaky_relu_backward<double>(ones, x, 0.1); }));
    top.push_back(plot([&](const auto& x) { return prelu_forward<double>(x, prelu_w); },
                       [&](const auto& x) { return prelu_backward<double>(ones, x, prelu_w).input; }));
    // RReLU: the band of possible training slopes, one training draw as dots, and the eval curve.
    bottom.push_back(plot(
        [&](const auto& x) { return rrelu_forward<double>(x, lower, upper, false, gen).output; },
        [&](const auto& x) { return rrelu_backward<double>(ones, rrelu_forward<double>(x, lower, upper, false, gen).noise); },
        [&](Plot& p) {
            for (std::size_t px = 0; px < Plot::W; ++px) {
                const double x = p.x_of(px);
                if (x >= 0) continue;
                for (long r = p.row_of(upper * x); r >= p.row_of(lower * x); --r) p.put(long(px), r, kBand);
            }
            xt::xarray<double> x = xt::xarray<double>::from_shape({Plot::W});
            for (std::size_t i = 0; i < Plot::W; ++i) x(i) = p.x_of(i);
            const auto train = rrelu_forward<double>(x, lower, upper, true, gen).output;
            for (std::size_t px = 0; px < Plot::W; px += 5)
                for (long d = -1; d <= 1; ++d)
                    for (long e = -1; e <= 1; ++e) p.put(long(px) + d, p.row_of(train(px)) + e, kAxis);
        }));
    bottom.push_back(plot([](const auto& x) { return sigmoid_forward<double>(x); },
                          [&](const auto& x) { return sigmoid_backward<double>(ones, sigmoid_forward<double>(x)); }));
    bottom.push_back(plot([](const auto& x) { return tanh_forward<double>(x); },
                          [&](const auto& x) { return tanh_backward<double>(ones, tanh_forward<double>(x)); }));
    const Image a = side_by_side(top, 10), b = side_by_side(bottom, 10);
    Image out = xt::ones<float>({std::size_t(3), a.shape(1) * 2 + 10, a.shape(2)});
    xt::view(out, xt::all(), xt::range(0, a.shape(1)), xt::all()) = a;
    xt::view(out, xt::all(), xt::range(a.shape(1) + 10, 2 * a.shape(1) + 10), xt::all()) = b;
    return out;
}

// Pixels of one colour (within 0.05 per channel) in a panel.
std::size_t count_colour(const Image& img, std::size_t col0, std::size_t width, Rgb c) {
    std::size_t n = 0;
    for (std::size_t h = 0; h < img.shape(1); ++h)
        for (std::size_t w = col0; w < col0 + width; ++w)
            n += std::abs(img(0, h, w) - c.r) < 0.05 && std::abs(img(1, h, w) - c.g) < 0.05 &&
                 std::abs(img(2, h, w) - c.b) < 0.05;
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
    std::cout << "pooling: (3, 256, 256) -> (3, 32, 32); mean brightness: photo " << mean_of(crop) << ", max-pooled "
              << mean_of(maxed) << ", average-pooled " << mean_of(averaged) << "\n";
    save_image(Tensor(side_by_side({crop, upscale(maxed, 8), upscale(averaged, 8)}, 8)), dir + "/pooling.png");

    // ---- activations.png
    save_image(Tensor(activation_grid()), dir + "/activations.png");

    // ---- read both back and check what the lesson says about them
    const Image pooling = load_image(dir + "/pooling.png").data();
    const auto panel = [&](std::size_t i) {
        return Image(xt::view(pooling, xt::all(), xt::all(), xt::range(i * 264, i * 264 + 256)));
    };
    const double m_photo = mean_of(panel(0)), m_max = mean_of(panel(1)), m_avg = mean_of(panel(2));
    std::cout << "read back: mean brightness of the panels " << m_photo << ", " << m_max << ", " << m_avg << "\n";
    ok &= pooling.shape(2) == 3 * 256 + 2 * 8;
    ok &= m_max > m_avg + 0.02;              // the max-pooled image is brighter
    ok &= std::abs(m_avg - m_photo) < 0.01;  // averaging keeps the mean brightness
    const Image plots = load_image(dir + "/activations.png").data();
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t row = 0; row < 2; ++row) {
            const Image half = xt::view(plots, xt::all(), xt::range(row * 190, row * 190 + 180), xt::all());
            const std::size_t blue = count_colour(half, i * 250, 240, kBlue),
                              orange = count_colour(half, i * 250, 240, kOrange);
            if (blue < 300 || orange < 200) {  // every panel has its curve and its derivative
                std::cout << "panel " << row * 3 + i << ": " << blue << " blue and " << orange << " orange pixels\n";
                ok = false;
            }
        }
    std::cout << "wrote " << dir << "/pooling.png and " << dir << "/activations.png: "
              << (ok ? "pixel statistics as expected" : "UNEXPECTED pixel statistics") << "\n";
    return ok ? 0 : 1;
}
