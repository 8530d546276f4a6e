#include "gradcheck.hpp"

#include "check.hpp"

namespace nnkit::grading {

DArray random_array(const std::vector<std::size_t>& shape, Generator& gen) {
    DArray a = DArray::from_shape(shape);
    for (auto& v : a) v = 2.0 * gen.uniform() - 1.0;
    return a;
}

namespace {
double dot(const DArray& a, const DArray& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a.data()[i] * b.data()[i];
    return s;
}
}  // namespace

void gradcheck(const std::string& what, const Forward& forward, const Backward& backward,
               const std::vector<DArray>& inputs, const std::vector<std::string>& input_names, Generator& gen,
               const GradcheckOptions& options) {
    const DArray y = forward(inputs);
    const DArray v = random_array(Shape(y.shape().begin(), y.shape().end()), gen);
    const std::vector<DArray> analytic = backward(inputs, v);
    if (analytic.size() < input_names.size())
        FAIL(what + ": backward returned " + std::to_string(analytic.size()) + " gradients, expected " +
             std::to_string(input_names.size()));
    for (std::size_t k = 0; k < input_names.size(); ++k) {
        DArray numeric = DArray::from_shape(inputs[k].shape());
        std::vector<DArray> probe = inputs;
        for (std::size_t i = 0; i < probe[k].size(); ++i) {
            const double x0 = probe[k].data()[i];
            probe[k].data()[i] = x0 + options.eps;
            const double up = dot(forward(probe), v);
            probe[k].data()[i] = x0 - options.eps;
            const double down = dot(forward(probe), v);
            probe[k].data()[i] = x0;
            numeric.data()[i] = (up - down) / (2 * options.eps);
        }
        const auto cmp = compare(what + ": gradient with respect to " + input_names[k] +
                                     " (analytic vs central difference)",
                                 numeric, analytic[k], options.rtol, options.atol);
        if (!cmp.ok) FAIL(cmp.message);
    }
}

}  // namespace nnkit::grading
