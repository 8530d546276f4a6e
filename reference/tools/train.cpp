// nnkit-train: lesson 5's LeNet-5 (or AlexNet28, AlexNet sized for 28x28) trained on
// Fashion-MNIST, with the reference's units or (nnkit-train-student) the student's own. Run
// through ./kit train.
//
//   nnkit-train [--model lenet|alexnet] [--epochs N] [--batch B] [--lr LR] [--momentum M]
//               [--seed S] [--limit N] [--step-size N] [--gamma G] [--checkpoint DIR] [--resume]
//               [--plots DIR]
//
// --step-size N multiplies the learning rate by --gamma every N epochs (optim::StepLR; by default
// 0.5 every 2 epochs, --step-size 0 keeps it constant).
// Seeded and reproducible: the seed fixes the initial weights and every epoch's shuffle.
// After each epoch it writes a checkpoint (the model's state_dict and SGD's momentum buffers
// as .npy files, the epoch, and the loss and accuracy so far) that --resume continues from.
// At the end it draws what the network learned into --plots (PNG files, nnkit/plot.hpp).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "nnkit/data.hpp"
#include "nnkit/models/alexnet28.hpp"
#include "nnkit/models/lenet5.hpp"
#include "nnkit/nn/loss.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/optim.hpp"
#include "nnkit/plot.hpp"

using namespace nnkit;
namespace fs = std::filesystem;

namespace {

struct Settings {
    std::string model = "lenet";  // or "alexnet"
    int epochs = 5;
    std::size_t batch = 64, limit = 0;
    // The learning rate halves every 2 epochs: LeNet-5 reaches 89.9% after 5 epochs, where a
    // constant 0.05 stays near 88% (lesson 5, "Training").
    double lr = NAN, momentum = 0.9, gamma = 0.5;  // lr: the model's own unless --lr is given
    std::size_t step_size = 2;  // 0: a constant learning rate
    std::uint64_t seed = 0;
    std::string checkpoint = "build/train/checkpoint", plots = "build/train/plots";
    bool resume = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "nnkit-train: " << message << "\n";
    std::exit(2);
}

// An option's number, or exit 2 naming the option and its rule: "--epochs must be a whole
// number >= 1, got '0'". std::stoi alone would take "3x" as 3 and "-1" as a huge size_t.
// above: the number must be greater than min, not equal to it.
double number(const std::string& option, const std::string& text, double min, bool whole, bool above = false) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const bool ok = used == text.size() && std::isfinite(v) && (above ? v > min : v >= min) &&
                    (!whole || (v == std::floor(v) && v <= 9.0e15));
    if (!ok) {
        char rule[64] = "a number";
        if (std::isfinite(min))
            std::snprintf(rule, sizeof rule, "%s %s %g", whole ? "a whole number" : "a number", above ? ">" : ">=", min);
        usage_error(option + " must be " + rule + ", got '" + text + "'");
    }
    return v;
}

Settings parse(int argc, char** argv) {
    Settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(a + " needs a value");
            return argv[++i];
        };
        // --lr and --momentum below 0 reach SGD's own check, which says it in PyTorch's words.
        if (a == "--model") {
            s.model = value();
            if (s.model != "lenet" && s.model != "alexnet")
                usage_error("--model must be lenet or alexnet, got '" + s.model + "'");
        } else if (a == "--epochs") s.epochs = int(number(a, value(), 1, true));
        else if (a == "--batch") s.batch = std::size_t(number(a, value(), 1, true));
        else if (a == "--lr") s.lr = number(a, value(), -HUGE_VAL, false);
        else if (a == "--momentum") s.momentum = number(a, value(), -HUGE_VAL, false);
        else if (a == "--seed") s.seed = std::uint64_t(number(a, value(), 0, true));
        else if (a == "--limit") s.limit = std::size_t(number(a, value(), 0, true));
        else if (a == "--checkpoint") s.checkpoint = value();
        else if (a == "--step-size") s.step_size = std::size_t(number(a, value(), 0, true));
        else if (a == "--gamma") s.gamma = number(a, value(), 0, false, /*above=*/true);
        else if (a == "--resume") s.resume = true;
        else if (a == "--plots") s.plots = value();
        else usage_error("unknown option " + a);
    }
    return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// "epoch 2/5  [#########.........]  412/938  3810 img/s  loss 0.4312  ETA 7 s", redrawn in place.
void progress(int epoch, int epochs, std::size_t done, std::size_t total, double img_per_s, double loss, double eta) {
    const int width = 24, filled = int(width * double(done) / double(total));
    std::printf("\r  epoch %d/%d  [%s%s]  %zu/%zu  %5.0f img/s  loss %.4f  ETA %3.0f s ", epoch, epochs,
                std::string(std::size_t(filled), '#').c_str(), std::string(std::size_t(width - filled), '.').c_str(),
                done, total, img_per_s, loss, eta);
    std::fflush(stdout);
}

// ---------------------------------------------------------------- the two networks

// What the loop needs of a network beyond forward(): its name, its first convolution's weight
// (the filters drawn), and one image's feature maps after each convolution (+ReLU) and pooling.
struct Network {
    std::string name;
    std::shared_ptr<nn::Module> module;
    Tensor conv1_weight;
    double lr;  // the learning rate it trains with by default
    std::function<std::vector<std::pair<std::string, Tensor>>(const Tensor&)> feature_maps;
};

Network lenet() {
    auto net = std::make_shared<models::LeNet5>(10);
    auto maps = [net](const Tensor& x) {
        const Tensor c1 = F::relu((*net->conv1)(x)), p1 = F::max_pool2d(c1, nn::MaxPool2dOptions(2));
        const Tensor c2 = F::relu((*net->conv2)(p1)), p2 = F::max_pool2d(c2, nn::MaxPool2dOptions(2));
        return std::vector<std::pair<std::string, Tensor>>{{"conv1", c1}, {"pool1", p1}, {"conv2", c2}, {"pool2", p2}};
    };
    return {"LeNet-5", net, net->conv1->weight, 0.05, maps};
}

Network alexnet() {
    auto net = std::make_shared<models::AlexNet28>(10);
    // Layer by layer through `features`, keeping what comes out of each ReLU and each pool.
    auto maps = [net](const Tensor& x) {
        std::vector<std::pair<std::string, Tensor>> out;
        Tensor h = x;
        std::string conv;
        for (const auto& [name, layer] : net->features->named_children()) {
            h = (*layer)(h);
            if (name.rfind("conv", 0) == 0) conv = name;
            if (name.rfind("relu", 0) == 0) out.emplace_back(conv, h);
            if (name.rfind("pool", 0) == 0) out.emplace_back(name, h);
        }
        return out;
    };
    const auto conv1 = std::dynamic_pointer_cast<nn::Conv2d>(net->features->named_children().front().second);
    // lr 0.01, the cautious end of a flat range: 0.01, 0.02 and 0.05 end within a point of each
    // other after 5 epochs (lesson 5, "A deeper network").
    return {"AlexNet28", net, conv1->weight, 0.01, maps};
}

// Predicted classes of every image, 1000 at a time, in eval mode (dropout off) and without
// recording a graph; the mode the network was in comes back afterwards.
Labels predict(nn::Module& net, const Tensor& images) {
    NoGradGuard no_grad;
    const bool training = net.is_training();
    net.eval();
    const std::size_t n = images.size(0);
    Labels out = Labels::from_shape({n});
    data::DataLoader loader(images, Labels(xt::zeros<std::int64_t>({n})), 1000);
    std::size_t at = 0;
    for (std::size_t k = 0; k < loader.size(); ++k) {
        const Array logits = net.forward(loader.batch(k).images).data();
        for (std::size_t i = 0; i < logits.shape(0); ++i, ++at) {
            std::size_t best = 0;
            for (std::size_t c = 1; c < logits.shape(1); ++c)
                if (logits(i, c) > logits(i, best)) best = c;
            out(at) = std::int64_t(best);
        }
    }
    net.train(training);
    return out;
}

// What the run has seen so far: every step's loss (x in epochs) and each epoch's test accuracy.
struct History {
    std::vector<double> step_x, step_loss, running_loss, epoch, test_accuracy;

    void save(const std::string& dir) const {
        std::ofstream steps(dir + "/steps.tsv"), epochs(dir + "/epochs.tsv");
        steps.precision(17);
        epochs.precision(17);
        for (std::size_t i = 0; i < step_x.size(); ++i)
            steps << step_x[i] << "\t" << step_loss[i] << "\t" << running_loss[i] << "\n";
        for (std::size_t i = 0; i < epoch.size(); ++i) epochs << epoch[i] << "\t" << test_accuracy[i] << "\n";
    }
    void load(const std::string& dir) {
        std::ifstream steps(dir + "/steps.tsv"), epochs(dir + "/epochs.tsv");
        for (double x, l, r; steps >> x >> l >> r;) step_x.push_back(x), step_loss.push_back(l), running_loss.push_back(r);
        for (double e, a; epochs >> e >> a;) epoch.push_back(e), test_accuracy.push_back(a);
    }
};

void save_checkpoint(const std::string& dir, int epoch, const Network& net, const optim::SGD& opt,
                     const History& history) {
    fs::create_directories(dir);
    history.save(dir);
    std::ofstream(dir + "/model.txt") << net.name << "\n";
    for (const auto& [name, t] : net.module->state_dict()) save_npy(t, dir + "/" + name + ".npy");
    for (std::size_t i = 0; i < opt.params().size(); ++i)
        if (opt.momentum_buffer(i).size() != 0)
            save_npy(Tensor(opt.momentum_buffer(i)), dir + "/momentum_buffer." + std::to_string(i) + ".npy");
    std::ofstream(dir + "/epoch.txt") << epoch << "\n";
}

// ---------------------------------------------------------------- plots

// Plane k of a (C, H, W) array as a grey picture.
plot::Picture plane(const Array& a, std::size_t k, const std::string& caption) {
    const std::size_t H = a.shape(1), W = a.shape(2);
    plot::Picture p;
    p.height = H;
    p.width = W;
    p.caption = caption;
    p.pixels.assign(a.data() + k * H * W, a.data() + (k + 1) * H * W);
    return p;
}

// The first `count` planes of a (1, C, H, W) activation, captioned "<layer> 0", then "1", "2", ...
// (a whole name over every one of 16 narrow cells runs into its neighbours).
std::vector<plot::Picture> planes(const Tensor& t, const std::string& layer, std::size_t count) {
    const Array a = xt::eval(xt::view(t.data(), 0));
    std::vector<plot::Picture> out;
    for (std::size_t k = 0; k < count; ++k) out.push_back(plane(a, k, k == 0 ? layer + " 0" : std::to_string(k)));
    return out;
}

// Writes the six pictures of what the run learned and returns their paths.
std::vector<std::string> draw(const std::string& dir, const Network& net, const History& h, const Tensor& images,
                              const Labels& labels, const Labels& predicted,
                              const std::vector<std::vector<std::size_t>>& confusion) {
    fs::create_directories(dir);
    std::vector<std::string> paths;
    auto out = [&](const std::string& name) { return paths.emplace_back(dir + "/" + name); };
    const auto& names = data::FashionMNIST::kClasses;

    plot::lines(out("loss.png"), {{"Training loss (cross-entropy)", "epoch", "loss"},
                                  {{"each step", h.step_x, h.step_loss, plot::kGrey},
                                   {"running mean (0.98)", h.step_x, h.running_loss, plot::kBlue}}});
    plot::lines(out("accuracy.png"), {{"Test accuracy after each epoch", "epoch", "accuracy (%)"},
                                      {{"test set (10,000 images)", h.epoch, h.test_accuracy, plot::kGreen},
                                       {"", h.epoch, h.test_accuracy, plot::kGreen, true}}});

    std::vector<std::vector<double>> counts(10, std::vector<double>(10));
    for (std::size_t i = 0; i < 10; ++i)
        for (std::size_t j = 0; j < 10; ++j) counts[i][j] = double(confusion[i][j]);
    const std::vector<std::string> classes(std::begin(names), std::end(names));
    plot::matrix(out("confusion.png"), {"Confusion matrix (test set)", "predicted class", "true class"}, counts,
                 classes, classes);

    // conv1's weight (C, 1, k, k): what the first layer looks for.
    const Array w = xt::eval(xt::view(net.conv1_weight.data(), xt::all(), 0));
    std::vector<plot::Picture> filters;
    for (std::size_t k = 0; k < w.shape(0); ++k) filters.push_back(plane(w, k, "filter " + std::to_string(k)));
    const std::string k = std::to_string(w.shape(1));
    plot::pictures(out("conv1_filters.png"),
                   "conv1's " + std::to_string(w.shape(0)) + " learned " + k + "x" + k + " filters", filters,
                   int(std::min<std::size_t>(w.shape(0), 8)), 110);

    // One test image through the feature extractor, 16 cells to a row: the image alone, then each
    // layer's planes (its first 16 if it has more), beside the layer before when both fit in a
    // row with two blank cells between them.
    {
        NoGradGuard no_grad;
        const bool training = net.module->is_training();
        net.module->eval();
        const Tensor x(xt::eval(xt::view(images.data(), xt::range(0, 1))));
        const auto layers = net.feature_maps(x);
        net.module->train(training);
        constexpr std::size_t row = 16;
        // The image in the second cell: its class name, centred over it, would not fit over the first.
        std::vector<plot::Picture> maps(1);
        maps.push_back(plane(xt::eval(xt::view(x.data(), 0)), 0, names[std::size_t(labels(0))]));
        maps.resize(row);
        std::string title = "One test image after ";
        bool capped = false;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto& [name, t] = layers[i];
            const std::size_t shown = std::min(t.size(1), row), used = maps.size() % row;
            if (used != 0 && used + 2 + shown <= row) maps.resize(maps.size() + 2);
            else maps.resize((maps.size() + row - 1) / row * row);
            for (auto& p : planes(t, name, shown)) maps.push_back(std::move(p));
            capped |= shown < t.size(1);
            const bool conv = name.rfind("conv", 0) == 0;
            title += (i ? ", " : "") + name + (conv ? "+ReLU (" : " (") + std::to_string(t.size(1)) + ", " +
                     std::to_string(t.size(2)) + ", " + std::to_string(t.size(3)) + ")";
        }
        // A long list of layers goes in the captions instead of the title.
        if (capped) title = "One test image after each convolution (+ReLU) and pooling layer: its first 16 channels";
        plot::pictures(out("feature_maps.png"), title, maps, int(row), 80);
    }

    // The first 32 test images the network gets wrong.
    std::vector<plot::Picture> wrong;
    const Array all = images.data();
    for (std::size_t i = 0; i < predicted.size() && wrong.size() < 32; ++i)
        if (predicted(i) != labels(i)) {
            const Array one = xt::eval(xt::view(all, i));
            wrong.push_back(plane(one, 0, std::string(names[std::size_t(labels(i))]) + " \u2192 " + names[std::size_t(predicted(i))]));
        }
    if (!wrong.empty())
        plot::pictures(out("misclassified.png"), "Misclassified test images: true class \u2192 predicted", wrong, 8, 150);
    return paths;
}

}  // namespace

int train(Settings s) {
    std::printf("loading Fashion-MNIST from %s\n", data::FashionMNIST::kDefaultDir);
    const auto train = data::FashionMNIST::load(true, data::FashionMNIST::kDefaultDir, s.limit);
    const auto test = data::FashionMNIST::load(false);

    manual_seed(s.seed);  // the initial weights
    const Network net = s.model == "alexnet" ? alexnet() : lenet();
    s.lr = std::isnan(s.lr) ? net.lr : s.lr;
    optim::SGD opt(net.module->parameters(), SGDOptions(s.lr).momentum(s.momentum));
    nn::CrossEntropyLoss loss;
    int first_epoch = 1;
    History history;
    if (s.resume) {
        std::ifstream in(s.checkpoint + "/epoch.txt");
        int done = 0;
        if (!(in >> done)) {
            std::cerr << "nnkit-train: no checkpoint in " << s.checkpoint << " to resume from\n";
            return 2;
        }
        std::string saved = "LeNet-5";  // checkpoints older than --model hold LeNet-5
        std::ifstream(s.checkpoint + "/model.txt") >> saved;
        if (saved != net.name) {
            std::cerr << "nnkit-train: the checkpoint in " << s.checkpoint << " holds " << saved << ", not " << net.name
                      << " (--model " << s.model << "); give --checkpoint another folder or the model it holds\n";
            return 2;
        }
        nn::StateDict state;
        for (const auto& [name, t] : net.module->state_dict())
            state.set(name, load_npy(s.checkpoint + "/" + name + ".npy"));
        net.module->load_state_dict(state);
        for (std::size_t i = 0; i < opt.params().size(); ++i) {
            const std::string path = s.checkpoint + "/momentum_buffer." + std::to_string(i) + ".npy";
            if (fs::exists(path)) opt.set_momentum_buffer(i, load_npy(path).data());
        }
        history.load(s.checkpoint);
        std::printf("resuming after epoch %d from %s\n", done, s.checkpoint.c_str());
        first_epoch = done + 1;
    }
    std::unique_ptr<optim::StepLR> schedule;
    if (s.step_size > 0) {
        schedule = std::make_unique<optim::StepLR>(opt, s.step_size, s.gamma);
        for (int e = 1; e < first_epoch; ++e) schedule->step();  // where a resumed run's schedule stands
    }
    // Each epoch's shuffle comes from its own seed, (seed, epoch): a resumed run sees the same
    // batches as one that never stopped.
    Generator shuffle(s.seed);
    data::DataLoader loader(train.images, train.labels, s.batch, /*shuffle=*/true, /*drop_last=*/false, &shuffle);
    const bool tty = isatty(1);
    std::printf("%s, %zu parameters; SGD lr %g momentum %g", net.name.c_str(), [&] {
        std::size_t n = 0;
        for (const auto& p : net.module->parameters()) n += p.numel();
        return n;
    }(), s.lr, s.momentum);
    if (schedule) std::printf(" (StepLR: x%g every %zu epochs)", s.gamma, s.step_size);
    std::printf(", batch %zu, %zu training images, seed %llu\n", s.batch, train.labels.size(), (unsigned long long)s.seed);
    for (int epoch = first_epoch; epoch <= s.epochs; ++epoch) {
        shuffle.manual_seed(s.seed * 1000003 + std::uint64_t(epoch));
        // Dropout's masks come from the default generator: seeded per epoch too, for --resume.
        manual_seed(s.seed * 1000003 + std::uint64_t(epoch) + 500000);
        loader.start_epoch();
        const auto t0 = std::chrono::steady_clock::now();
        double running = 0;
        for (std::size_t k = 0; k < loader.size(); ++k) {
            const data::Batch b = loader.batch(k);
            opt.zero_grad();
            Tensor l = loss.forward((*net.module)(b.images), b.labels);
            l.backward();
            opt.step();
            running = k == 0 ? l.item() : 0.98 * running + 0.02 * l.item();
            history.step_x.push_back(double(epoch - 1) + double(k + 1) / double(loader.size()));
            history.step_loss.push_back(l.item());
            // The plotted mean runs on across epochs (and a resumed run) rather than restarting.
            history.running_loss.push_back(history.running_loss.empty() ? l.item()
                                                                        : 0.98 * history.running_loss.back() + 0.02 * l.item());
            if (tty && (k % 10 == 0 || k + 1 == loader.size())) {
                const double t = seconds_since(t0), rate = double((k + 1) * s.batch) / t;
                progress(epoch, s.epochs, k + 1, loader.size(), rate, running, t / double(k + 1) * double(loader.size() - k - 1));
            }
        }
        const double t = seconds_since(t0);
        const Labels predicted = predict(*net.module, test.images);
        std::size_t right = 0;
        for (std::size_t i = 0; i < predicted.size(); ++i) right += predicted(i) == test.labels(i);
        if (tty) std::printf("\r\033[K");
        const double accuracy = 100.0 * double(right) / double(predicted.size());
        std::printf("epoch %d/%d: %.1f s (%.0f img/s), running loss %.4f, test accuracy %.2f%%\n", epoch, s.epochs, t,
                    double(train.labels.size()) / t, running, accuracy);
        history.epoch.push_back(epoch);
        history.test_accuracy.push_back(accuracy);
        save_checkpoint(s.checkpoint, epoch, net, opt, history);
        if (schedule) schedule->step();  // once per epoch, after its steps, as PyTorch's loop does
    }
    // Per class: where the network is sure, and where it confuses (Shirt with T-shirt, Coat, Pullover).
    const Labels predicted = predict(*net.module, test.images);
    std::vector<std::vector<std::size_t>> confusion(10, std::vector<std::size_t>(10, 0));
    for (std::size_t i = 0; i < predicted.size(); ++i) ++confusion[std::size_t(test.labels(i))][std::size_t(predicted(i))];
    std::printf("\nper class (test set): accuracy, then the confusion matrix row (true class -> predicted)\n");
    for (std::size_t c = 0; c < 10; ++c) {
        std::size_t total = 0;
        for (std::size_t p = 0; p < 10; ++p) total += confusion[c][p];
        std::printf("  %-12s %5.1f%%  ", data::FashionMNIST::kClasses[c], 100.0 * double(confusion[c][c]) / double(total));
        for (std::size_t p = 0; p < 10; ++p) std::printf("%5zu", confusion[c][p]);
        std::printf("\n");
    }
    std::printf("checkpoint: %s (./kit train --resume continues from it)\n", s.checkpoint.c_str());
    std::printf("plots:\n");
    for (const auto& path : draw(s.plots, net, history, test.images, test.labels, predicted, confusion))
        std::printf("  %s\n", path.c_str());
    return 0;
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each epoch's line as it comes, also into a pipe or a log
    const Settings s = parse(argc, argv);
    try {
        return train(s);
    } catch (const std::exception& e) {  // a stub not written yet, a missing data set, ...
        std::fprintf(stderr, "\nnnkit-train: %s\n", e.what());
        return 1;
    }
}
