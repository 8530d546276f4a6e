// PNG plots with axes, ticks, labels and legends, drawn by PLplot (its cairo driver, DejaVu
// fonts): the training curves, confusion matrix and image grids of ./kit train, and lesson 4's
// pictures. Plain std::vector in, so this header needs neither xtensor nor PLplot.
//
//   plot::lines("loss.png", {"Training loss", "step", "loss"}, {{"per step", steps, losses}});
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nnkit::plot {

struct Rgb {
    int r, g, b;  // 0..255
};
inline constexpr Rgb kBlue{31, 119, 180}, kOrange{255, 127, 14}, kGreen{44, 160, 44}, kGrey{150, 150, 150};

struct Axes {
    std::string title, xlabel, ylabel;
};

// One curve: y against x, same length. `points` draws a dot at each (x, y) and no line.
struct Series {
    std::string label;
    std::vector<double> x, y;
    Rgb colour = kBlue;
    bool points = false;
};

enum class Corner { top_left, top_right, bottom_left, bottom_right };

// A panel of curves. The ranges are the data's unless given (min < max); the legend (of the
// series with a label) goes in the corner the curves leave free.
struct Panel {
    Axes axes;
    std::vector<Series> series;
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    Corner legend = Corner::bottom_right;
};

// A picture: (channels, height, width) row-major, channels 1 (grey) or 3 (RGB). A grey picture
// is shown from black at its smallest value to white at its largest (a filter's weights, a
// feature map); an RGB one's values are clamped to [0, 1]. A NaN or infinite pixel shows red.
struct Picture {
    std::vector<float> pixels;
    std::size_t channels = 1, height = 0, width = 0;
    std::string caption;
};

// Each call writes one PNG of width x height pixels (16 to 10000 each). It throws
// std::invalid_argument for inputs it cannot draw (before it writes anything) and
// std::runtime_error when it cannot write the file. A curve's NaN or infinite points leave a gap.
// At most 12 series per panel.
void lines(const std::string& path, const Panel& panel, int width = 900, int height = 540);
// Panels in a grid of `columns`, each with its own title, axes and legend.
void panels(const std::string& path, const std::vector<Panel>& panels, int columns, int width, int height);
// A matrix of counts (finite, >= 0; every row as long) as a heat map, each cell labelled with its
// count; rows are drawn top down.
void matrix(const std::string& path, const Axes& axes, const std::vector<std::vector<double>>& m,
            const std::vector<std::string>& row_names, const std::vector<std::string>& column_names,
            int width = 900, int height = 820);
// Pictures in a grid of `columns`, each with its caption above it; an empty Picture{} leaves its
// cell blank (to start a row).
void pictures(const std::string& path, const std::string& title, const std::vector<Picture>& pictures, int columns,
              int cell = 120);

}  // namespace nnkit::plot
