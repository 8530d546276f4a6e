// A maintainers' check of nnkit/plot.hpp (CTest "plot: ..."): each input it cannot draw is
// refused with std::invalid_argument before a file is written, and a NaN draws as a gap or a
// red pixel instead of failing. Exits non-zero on the first surprise.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>

#include "nnkit/plot.hpp"

using namespace nnkit;
namespace fs = std::filesystem;

namespace {

int failures = 0;

void refuses(const std::string& what, const std::string& path, const std::string& words, const std::function<void()>& f) {
    fs::remove(path);
    try {
        f();
        std::cout << "FAIL " << what << ": drew it\n";
        ++failures;
    } catch (const std::invalid_argument& e) {
        if (std::string(e.what()).find(words) == std::string::npos || fs::exists(path)) {
            std::cout << "FAIL " << what << ": " << e.what() << (fs::exists(path) ? " (and wrote the file)" : "") << "\n";
            ++failures;
        }
    }
}

void draws(const std::string& what, const std::string& path, const std::function<void()>& f) {
    fs::remove(path);
    f();
    char head[4] = {};
    if (std::FILE* in = std::fopen(path.c_str(), "rb")) {
        if (std::fread(head, 1, 4, in) != 4) head[0] = 0;
        std::fclose(in);
    }
    if (std::string(head + 1, 3) != "PNG") {
        std::cout << "FAIL " << what << ": no PNG at " << path << "\n";
        ++failures;
    }
}

}  // namespace

int main() {
    const std::string png = (fs::temp_directory_path() / "nnkit-plot-check.png").string();
    const double nan = std::nan("");
    const plot::Series ok{"ok", {0, 1, 2}, {1, 2, 3}};
    refuses("x and y of different lengths", png, "has 3 x values and 2 y values",
            [&] { plot::lines(png, {{"t", "x", "y"}, {{"bad", {0, 1, 2}, {1, 2}}}}); });
    refuses("13 series", png, "at most 12 series, got 13",
            [&] { plot::lines(png, {{"t", "x", "y"}, std::vector<plot::Series>(13, ok)}); });
    refuses("a page of 0 pixels", png, "16 to 10000 pixels, got 0 x 540", [&] { plot::lines(png, {{}, {ok}}, 0, 540); });
    refuses("a panel with a bad series among good ones", png, "has 3 x values and 1 y values", [&] {
        plot::panels(png, {{{}, {ok}}, {{}, {{"bad", {0, 1, 2}, {1}}}}}, 2, 800, 400);
    });
    refuses("a ragged matrix", png, "every row must have 2 cells",
            [&] { plot::matrix(png, {}, {{1, 2}, {3}}, {"a", "b"}, {"a", "b"}); });
    refuses("a negative count", png, "finite and >= 0", [&] { plot::matrix(png, {}, {{1, -2}}, {"a"}, {"a", "b"}); });
    refuses("a NaN count", png, "finite and >= 0", [&] { plot::matrix(png, {}, {{1, nan}}, {"a"}, {"a", "b"}); });
    refuses("names that do not match", png, "the names must match", [&] { plot::matrix(png, {}, {{1}}, {"a", "b"}, {"a"}); });
    refuses("a picture of the wrong size", png, "is not (1 or 3, H, W) pixels", [&] {
        plot::pictures(png, "t", {plot::Picture{std::vector<float>(5), 1, 2, 3, "small"}}, 1);
    });
    refuses("two channels", png, "is not (1 or 3, H, W) pixels",
            [&] { plot::pictures(png, "t", {plot::Picture{std::vector<float>(8), 2, 2, 2, "two"}}, 1); });
    refuses("a cell of 4 pixels", png, "at least 16 pixels, got 4",
            [&] { plot::pictures(png, "t", {plot::Picture{std::vector<float>(4), 1, 2, 2, "p"}}, 1, 4); });
    // NaN is drawn: a gap in a curve, a red pixel in a picture (a broken unit's output, shown).
    draws("a curve through NaN", png, [&] { plot::lines(png, {{"t", "x", "y"}, {{"nan", {0, 1, 2, 3}, {1, nan, 2, 3}}}}); });
    draws("a picture with NaN", png,
          [&] { plot::pictures(png, "t", {plot::Picture{{0.f, float(nan), 1.f, 0.5f}, 1, 2, 2, "nan"}}, 1); });
    fs::remove(png);
    std::cout << (failures ? "plot: UNEXPECTED results\n" : "plot: every bad input refused, NaN drawn\n");
    return failures ? 1 : 0;
}
