// nnkit::plot on PLplot: the "pngcairo" device renders anti-aliased PNGs with DejaVu fonts.
// PLplot keeps one current plot stream; each function opens its own and ends it, so calls are
// independent (and not thread-safe, like PLplot itself).
#include "nnkit/plot.hpp"

#include <plplot/plplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace nnkit::plot {

namespace {

constexpr PLINT kBlack = 1, kCurve = 2, kPixel = 3;  // colour-map-0 slots used below
constexpr std::size_t kMaxSeries = 12;               // slots 4..15 of PLplot's 16, one per series
constexpr Rgb kNotFinite{230, 0, 0};                 // a NaN or infinite pixel shows red

// Every input is checked before a stream opens: PLplot's stream must be ended once begun.
void check_size(const std::string& fn, int width, int height) {
    if (width < 16 || height < 16 || width > 10000 || height > 10000)
        throw std::invalid_argument(fn + ": width and height must be 16 to 10000 pixels, got " + std::to_string(width) +
                                    " x " + std::to_string(height));
}

void check_panel(const Panel& p) {
    if (p.series.size() > kMaxSeries)
        throw std::invalid_argument("plot: a panel holds at most " + std::to_string(kMaxSeries) + " series, got " +
                                    std::to_string(p.series.size()));
    for (const auto& s : p.series)
        if (s.x.size() != s.y.size())
            throw std::invalid_argument("plot: series '" + s.label + "' has " + std::to_string(s.x.size()) +
                                        " x values and " + std::to_string(s.y.size()) + " y values");
}

// Opens a stream writing `path` (width x height pixels, white background) with nx x ny subpages.
void begin(const std::string& path, int width, int height, int nx = 1, int ny = 1) {
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) std::fclose(f);  // PLplot only prints when it cannot
    else throw std::runtime_error("plot: cannot write " + path);
    plsdev("pngcairo");
    plsfnam(path.c_str());
    plspage(0, 0, width, height, 0, 0);
    plscolbg(255, 255, 255);
    plssub(nx, ny);
    plinit();
    plscol0(kBlack, 0, 0, 0);
    plcol0(kBlack);
}

void set_colour(PLINT slot, Rgb c) {
    plscol0(slot, c.r, c.g, c.b);
    plcol0(slot);
}

// The data's range, widened a little so no curve sits on the frame; a flat range gets a unit span.
std::pair<double, double> range_of(const std::vector<Series>& series, bool x) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& s : series)
        for (double v : x ? s.x : s.y)
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!(lo <= hi)) return {0, 1};
    if (lo == hi) return {lo - 0.5, hi + 0.5};
    const double pad = x ? 0 : 0.05 * (hi - lo);
    return {lo - pad, hi + pad};
}

// Draws one panel in the current subpage: frame, ticks, grid, labels, curves, legend.
void draw_panel(const Panel& p) {
    pladv(0);
    plvsta();
    auto [x0, x1] = range_of(p.series, true);
    auto [y0, y1] = range_of(p.series, false);
    if (p.xmin < p.xmax) x0 = p.xmin, x1 = p.xmax;
    if (p.ymin < p.ymax) y0 = p.ymin, y1 = p.ymax;
    plwind(x0, x1, y0, y1);
    plscol0(kCurve, 225, 225, 225);  // light grid first, frame and ticks over it
    plcol0(kCurve);
    plbox("g", 0, 0, "g", 0, 0);
    plcol0(kBlack);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab(p.axes.xlabel.c_str(), p.axes.ylabel.c_str(), p.axes.title.c_str());
    std::vector<PLINT> opts, text_colours, line_colours, styles, symbol_colours, symbol_numbers;
    std::vector<PLFLT> widths, scales;
    std::vector<const char*> texts, symbols;
    PLINT slot = 4;
    for (const auto& s : p.series) {
        plscol0(slot, s.colour.r, s.colour.g, s.colour.b);
        plcol0(slot);
        // Drawn in runs of finite points: a NaN loss (a broken unit) leaves a gap, not a stray line.
        plwidth(2);
        for (std::size_t a = 0; a < s.x.size();) {
            if (!std::isfinite(s.x[a]) || !std::isfinite(s.y[a])) {
                ++a;
                continue;
            }
            std::size_t b = a;
            while (b < s.x.size() && std::isfinite(s.x[b]) && std::isfinite(s.y[b])) ++b;
            if (s.points) plpoin(PLINT(b - a), s.x.data() + a, s.y.data() + a, 17);  // 17: a filled dot
            else plline(PLINT(b - a), s.x.data() + a, s.y.data() + a);
            a = b;
        }
        plwidth(1);
        if (!s.label.empty()) {
            opts.push_back(s.points ? PL_LEGEND_SYMBOL : PL_LEGEND_LINE);
            texts.push_back(s.label.c_str());
            text_colours.push_back(kBlack);
            line_colours.push_back(slot);
            symbol_colours.push_back(slot);
            styles.push_back(1);
            widths.push_back(2);
            scales.push_back(1);
            symbol_numbers.push_back(1);
            symbols.push_back("\u2022");  // a bullet, as the points are drawn
        }
        ++slot;
    }
    plcol0(kBlack);
    if (!texts.empty()) {
        PLFLT w, h;
        const PLINT corner = (p.legend == Corner::top_left || p.legend == Corner::top_right ? PL_POSITION_TOP
                                                                                             : PL_POSITION_BOTTOM) |
                             (p.legend == Corner::top_left || p.legend == Corner::bottom_left ? PL_POSITION_LEFT
                                                                                              : PL_POSITION_RIGHT);
        pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, corner | PL_POSITION_INSIDE, 0.02, 0.02, 0.1, 0,
                 kBlack, 1, 0, 0,
                 PLINT(texts.size()), opts.data(), 1.0, 0.9, 2.0, 0.0, text_colours.data(), texts.data(), nullptr,
                 nullptr, nullptr, nullptr, line_colours.data(), styles.data(), widths.data(), symbol_colours.data(),
                 scales.data(), symbol_numbers.data(), symbols.data());
    }
}

// One filled unit square with its lower-left corner at (x, y), in colour c.
void cell(double x, double y, Rgb c) {
    plscol0(kPixel, c.r, c.g, c.b);
    plcol0(kPixel);
    const PLFLT xs[4] = {x, x + 1, x + 1, x}, ys[4] = {y, y, y + 1, y + 1};
    plfill(4, xs, ys);
}

// A picture as one square per pixel, row 0 at the top (PLplot's y points up). Filled squares
// rather than plimage, so every pixel lands exactly on its cell.
void draw_picture(const Picture& p) {
    const std::size_t plane = p.height * p.width;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < plane; ++i)
        if (std::isfinite(p.pixels[i])) lo = std::min(lo, double(p.pixels[i])), hi = std::max(hi, double(p.pixels[i]));
    const double grey0 = lo, grey_span = hi > lo ? hi - lo : 1.0;
    auto byte = [](double v) { return int(std::lround(255.0 * std::clamp(v, 0.0, 1.0))); };
    for (std::size_t h = 0; h < p.height; ++h)
        for (std::size_t w = 0; w < p.width; ++w) {
            const std::size_t i = h * p.width + w;
            Rgb c;
            bool finite = true;
            for (std::size_t k = 0; k < p.channels; ++k) finite &= std::isfinite(p.pixels[k * plane + i]);
            if (!finite) {
                c = kNotFinite;
            } else if (p.channels == 1) {
                const int g = byte((p.pixels[i] - grey0) / grey_span);
                c = {g, g, g};
            } else {
                c = {byte(p.pixels[i]), byte(p.pixels[plane + i]), byte(p.pixels[2 * plane + i])};
            }
            cell(double(w), double(p.height - 1 - h), c);
        }
    plcol0(kBlack);
}

}  // namespace

void lines(const std::string& path, const Panel& panel, int width, int height) {
    check_size("plot::lines", width, height);
    check_panel(panel);
    begin(path, width, height);
    draw_panel(panel);
    plend();
}

void panels(const std::string& path, const std::vector<Panel>& ps, int columns, int width, int height) {
    if (columns < 1 || ps.empty()) throw std::invalid_argument("plot::panels: need at least one panel and one column");
    check_size("plot::panels", width, height);
    for (const auto& p : ps) check_panel(p);
    const int rows = (int(ps.size()) + columns - 1) / columns;
    begin(path, width, height, columns, rows);
    for (const auto& p : ps) draw_panel(p);
    plend();
}

void matrix(const std::string& path, const Axes& axes, const std::vector<std::vector<double>>& m,
            const std::vector<std::string>& row_names, const std::vector<std::string>& column_names, int width,
            int height) {
    const std::size_t R = m.size(), C = R ? m[0].size() : 0;
    if (R == 0 || C == 0 || row_names.size() != R || column_names.size() != C)
        throw std::invalid_argument("plot::matrix: the names must match a non-empty matrix");
    for (const auto& row : m) {
        if (row.size() != C) throw std::invalid_argument("plot::matrix: every row must have " + std::to_string(C) + " cells");
        for (double v : row)
            if (!(v >= 0) || !std::isfinite(v))
                throw std::invalid_argument("plot::matrix: the cells are counts, finite and >= 0, got " + std::to_string(v));
    }
    check_size("plot::matrix", width, height);
    begin(path, width, height);
    pladv(0);
    plvpor(0.2, 0.95, 0.14, 0.92);
    plwind(0, double(C), 0, double(R));
    double hi = 0;
    for (const auto& row : m) hi = std::max(hi, *std::max_element(row.begin(), row.end()));
    // White (0) to dark blue (the largest count).
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            const double t = hi > 0 ? m[i][j] / hi : 0;
            cell(double(j), double(R - 1 - i),
                 {int(std::lround(255 - t * 247)), int(std::lround(255 - t * 207)), int(std::lround(255 - t * 148))});
        }
    plschr(0, 0.75);
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            set_colour(kCurve, m[i][j] > 0.5 * hi ? Rgb{255, 255, 255} : Rgb{0, 0, 0});
            char text[32];
            std::snprintf(text, sizeof text, "%.0f", m[i][j]);
            plptex(double(j) + 0.5, double(R - 1 - i) + 0.4, 1, 0, 0.5, text);
        }
    plcol0(kBlack);
    plbox("bc", 1, 0, "bc", 1, 0);
    for (std::size_t j = 0; j < C; ++j)  // column names under the matrix, staggered so long ones fit
        plmtex("b", j % 2 ? 2.6 : 1.2, (double(j) + 0.5) / double(C), 0.5, column_names[j].c_str());
    for (std::size_t i = 0; i < R; ++i)
        plmtex("lv", 0.8, (double(R - 1 - i) + 0.5) / double(R), 1.0, row_names[i].c_str());
    plschr(0, 1.0);
    plmtex("t", 1.5, 0.5, 0.5, axes.title.c_str());
    plmtex("b", 3.2, 0.5, 0.5, axes.xlabel.c_str());
    plmtex("l", 9.0, 0.5, 0.5, axes.ylabel.c_str());
    plend();
}

void pictures(const std::string& path, const std::string& title, const std::vector<Picture>& ps, int columns,
              int cell) {
    if (columns < 1 || ps.empty()) throw std::invalid_argument("plot::pictures: need at least one picture and one column");
    if (cell < 16) throw std::invalid_argument("plot::pictures: a cell must be at least 16 pixels, got " + std::to_string(cell));
    for (const auto& p : ps)
        if (!p.pixels.empty() &&  // an empty picture is a blank cell
            ((p.channels != 1 && p.channels != 3) || p.pixels.size() != p.channels * p.height * p.width || p.height == 0))
            throw std::invalid_argument("plot::pictures: '" + p.caption + "' is not (1 or 3, H, W) pixels");
    const int rows = (int(ps.size()) + columns - 1) / columns;
    const double top = title.empty() ? 0 : 40, caption = 22;  // pixels
    const int width = columns * cell, height = int(rows * (cell + caption) + top);
    check_size("plot::pictures", width, height);
    begin(path, width, height);
    pladv(0);
    plvpor(0, 1, 0, 1);
    plwind(0, 1, 0, 1);
    plschr(0, 0.8);
    if (!title.empty()) plmtex("t", -1.8, 0.5, 0.5, title.c_str());
    plschr(0, 1.0);
    for (std::size_t k = 0; k < ps.size(); ++k) {
        const Picture& p = ps[k];
        if (p.pixels.empty()) continue;
        const int row = int(k) / columns, col = int(k) % columns;
        // The cell in normalised page coordinates, with a margin; the picture keeps its aspect.
        const double y_top = 1.0 - (top + row * (cell + caption)) / height;
        const double cx0 = double(col) / columns, cx1 = double(col + 1) / columns;
        const double cy1 = y_top - caption / height, cy0 = y_top - (cell + caption) / height;
        const double side = std::min(cx1 - cx0, (cy1 - cy0) * height / width) * 0.88;
        const double aspect = double(p.width) / double(p.height);
        const double w = aspect >= 1 ? side : side * aspect, h = (aspect >= 1 ? side / aspect : side) * width / height;
        const double mx = 0.5 * (cx0 + cx1), my = 0.5 * (cy0 + cy1);
        plvpor(mx - w / 2, mx + w / 2, my - h / 2, my + h / 2);
        plwind(0, double(p.width), 0, double(p.height));
        draw_picture(p);
        plbox("bc", 0, 0, "bc", 0, 0);
        plschr(0, 0.65);
        plmtex("t", 0.6, 0.5, 0.5, p.caption.c_str());
        plschr(0, 1.0);
    }
    plend();
}

}  // namespace nnkit::plot
