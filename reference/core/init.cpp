#include "nnkit/nn/init.hpp"

namespace nnkit::nn::init {

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
    const Shape s = tensor.shape();
    if (s.size() < 2)
        throw ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    std::size_t receptive_field = 1;
    for (std::size_t d = 2; d < s.size(); ++d) receptive_field *= s[d];
    return {s[1] * receptive_field, s[0] * receptive_field};
}

Tensor uniform_(Tensor tensor, double a, double b, Generator* gen) {
    if (!(a <= b)) throw ValueError("uniform_: expects to return a [from, to) range, but found from=" +
                                    std::to_string(a) + " > to=" + std::to_string(b));
    Generator& g = gen ? *gen : default_generator();
    for (auto& v : tensor.data()) v = static_cast<float>(a + (b - a) * g.uniform());
    return tensor;
}

}  // namespace nnkit::nn::init
