# The exercise units. Each has reference/src/<unit>.cpp (with solution
# regions), exercises/src/<unit>.cpp (generated stubs), grader/tests/<unit>/,
# and a lesson whose README the failure messages point to.
set(NNKIT_UNITS module init lenet container dropout alexnet transforms conv conv_transpose conv_matrix conv_by_hand conv_rgb_volume linear activation pooling unpooling linear_collapse loss optim)

set(NNKIT_LESSON_loss 05-training)
set(NNKIT_LESSON_optim 05-training)
set(NNKIT_LESSON_linear 04-pooling-linear-activations)
set(NNKIT_LESSON_activation 04-pooling-linear-activations)
set(NNKIT_LESSON_pooling 04-pooling-linear-activations)
set(NNKIT_LESSON_unpooling 04-pooling-linear-activations)
set(NNKIT_LESSON_linear_collapse 04-pooling-linear-activations)
set(NNKIT_LESSON_module 01-module)
set(NNKIT_LESSON_init 01-module)
set(NNKIT_LESSON_conv 03-convolution)
set(NNKIT_LESSON_conv_transpose 03-convolution)
set(NNKIT_LESSON_conv_matrix 03-convolution)
set(NNKIT_LESSON_conv_by_hand 03-convolution)
set(NNKIT_LESSON_conv_rgb_volume 03-convolution)
set(NNKIT_LESSON_lenet 01-module)
set(NNKIT_LESSON_container 02-containers-alexnet)
set(NNKIT_LESSON_dropout 02-containers-alexnet)
set(NNKIT_LESSON_alexnet 02-containers-alexnet)
set(NNKIT_LESSON_transforms 02-containers-alexnet)
