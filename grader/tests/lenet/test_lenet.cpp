// Unit `lenet`: the course's LeNet against PyTorch (fixtures lenet/*):
// repr, names, state_dict keys, parameter count, forward and backward on
// pattern weights, a state_dict round trip, and homework 1's registration order.
#include <sstream>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/models/lenet.hpp"

using namespace nnkit;
using namespace nnkit::grading;
using models::LeNet;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string joined(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += n + "\n";
    return s;
}

// t.flat[i] = scale·((i mod 7) − 3), as pattern_ in datasets/cases/lenet.py.
void pattern(Tensor t, float scale) {
    std::size_t i = 0;
    for (auto& v : t.data()) v = scale * float(int(i++ % 7) - 3);
}

}  // namespace

NNKIT_TEST("LeNet(2) prints exactly as PyTorch prints the course's LeNet", 2, "output", "building-a-model") {
    const std::string want = Fixture("lenet/structure").string_option("repr"), got = LeNet(2).repr();
    if (want != got) FAIL("--- expected (PyTorch):\n" << want << "\n--- got:\n" << got);
}

NNKIT_TEST("LeNet(2) has 61,326 parameters under PyTorch's names, in PyTorch's order", 2, "output",
           "building-a-model") {
    const Fixture f("lenet/structure");
    LeNet net(2);
    std::vector<std::string> names;
    std::size_t count = 0;
    for (const auto& [name, p] : net.named_parameters()) {
        names.push_back(name);
        count += p.numel();
    }
    CHECK(joined(names) == joined(lines_of(f.string_option("named_parameters"))));
    CHECK(count == std::size_t(f.int_option("num_parameters")));
    std::size_t count10 = 0;
    for (const auto& p : LeNet(10).parameters()) count10 += p.numel();
    CHECK(count10 == std::size_t(f.int_option("num_parameters_10")));
}

NNKIT_TEST("LeNet's state_dict keys equal PyTorch's, and a round trip restores every value", 1, "output",
           "building-a-model") {
    const Fixture f("lenet/structure");
    manual_seed(1);
    LeNet a(2);
    manual_seed(2);
    LeNet b(2);
    CHECK(joined(a.state_dict().keys()) == joined(lines_of(f.string_option("state_dict"))));
    b.load_state_dict(a.state_dict());
    for (const auto& [key, value] : a.state_dict())
        NNKIT_CHECK_CLOSE("value of " + key, value.data(), b.state_dict().get(key)->data());
}

NNKIT_TEST("LeNet forward and backward match PyTorch on pattern weights", 3, "gradient", "building-a-model") {
    const Fixture f("lenet/forward_backward");
    LeNet net(2);
    for (auto& [name, p] : net.named_parameters()) pattern(p, name.size() > 6 && name.substr(name.size() - 6) == "weight" ? 0.01f : 0.005f);
    Tensor x(f.f32("input"), true);
    Tensor y = net(x);
    NNKIT_CHECK_FIXTURE("LeNet output", f, "output", y.data());
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_FIXTURE("x.grad", f, "grad_input", x.grad().data());
    for (const auto& [name, p] : net.named_parameters()) {
        std::string key = "grad_" + name;
        for (auto& c : key)
            if (c == '.') c = '_';
        NNKIT_CHECK_FIXTURE(name + ".grad", f, key, p.grad().data());
    }
}

NNKIT_TEST("homework 1: construction fills the registries in PyTorch's order (children before the parent)", 2,
           "output", "homework-1") {
    std::vector<std::string> got;
    for (const auto& e : models::lenet_registration_order(2)) got.push_back(e.owner + " " + e.kind + " " + e.name);
    const auto want = lines_of(Fixture("lenet/structure").string_option("registration_order"));
    if (got != want) FAIL("--- expected (PyTorch):\n" << joined(want) << "--- got:\n" << joined(got));
}

NNKIT_TEST("homework 1: a RegistrationRecorder records only while it lives", 1, "property", "homework-1") {
    {
        models::RegistrationRecorder r;
        nn::Module m("M");
        m.register_buffer("b", zeros({1}));
        REQUIRE(r.events().size() == 1);
        CHECK(r.events()[0] == (models::Registration{"M", "buffer", "b"}));
    }
    models::RegistrationRecorder outer;
    {
        models::RegistrationRecorder inner;
    }
    nn::Module m("M");
    m.register_parameter("w", Tensor());
    CHECK(outer.events().size() == 1);  // the inner recorder gave the listener back
}

NNKIT_TEST("LeNet's forward calls each layer as a module (self.conv1(x)), so the layers' hooks run", 1, "property",
           "building-a-model") {
    // Calling conv1->forward(x) directly skips the hooks, as self.conv1.forward(x) would in PyTorch.
    LeNet net(2);
    std::vector<std::string> calls;
    const std::vector<std::pair<std::string, nn::Module*>> layers = {
        {"conv1", net.conv1.get()}, {"conv2", net.conv2.get()}, {"fc1", net.fc1.get()},
        {"fc2", net.fc2.get()}, {"fc3", net.fc3.get()}};
    for (const auto& [name, layer] : layers)
        layer->register_forward_hook([&calls, n = name](nn::Module&, const Tensor&, const Tensor&) { calls.push_back(n); });
    net(zeros({1, 3, 32, 32}));
    std::string got;
    for (const auto& c : calls) got += (got.empty() ? "" : " ") + c;
    if (got != "conv1 conv2 fc1 fc2 fc3")
        FAIL("forward hooks ran for [" + got + "], expected [conv1 conv2 fc1 fc2 fc3]: call each layer as (*conv1)(x)");
}
