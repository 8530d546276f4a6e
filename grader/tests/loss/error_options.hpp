// The LossOptions an error fixture describes (weight_shape, ignore_index, label_smoothing), for
// the error checks of test_loss.cpp and test_cross_entropy_prob.cpp. The weight is all ones:
// an error case is about shapes and order, not values.
#pragma once

#include "fixtures.hpp"
#include "nnkit/kernels/loss.hpp"

namespace nnkit::grading {

struct ErrorOptions {
    xt::xarray<float> weight;
    LossOptions<float> options;

    explicit ErrorOptions(const Fixture& f) {
        if (f.has_option("weight_shape")) {
            weight = xt::ones<float>(f.json_shape("weight_shape"));
            options.weight = &weight;
        }
        if (f.has_option("ignore_index")) options.ignore_index = f.int_option("ignore_index");
        if (f.has_option("label_smoothing")) options.label_smoothing = f.double_option("label_smoothing");
    }
    ErrorOptions(const ErrorOptions&) = delete;  // options.weight points into this object
    ErrorOptions& operator=(const ErrorOptions&) = delete;
};

}  // namespace nnkit::grading
