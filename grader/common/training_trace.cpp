#include "training_trace.hpp"

#include <string>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/models/lenet5.hpp"
#include "nnkit/nn/loss.hpp"
#include "nnkit/optim.hpp"

namespace nnkit::grading {

void check_training_trace() {
    const Fixture f("training/lenet5_sgd_trace");
    const auto batch = std::size_t(f.int_option("batch")), steps = std::size_t(f.int_option("steps"));
    const xt::xarray<float> inputs = f.f32("inputs");  // (320, 1, 28, 28), standardised
    const Labels labels = xt::cast<std::int64_t>(f.i64("labels"));
    const std::size_t images = inputs.shape(0);

    models::LeNet5 net(10);
    for (auto& [name, p] : net.named_parameters()) p.data() = f.f32("initial." + name);
    optim::SGD opt(net.parameters(), SGDOptions(f.double_option("lr")).momentum(f.double_option("momentum")));
    nn::CrossEntropyLoss loss;

    xt::xarray<float> losses = xt::zeros<float>({steps});
    for (std::size_t step = 0; step < steps; ++step) {
        const std::size_t first = (step * batch) % images;
        Array x = Array::from_shape({batch, 1, 28, 28});
        Labels t = Labels::from_shape({batch});
        std::copy(inputs.data() + first * 784, inputs.data() + (first + batch) * 784, x.data());
        std::copy(labels.data() + first, labels.data() + first + batch, t.data());
        opt.zero_grad();
        Tensor l = loss.forward(net.forward(Tensor(x)), t);
        l.backward();
        opt.step();
        losses(step) = l.item();
    }
    INFO("(step [0]'s loss depends on the forward passes only; every later one also on the gradients and the "
         "SGD update, so a first difference at [1] or later points at a backward)");
    NNKIT_CHECK_FIXTURE("the loss of each of the 20 training steps (PyTorch's first: 2.2925)", f, "losses", losses);
    for (const auto& [name, p] : net.named_parameters())
        NNKIT_CHECK_FIXTURE(name + " after 20 steps", f, "final." + name, p.data());
}

}  // namespace nnkit::grading
