// The end-to-end check: models::LeNet5, from the weights PyTorch started with, trained for
// 20 SGD steps (lr 0.05, momentum 0.9) on 20 batches of 16 Fashion-MNIST images; every
// step's loss and the final weights must match PyTorch's (fixture training/lenet5_sgd_trace).
// Each unit on the path (conv, pooling, activation, linear, loss, optim) runs it with the
// student's code for that unit alone, so a failure names the unit that breaks training.
#pragma once

namespace nnkit::grading {

void check_training_trace();

}  // namespace nnkit::grading
