// F::linear beyond the (out, in) weight and (out,) bias the linear unit's kernel takes, as
// PyTorch 1.13 (fixtures linear/vector_weight_*, linear/bias_*, linear/broadcast_errors): a 1-d
// weight is a matrix-vector product, and a bias addmm can expand to (rows, out) is added. Core code
// around the student's kernel, so a core test.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("F::linear with a 1-d weight or a broadcast bias: values, gradients and nodes as PyTorch's") {
    for (const char* name : {"linear/vector_weight_2d", "linear/vector_weight_3d", "linear/vector_weight_1d",
                             "linear/bias_0d", "linear/bias_one_3d", "linear/bias_full", "linear/bias_column"}) {
        const Fixture f(name);
        INFO(name);
        Tensor x(f.f32("input"), true), w(f.f32("weight"), true);
        Tensor b = f.has("bias") ? Tensor(f.f32("bias"), true) : Tensor();
        Tensor y = F::linear(x, w, b);
        CHECK((y.grad_fn() ? y.grad_fn()->name : std::string("(no node)")) == f.string_option("node"));
        y.backward(Tensor(f.f32("grad_output")));
        NNKIT_CHECK_CLOSE(std::string(name) + " output", f.f32("output"), y.data());
        NNKIT_CHECK_CLOSE(std::string(name) + " input gradient", f.f32("grad_input"), x.grad().data());
        NNKIT_CHECK_CLOSE(std::string(name) + " weight gradient", f.f32("grad_weight"), w.grad().data());
        if (b.defined()) NNKIT_CHECK_CLOSE(std::string(name) + " bias gradient", f.f32("grad_bias"), b.grad().data());
    }
}

TEST_CASE("F::linear refuses a bias with a 1-d weight and a bias addmm cannot expand, in PyTorch's words") {
    const Fixture f("linear/broadcast_errors");
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({4}), zeros({1})), ShapeError,
                       f.string_option("vector weight with bias"));
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({3, 4}), zeros({2, 3, 1})), ShapeError,
                       f.string_option("bias not expandable"));
    NNKIT_CHECK_THROWS(F::linear(zeros({2, 4}), zeros({3, 4}), zeros({4, 3})), ShapeError,
                       f.string_option("bias rows not expandable"));
}
