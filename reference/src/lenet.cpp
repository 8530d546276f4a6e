// Unit `lenet` — lesson 1, "Building a model" and homework 1.
// Shapes: x:(N,3,32,32) -conv1 5x5-> (N,6,28,28) -relu, maxpool 2-> (N,6,14,14)
//   -conv2 5x5-> (N,16,10,10) -relu, maxpool 2-> (N,16,5,5) -flatten-> (N,400)
//   -fc1-> (N,120) -relu-> -fc2-> (N,84) -relu-> -fc3-> (N,classes)
#include "nnkit/models/lenet.hpp"

#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/init.hpp"

namespace nnkit::models {

namespace {

// out.view(out.size(0), -1): (N, *) -> (N, prod(*)), gradients reshaped back.
[[maybe_unused]] Tensor flatten_batch(const Tensor& x) {
    const Shape in = x.shape();
    if (in.empty()) throw ShapeError("flatten: input must have a batch dimension, got a 0-D tensor");
    const std::size_t n = in[0], rest = n ? x.numel() / n : 0;
    Array out = xt::reshape_view(x.data(), std::vector<std::size_t>{n, rest});
    return autograd::record(std::move(out), {x}, "ViewBackward0", [in](const Array& g) {
        return std::vector<Array>{Array(xt::reshape_view(g, std::vector<std::size_t>(in.begin(), in.end())))};
    });
}

}  // namespace

LeNet::LeNet(std::size_t classes) : Module("LeNet") {
    // BEGIN SOLUTION
    conv1 = register_module("conv1", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(3, 6, 5)));
    conv2 = register_module("conv2", std::make_shared<nn::Conv2d>(nn::Conv2dOptions(6, 16, 5)));
    fc1 = register_module("fc1", std::make_shared<nn::Linear>(16 * 5 * 5, 120));
    fc2 = register_module("fc2", std::make_shared<nn::Linear>(120, 84));
    fc3 = register_module("fc3", std::make_shared<nn::Linear>(84, classes));
    // STUB
    // Build and register the five layers, in PyTorch's order and with its
    // names (see models/lenet.hpp): conv1, conv2, fc1, fc2, fc3. ReLU and
    // max pooling hold no parameters: LeNet calls them as functions in forward.
    //> throw NotImplemented("LeNet::LeNet", "lessons/01-module/README.md#building-a-model");
    // END SOLUTION
}

Tensor LeNet::forward(const Tensor& x) {
    // BEGIN SOLUTION
    Tensor out = F::max_pool2d(F::relu((*conv1)(x)), nn::MaxPool2dOptions(2));
    out = F::max_pool2d(F::relu((*conv2)(out)), nn::MaxPool2dOptions(2));
    out = flatten_batch(out);
    out = F::relu((*fc1)(out));
    out = F::relu((*fc2)(out));
    return (*fc3)(out);
    // STUB
    // Wire the layers as the shapes comment at the top of this file says.
    // Call submodules through operator() (so their hooks fire), use F::relu,
    // F::max_pool2d(x, nn::MaxPool2dOptions(2)) and flatten_batch.
    //> throw NotImplemented("LeNet::forward", "lessons/01-module/README.md#building-a-model");
    // END SOLUTION
}

void LeNet::initialize_weights() {
    for (const auto& m : modules()) {
        const Tensor* w = m->parameter_dict().get("weight");
        const Tensor* b = m->parameter_dict().get("bias");
        if (std::dynamic_pointer_cast<nn::Conv2d>(m)) {
            nn::init::xavier_normal_(*w);
        } else if (std::dynamic_pointer_cast<nn::Linear>(m)) {
            nn::init::normal_(*w, 0.0, 0.1);
        } else {
            continue;
        }
        if (b && b->defined()) nn::init::zeros_(*b);
    }
}

RegistrationRecorder::RegistrationRecorder() : events_(std::make_shared<std::vector<Registration>>()) {
    // BEGIN SOLUTION
    auto events = events_;
    previous_ = nn::set_registration_listener(
        [events](const nn::Module& owner, const std::string& kind, const std::string& name) {
            events->push_back({owner.type_name(), kind, name});
        });
    // STUB
    // Install a listener (nn::set_registration_listener) that appends
    // {owner.type_name(), kind, name} to *events_; keep the previous one.
    //> throw NotImplemented("RegistrationRecorder", "lessons/01-module/homework.md");
    // END SOLUTION
}

RegistrationRecorder::~RegistrationRecorder() { nn::set_registration_listener(previous_); }

std::vector<Registration> lenet_registration_order(std::size_t classes) {
    // BEGIN SOLUTION
    RegistrationRecorder recorder;
    LeNet net(classes);
    return recorder.events();
    // STUB
    // Record while a LeNet is constructed. Before running it, write down the
    // order you expect (homework.md): who registers first, the Conv2d or LeNet?
    //> throw NotImplemented("lenet_registration_order", "lessons/01-module/homework.md");
    // END SOLUTION
}

}  // namespace nnkit::models
