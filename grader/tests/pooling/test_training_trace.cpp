// Unit `pooling` in the whole network: LeNet-5 trained 20 SGD steps on Fashion-MNIST with your
// pooling and the reference for everything else, against PyTorch's losses and final weights.
#include "check.hpp"
#include "training_trace.hpp"

NNKIT_TEST("LeNet-5 trains 20 SGD steps on Fashion-MNIST as in PyTorch, with your pooling in the loop", 2, "output",
           "max-pooling") {
    nnkit::grading::check_training_trace();
}
