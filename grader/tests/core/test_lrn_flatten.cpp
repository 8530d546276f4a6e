// LocalResponseNorm and Flatten (lesson 2 layers that are not exercises) against PyTorch 1.13.
#include <regex>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/kernels/normalization.hpp"
#include "nnkit/nn/flatten.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/normalization.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("LocalResponseNorm on ones, 3 channels, size 2 (the worked example)") {
    const Fixture f("lrn/ones_size2");
    NNKIT_CHECK_CLOSE("lrn ones", f.f32("output"),
                      local_response_norm_forward<float>(xt::ones<float>({1, 3, 1, 1}), 2, 1e-4, 0.75, 1.0));
}

TEST_CASE("LocalResponseNorm forward and backward match PyTorch on 3-, 4- and 5-dim inputs") {
    for (const char* name : {"lrn/4d_size5", "lrn/3d_size3", "lrn/5d_size4", "lrn/size_above_channels"}) {
        const Fixture f(name);
        const auto size = f.int_option("size");
        const double alpha = std::stod(f.options_text().substr(f.options_text().find("\"alpha\":") + 8));
        const double beta = std::stod(f.options_text().substr(f.options_text().find("\"beta\":") + 7));
        const double k = std::stod(f.options_text().substr(f.options_text().find("\"k\":") + 4));
        NNKIT_CHECK_CLOSE(std::string("lrn forward ") + name, f.f32("output"),
                          local_response_norm_forward<float>(f.f32("input"), size, alpha, beta, k));
        NNKIT_CHECK_CLOSE(
            std::string("lrn backward ") + name, f.f32("grad_input"),
            local_response_norm_backward<float>(f.f32("grad_output"), f.f32("input"), size, alpha, beta, k));
    }
}

TEST_CASE("LocalResponseNorm backward agrees with central differences (double)") {
    Generator gen(11);
    for (std::int64_t size : {1, 2, 3, 4}) {
        gradcheck(
            "lrn size " + std::to_string(size),
            [size](const std::vector<DArray>& in) { return local_response_norm_forward<double>(in[0], size, 0.3, 0.75, 1.0); },
            [size](const std::vector<DArray>& in, const DArray& go) {
                return std::vector<DArray>{local_response_norm_backward<double>(go, in[0], size, 0.3, 0.75, 1.0)};
            },
            {random_array({2, 5, 3}, gen)}, {"input"}, gen);
    }
}

TEST_CASE("LocalResponseNorm messages and reprs") {
    const Fixture f("lrn/messages");
    const std::string msg = std::regex_replace(f.string_option("dim_error"), std::regex(" +"), " ");
    NNKIT_CHECK_THROWS(F::local_response_norm(ones({2, 3}), 2), ValueError, msg);
    CHECK(nn::LocalResponseNorm(nn::LocalResponseNormOptions(5).alpha(5e-4).k(2.0)).repr() == f.string_option("repr"));
    CHECK(nn::LocalResponseNorm(2).repr() == f.string_option("repr_default"));
}

TEST_CASE("Flatten shapes, messages, repr and gradient") {
    const Fixture f("flatten/messages");
    CHECK(nn::Flatten(1, 2)(ones({2, 3, 4, 5})).shape() == f.json_shape("shape_1_2"));
    CHECK(F::flatten(ones({2, 3, 4, 5}), -3, -2).shape() == f.json_shape("shape_neg"));
    CHECK(F::flatten(Tensor(xt::xarray<float>(1.0f))).shape() == f.json_shape("shape_scalar"));
    NNKIT_CHECK_THROWS(nn::Flatten(0, 5)(ones({2, 3})), IndexError, f.string_option("end_out_of_range"));
    NNKIT_CHECK_THROWS(nn::Flatten(2, 1)(ones({2, 3, 4})), ShapeError, f.string_option("start_after_end"));
    NNKIT_CHECK_THROWS(nn::Flatten()(ones({2})), IndexError, f.string_option("one_dim"));
    CHECK(nn::Flatten().repr() == f.string_option("repr"));
    const Tensor x(xt::xarray<float>({{{1, 2}, {3, 4}}}), true);
    const Tensor y = nn::Flatten()(x);
    y.backward(from_vector({1, 2, 3, 4}, {1, 4}));
    NNKIT_CHECK_CLOSE("flatten gradient", xt::xarray<float>({{{1, 2}, {3, 4}}}), x.grad().data());
}

TEST_CASE("Unflatten: shapes, -1 inferred, PyTorch's errors in its order, repr, values and gradient") {
    const Fixture f("unflatten/rules");
    for (long long i = 0; i < f.int_option("count"); ++i) {
        const std::string k = std::to_string(i);
        const auto dim = f.int_option("dim_" + k);
        std::vector<std::int64_t> sizes;
        for (auto v : f.int_list_option("sizes_" + k)) sizes.push_back(v);
        const std::string want = f.string_option("result_" + k);
        std::string got;
        try {
            const Tensor y = F::unflatten(ones({2, 12, 3}, true), dim, sizes);
            got = "shape";
            for (auto s : y.shape()) got += " " + std::to_string(s);
            got += " " + (y.grad_fn() ? y.grad_fn()->name : std::string("(no node)"));
        } catch (const std::exception& e) {
            got = std::string("error ") + e.what();
        }
        INFO("unflatten(x:(2, 12, 3), dim=" << dim << ", sizes " << "), case " << i);
        CHECK(got == want);
    }
    NNKIT_CHECK_THROWS(F::unflatten(zeros({0, 3}), 0, {0, -1}), ShapeError, f.string_option("empty_ambiguous"));
    std::string inferred;
    for (auto d : F::unflatten(zeros({0, 3}), 0, {-1, 2}).shape()) inferred += (inferred.empty() ? "" : " ") + std::to_string(d);
    CHECK(inferred == f.string_option("empty_inferred"));
    NNKIT_CHECK_THROWS(F::unflatten(Tensor(xt::xarray<float>(1.0f)), 0, {1}), IndexError, f.string_option("zero_dim"));
    CHECK(nn::Unflatten(1, {2, 5, 5}).repr() == f.string_option("repr"));
    CHECK(nn::Unflatten(-1, {3}).repr() == f.string_option("repr_one"));

    const Fixture v("unflatten/values");
    Tensor x(v.f32("input"), true);
    Tensor y = nn::Unflatten(1, {2, -1})(x);
    y.backward(Tensor(v.f32("grad_output")));
    NNKIT_CHECK_CLOSE("Unflatten(1, (2, -1)) output", v.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("Unflatten(1, (2, -1)) input gradient", v.f32("grad_input"), x.grad().data());
}
