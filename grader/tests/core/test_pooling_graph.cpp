// The autograd graph the poolings record, against PyTorch 1.13's (fixture
// adaptive_max_pool/names_and_reprs): the 1-d poolings and the 1-d unpooling run as 2-d ones in
// PyTorch, so their output's node is SqueezeBackward1, then the 2-d node, then UnsqueezeBackward0.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// "A < B < C": the nodes from `y` back along first inputs, as the fixture's chain() writes them.
std::string chain(const Tensor& y) {
    std::string out;
    std::shared_ptr<autograd::Node> node = y.grad_fn();
    for (int i = 0; i < 3 && node; ++i) {
        out += (out.empty() ? "" : " < ") + node->name;
        if (node->inputs.empty()) break;
        const Tensor& next = node->inputs[0];
        if (next.grad_fn()) {
            node = next.grad_fn();
        } else {
            if (i < 2) out += " < torch::autograd::AccumulateGrad";  // a leaf's gradient
            break;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("1-d poolings record PyTorch's unsqueeze / 2-d node / squeeze, and still differentiate") {
    const Fixture f("adaptive_max_pool/names_and_reprs");
    Tensor x = ones({2, 3, 8}, true);
    const auto h = [&] { return mul(x, ones({2, 3, 8})); };
    const auto pooled = F::max_pool1d_with_indices(h(), nn::MaxPool1dOptions(2));
    CHECK(chain(F::max_pool1d(h(), nn::MaxPool1dOptions(2))) == f.string_option("chain max_pool1d"));
    CHECK(chain(pooled.output) == f.string_option("chain max_pool1d indices"));
    CHECK(chain(F::avg_pool1d(h(), nn::AvgPool1dOptions(2))) == f.string_option("chain avg_pool1d"));
    CHECK(chain(F::adaptive_avg_pool1d(h(), 3)) == f.string_option("chain adaptive_avg_pool1d"));
    CHECK(chain(F::adaptive_max_pool1d(h(), 3)) == f.string_option("chain adaptive_max_pool1d"));
    CHECK(chain(F::max_unpool1d(pooled.output, pooled.indices, nn::MaxUnpool1dOptions(2))) ==
          f.string_option("chain max_unpool1d"));
    CHECK(chain(F::max_pool2d(h(), nn::MaxPool2dOptions(2))) == f.string_option("chain max_pool2d"));

    // The gradient goes through the three nodes unchanged: avg_pool1d(k=2) spreads 1/2 to each tap.
    Tensor leaf = ones({1, 1, 4}, true);
    sum(F::avg_pool1d(leaf, nn::AvgPool1dOptions(2))).backward();
    NNKIT_CHECK_CLOSE("avg_pool1d(k=2) input gradient", xt::xarray<float>({{{0.5f, 0.5f, 0.5f, 0.5f}}}),
                      leaf.grad().data());
}
