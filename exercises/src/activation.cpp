// Unit `activation` — lesson 4, "Activations". Every kernel is elementwise:
// x:(*) -> y:(*), and its backward maps grad_output:(*) -> grad_input:(*).
#include "nnkit/kernels/activation.hpp"

#include "nnkit/errors.hpp"
#include "nnkit/shape.hpp"

namespace nnkit {

namespace {

template <typename T>
Shape shape_of(const xt::xarray<T>& a) {
    return Shape(a.shape().begin(), a.shape().end());
}

// Scaffolding: a backward pass needs grad_output shaped like the tensor it
// differentiates. Checked for you so that your code can index both alike.
template <typename T>
void check_same_shape(const char* function, const xt::xarray<T>& grad_output, const xt::xarray<T>& saved) {
    if (shape_of(grad_output) != shape_of(saved))
        throw ShapeError(std::string(function) + ": grad_output has shape " + to_string(shape_of(grad_output)) +
                         " but the saved tensor has shape " + to_string(shape_of(saved)));
}

}  // namespace

template <typename T>
xt::xarray<T> relu_forward(const xt::xarray<T>& input) {
    // y = max(x, 0) elementwise, with the same shape as x. A NaN input must give NaN.
    throw NotImplemented("relu_forward", "lessons/04-pooling-linear-activations/README.md#relu");
}

template <typename T>
xt::xarray<T> relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("relu_backward", grad_output, output);
    // grad_input = 0 where output <= 0 (including output == 0), grad_output elsewhere.
    // Careful with NaN: PyTorch tests `output <= 0`, so a NaN output passes the gradient.
    throw NotImplemented("relu_backward", "lessons/04-pooling-linear-activations/README.md#relu");
}

template xt::xarray<float> relu_forward(const xt::xarray<float>&);
template xt::xarray<double> relu_forward(const xt::xarray<double>&);
template xt::xarray<float> relu_backward(const xt::xarray<float>&, const xt::xarray<float>&);
template xt::xarray<double> relu_backward(const xt::xarray<double>&, const xt::xarray<double>&);

}  // namespace nnkit
