// Unit `alexnet`: torchvision's AlexNet, the homework's named AlexNet, the 2012 paper's
// variant and the course's LeNet as features + classifier, against PyTorch 1.13 /
// torchvision 0.14.1: structure (keys, counts, reprs) and forward + backward on
// pattern weights both sides compute (datasets/cases/alexnet.py explains the pattern).
#include <cmath>
#include <cstdint>

#include <xtensor/xview.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/image.hpp"
#include "nnkit/models/alexnet.hpp"
#include "nnkit/models/lenet_sequential.hpp"
#include "nnkit/nn/dropout.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    out.push_back(text.substr(start));
    return out;
}

std::string joined(const nn::Module& m) {
    std::string s;
    for (const auto& [k, v] : m.module_dict()) s += (s.empty() ? "" : " ") + k;
    return s;
}

void check_names(const std::string& what, const std::vector<std::string>& want, const std::vector<std::string>& got) {
    if (want == got) return;
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    FAIL(what + ": " + std::to_string(want.size()) + " names expected, got " + std::to_string(got.size()) +
         "; first difference at " + std::to_string(i) + ": expected \"" + (i < want.size() ? want[i] : "(end)") +
         "\", got \"" + (i < got.size() ? got[i] : "(end)") + "\"");
}

void check_structure(const std::string& fixture, const nn::Module& net, const nn::Module& features,
                     const nn::Module& classifier) {
    const Fixture f(fixture);
    std::vector<std::string> params, keys;
    std::size_t count = 0;
    for (const auto& [name, p] : net.named_parameters()) {
        params.push_back(name);
        count += p.numel();
    }
    for (const auto& [name, t] : net.state_dict()) keys.push_back(name);
    CHECK(static_cast<long long>(count) == f.int_option("num_parameters"));
    check_names("named_parameters", lines(f.string_option("named_parameters")), params);
    check_names("state_dict keys", lines(f.string_option("state_dict")), keys);
    CHECK(joined(features) == f.string_option("features_keys"));
    CHECK(joined(classifier) == f.string_option("classifier_keys"));
    if (net.repr() != f.string_option("repr"))
        FAIL("repr differs from PyTorch's\n--- expected\n" + f.string_option("repr") + "\n--- got\n" + net.repr());
}

// u(i, j) of datasets/cases/alexnet.py: splitmix64's finalizer, top 24 bits, in [-0.5, 0.5).
double hash_uniform(std::uint64_t i, std::uint64_t j) {
    std::uint64_t z = i * 0x9E3779B97F4A7C15ULL + (j + 1) * 0xD1B54A32D192ED03ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return double(z >> 40) / 16777216.0 - 0.5;
}

void pattern(nn::Module& net) {
    std::uint64_t j = 0;
    for (auto& [name, p] : net.named_parameters()) {
        const double scale = p.dim() > 1 ? std::sqrt(24.0 / double(p.numel() / p.size(0))) : 0.2;
        float* w = p.data().data();
        for (std::size_t i = 0; i < p.numel(); ++i) w[i] = float(scale * hash_uniform(i, j));
        ++j;
    }
}

// crop (3, h, w) at (top, left) of a bundled image
xt::xarray<float> crop(const std::string& file, std::size_t top, std::size_t left, std::size_t h, std::size_t w) {
    const Tensor img = load_image(datasets_dir() + "/images/" + file);
    return xt::view(img.data(), xt::all(), xt::range(top, top + h), xt::range(left, left + w));
}

xt::xarray<float> batch(const std::vector<xt::xarray<float>>& images) {
    xt::xarray<float> b = xt::xarray<float>::from_shape(
        {images.size(), images[0].shape(0), images[0].shape(1), images[0].shape(2)});
    for (std::size_t n = 0; n < images.size(); ++n) xt::view(b, n) = images[n];
    return b;
}

// The case's tolerance (datasets/cases/alexnet.py says why it scales with the array).
void compare(const Fixture& f, const std::string& what, const std::string& array, const xt::xarray<float>& got) {
    NNKIT_CHECK_FIXTURE(f.name() + " " + what, f, array, got);
}

enum class Part { output, gradients };

// `keys`: the fixture's names of the parameters, in order (default: the net's own names).
void check_run(const std::string& fixture, nn::Module& net, const xt::xarray<float>& input, Part part,
               std::vector<std::string> keys = {}) {
    const Fixture f(fixture);
    pattern(net);
    net.eval();
    const Tensor x(input, true);
    const Tensor y = net(x);
    if (part == Part::output) {
        compare(f, "logits", "output", y.data());
        return;
    }
    xt::xarray<float> g = xt::xarray<float>::from_shape(y.data().shape());
    for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = float(std::cos(double(i)));
    y.backward(Tensor(g));
    compare(f, "grad input summed per channel", "grad_input_channel_sums",
            xt::xarray<float>(xt::sum(x.grad().data(), {2, 3})));
    const auto params = net.named_parameters();
    if (keys.empty())
        for (const auto& np : params) keys.push_back(np.first);
    for (std::size_t j = 0; j < params.size(); ++j) {
        const auto& [name, p] = params[j];
        std::string key = "grad_" + keys.at(j);
        for (auto& ch : key)
            if (ch == '.') ch = '_';
        const xt::xarray<float>& gp = p.grad().data();
        if (p.dim() == 1) {
            compare(f, "grad " + name, key, gp);
        } else {
            xt::xarray<float> rows = xt::sum(xt::reshape_view(gp, {gp.shape(0), gp.size() / gp.shape(0)}), {1});
            compare(f, "grad " + name + " summed over each output row", key + "_row_sums", rows);
        }
    }
}

}  // namespace

// ---------------------------------------------------------------- structure

NNKIT_TEST("AlexNet has torchvision's layers: 61,100,840 parameters, keys features.{0,3,6,8,10}, classifier.{1,4,6}, "
           "repr",
           3, "output", "alexnet-layer-by-layer") {
    models::AlexNet net(1000);
    check_structure("alexnet/torchvision", net, *net.features, *net.classifier);
}

NNKIT_TEST("AlexNet(10) has PyTorch's parameter count", 1, "output", "alexnet-layer-by-layer") {
    const Fixture f("alexnet/num_classes_10");
    std::size_t n = 0;
    for (const auto& p : models::AlexNet(10).parameters()) n += p.numel();
    CHECK(static_cast<long long>(n) == f.int_option("num_parameters"));
}

NNKIT_TEST("named AlexNet: features conv1, relu1, pool1, ..., pool3, classifier dropout1, fc1, ..., repr", 3, "output",
           "named-alexnet") {
    models::AlexNetNamed net(1000);
    check_structure("alexnet/named", net, *net.features, *net.classifier);
}


// ---------------------------------------------------------------- forward and backward

NNKIT_TEST("AlexNet forward on a 224x224 image matches PyTorch's logits", 2, "output", "alexnet-layer-by-layer") {
    models::AlexNet net(1000);
    check_run("alexnet/forward_224", net, batch({crop("astronaut.png", 16, 16, 224, 224)}), Part::output);
}

NNKIT_TEST("AlexNet backward on a 224x224 image: input and parameter gradients match PyTorch", 2, "gradient",
           "alexnet-layer-by-layer") {
    models::AlexNet net(1000);
    check_run("alexnet/forward_224", net, batch({crop("astronaut.png", 16, 16, 224, 224)}), Part::gradients);
}

NNKIT_TEST("AlexNet on 95x95 (batch 2): pool3 gives 2x2 and avgpool upsamples to 6x6, as PyTorch", 2, "gradient",
           "adaptive-pooling-in-alexnet") {
    models::AlexNet net(10);
    const auto x = batch({crop("coffee.png", 20, 40, 95, 95), crop("coffee.png", 90, 180, 95, 95)});
    check_run("alexnet/forward_95_batch2", net, x, Part::output);
    check_run("alexnet/forward_95_batch2", net, x, Part::gradients);
}

NNKIT_TEST("AlexNet on 63x63, the smallest input: pool3 gives 1x1, copied 36 times by avgpool", 1, "gradient",
           "adaptive-pooling-in-alexnet") {
    models::AlexNet net(10);
    check_run("alexnet/forward_63", net, batch({crop("astronaut.png", 40, 100, 63, 63)}), Part::gradients);
}

NNKIT_TEST("named AlexNet computes what torchvision's does (same weights, same order)", 2, "output", "named-alexnet") {
    models::AlexNetNamed net(10);
    std::vector<std::string> torchvision_names;
    for (const auto& np : models::AlexNet(10).named_parameters()) torchvision_names.push_back(np.first);
    const auto x = batch({crop("coffee.png", 20, 40, 95, 95), crop("coffee.png", 90, 180, 95, 95)});
    check_run("alexnet/forward_95_batch2", net, x, Part::output);
    check_run("alexnet/forward_95_batch2", net, x, Part::gradients, torchvision_names);
}

NNKIT_TEST("the 2012 AlexNet on 227x227 (LRN after conv1 and conv2) matches PyTorch, names, 60,965,224 parameters",
           1, "gradient", "alexnet-2012") {
    models::AlexNet2012 paper(1000);
    check_structure("alexnet/paper2012", paper, *paper.features, *paper.classifier);
    models::AlexNet2012 net(10);
    const auto x = batch({crop("astronaut.png", 14, 14, 227, 227)});
    check_run("alexnet/paper2012_227", net, x, Part::output);  // (1, 10): flattened from dim 1
    check_run("alexnet/paper2012_227", net, x, Part::gradients);
}

NNKIT_TEST("LeNet as features + classifier, numbered and named: keys, 61,326 parameters, repr, forward, backward",
           2, "gradient", "lenet-as-features-and-classifier") {
    models::LeNetSequential a(2);
    check_structure("alexnet/lenet_sequential", a, *a.features, *a.classifier);
    models::LeNetSequentialOrderDict net(2);
    check_structure("alexnet/lenet_sequential_orderdict", net, *net.features, *net.classifier);
    const auto x = batch({crop("astronaut.png", 100, 200, 32, 32), crop("coffee.png", 50, 60, 32, 32)});
    check_run("alexnet/lenet_sequential_32", net, x, Part::output);
    check_run("alexnet/lenet_sequential_32", net, x, Part::gradients);
    // The numbered LeNet has the same parameters in the same order: same function, same gradients.
    check_run("alexnet/lenet_sequential_32", a, x, Part::output);
    std::vector<std::string> named;  // the fixture's gradients are keyed by the named LeNet's parameters
    for (const auto& np : net.named_parameters()) named.push_back(np.first);
    check_run("alexnet/lenet_sequential_32", a, x, Part::gradients, named);
}

NNKIT_TEST("AlexNet in training mode drops: two forwards differ, eval() makes them equal", 1, "property",
           "dropout-in-alexnet") {
    models::AlexNet net(10);
    pattern(net);
    const Tensor x(batch({crop("coffee.png", 20, 40, 95, 95)}));
    NoGradGuard no_grad;
    const Tensor a = net(x), b = net(x);
    if (a.data() == b.data()) FAIL("two training-mode forwards gave equal logits: is Dropout active in train()?");
    net.eval();
    const Tensor c = net(x), d = net(x);
    NNKIT_CHECK_CLOSE("eval forwards", c.data(), d.data());
    for (const auto& m : net.modules())
        if (std::dynamic_pointer_cast<nn::Dropout>(m) && m->is_training()) FAIL("a Dropout is still training after eval()");
}

NNKIT_TEST("AlexNet rejects an input smaller than 63x63 (pool3 would be empty)", 1, "error", "alexnet-layer-by-layer") {
    models::AlexNet net(10);
    net.eval();
    NoGradGuard no_grad;
    CHECK_THROWS(net(Tensor(xt::zeros<float>({1, 3, 40, 40}))));
}

NNKIT_TEST("the dropout argument reaches every Dropout of AlexNet, the named AlexNet and the 2012 AlexNet", 1,
           "output", "dropout-in-alexnet") {
    // torchvision: AlexNet(num_classes=10, dropout=0.2) has Dropout(p=0.2) at classifier 0 and 3.
    models::AlexNet a(10, 0.2);
    models::AlexNetNamed b(10, 0.2);
    models::AlexNet2012 c(10, 0.2);
    for (nn::Module* net : std::initializer_list<nn::Module*>{&a, &b, &c}) {
        int dropouts = 0;
        for (const auto& [name, m] : net->named_modules()) {
            if (const auto d = std::dynamic_pointer_cast<nn::Dropout>(m)) {
                ++dropouts;
                if (d->repr() != "Dropout(p=0.2, inplace=False)")
                    FAIL(net->type_name() + "(10, dropout=0.2): " + name + " is " + d->repr());
            }
        }
        if (dropouts != 2) FAIL(net->type_name() + " has " + std::to_string(dropouts) + " Dropout modules, expected 2");
    }
}

NNKIT_TEST("every AlexNet and LeNet forward calls its children as modules (self.features(x)), so their hooks run", 1,
           "property", "alexnet-layer-by-layer") {
    // Calling features->forward(x) directly skips the hooks, as self.features.forward(x) would in PyTorch.
    const auto check = [](const std::string& model, nn::Module& net, const std::vector<std::pair<std::string, nn::Module*>>& children,
                          const Shape& input) {
        std::vector<std::string> calls;
        std::vector<nn::RemovableHandle> handles;
        for (const auto& [name, child] : children)
            handles.push_back(child->register_forward_hook(
                [&calls, n = name](nn::Module&, const Tensor&, const Tensor&) { calls.push_back(n); }));
        net.eval();
        net(zeros(input));
        std::string got, want;
        for (const auto& c : calls) got += (got.empty() ? "" : " ") + c;
        for (const auto& c : children) want += (want.empty() ? "" : " ") + c.first;
        if (got != want)
            FAIL(model + ": forward hooks ran for [" + got + "], expected [" + want + "]: call each child as (*features)(x)");
    };
    models::AlexNet alex(10);
    check("AlexNet", alex, {{"features", alex.features.get()}, {"avgpool", alex.avgpool.get()},
                            {"classifier", alex.classifier.get()}}, {1, 3, 63, 63});
    models::AlexNetNamed named(10);
    check("AlexNetNamed", named, {{"features", named.features.get()}, {"avgpool", named.avgpool.get()},
                                  {"classifier", named.classifier.get()}}, {1, 3, 63, 63});
    models::AlexNet2012 old(10);
    check("AlexNet2012", old, {{"features", old.features.get()}, {"classifier", old.classifier.get()}}, {1, 3, 227, 227});
    models::LeNetSequential lenet(10);
    check("LeNetSequential", lenet, {{"features", lenet.features.get()}, {"classifier", lenet.classifier.get()}},
          {1, 3, 32, 32});
    models::LeNetSequentialOrderDict lenet_named(10);
    check("LeNetSequentialOrderDict", lenet_named,
          {{"features", lenet_named.features.get()}, {"classifier", lenet_named.classifier.get()}}, {1, 3, 32, 32});
}
