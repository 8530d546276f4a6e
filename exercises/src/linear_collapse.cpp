// Unit `linear_collapse` — lesson 4, "Stacked linear layers are one linear layer".
// Shapes: weights W_k:(out_k, in_k), biases b_k:(out_k)  ->  W:(out_n, in_1), b:(out_n).
// Two layers: W_2(W_1 x + b_1) + b_2 = (W_2 W_1) x + (W_2 b_1 + b_2); repeat for more.
#include "nnkit/nn/linear_collapse.hpp"

#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/blas.hpp"

namespace nnkit {

template <typename T>
CollapsedLinear<T> collapse_linear(const std::vector<xt::xarray<T>>& weights, const std::vector<xt::xarray<T>>& biases) {
    if (biases.size() != weights.size())
        throw ValueError("collapse_linear: " + std::to_string(weights.size()) + " weights but " +
                         std::to_string(biases.size()) + " biases (use a (0,) array for a layer without bias)");
    // Start from W = W_1, b = b_1 (zeros when layer 1 has no bias). For each next layer k:
    //   W <- W_k · W          (out_k, in_1)
    //   b <- W_k · b + b_k    the bias so far passes through layer k as well
    // When no layer has a bias, return bias with shape (0,).
    // Errors: no layers (ValueError "needs at least one layer"); then, layer by layer from layer 0, a
    // weight that is not 2-D (ShapeError "collapse_linear: weight 0 must be 2-D (out_features, in_features)"),
    // a bias neither (out,) nor (0,) ("collapse_linear: bias 0 must have shape (3,) or (0,)"), and sizes
    // that do not chain ("layer 1 takes 4 features but layer 0 gives 3").
    throw NotImplemented("collapse_linear", "lessons/04-pooling-linear-activations/README.md#stacked-linear-layers");
}

template CollapsedLinear<float> collapse_linear(const std::vector<xt::xarray<float>>&,
                                                const std::vector<xt::xarray<float>>&);
template CollapsedLinear<double> collapse_linear(const std::vector<xt::xarray<double>>&,
                                                 const std::vector<xt::xarray<double>>&);

namespace nn {

std::shared_ptr<Linear> collapse_linear(const std::vector<std::shared_ptr<Linear>>& layers) {
    std::vector<xt::xarray<float>> weights, biases;
    for (const auto& layer : layers) {
        if (!layer) throw ValueError("collapse_linear: a layer is null");
        weights.push_back(layer->weight.data());
        biases.push_back(layer->bias.defined() ? layer->bias.data() : xt::xarray<float>::from_shape({0}));
    }
    auto c = nnkit::collapse_linear<float>(weights, biases);
    auto out = std::make_shared<Linear>(c.weight.shape(1), c.weight.shape(0), c.bias.size() != 0);
    out->weight.data() = std::move(c.weight);
    if (out->bias.defined()) out->bias.data() = std::move(c.bias);
    return out;
}

}  // namespace nn

}  // namespace nnkit
