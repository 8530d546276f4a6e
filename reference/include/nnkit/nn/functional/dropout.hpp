// F::dropout, F::flatten, F::local_response_norm: the layers AlexNet adds to conv, ReLU and pooling.
// https://pytorch.org/docs/1.13/nn.functional.html#dropout-functions
#pragma once

#include <cstdint>
#include <vector>

#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// input:(*) -> (*). training: zero with probability p, scale the rest by 1/(1-p), drawing
// from `generator` (default_generator() when null); eval returns `input` itself.
// inplace writes the result into `input` and returns it.
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
               Generator* generator = nullptr);

// Channel dropout (ATen's feature_dropout): every channel — all of x[n, c] — is kept, scaled by
// 1/(1-p), or zeroed as one, one draw per (n, c). Which dims are (N, C) follows PyTorch 1.13:
//   dropout1d  input:(N, C, L) or unbatched (C, L); any other rank is PyTorch's error.
//   dropout2d  input:(N, C, *) whatever its rank (PyTorch warns unless it is 3 or 4, and reads a
//              3-d input as (N, C, L), batched); fewer than 2 dims is an error.
//   dropout3d  input:(N, C, D, H, W), or anything else read as unbatched, (C, *) (PyTorch warns
//              unless it is 4-d).
// Eval, p = 0 and empty inputs give back `input` itself when batched (PyTorch's unbatched path
// returns a squeezed view, here a copy with its SqueezeBackward1 node).
Tensor dropout1d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 Generator* generator = nullptr);
Tensor dropout2d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 Generator* generator = nullptr);
Tensor dropout3d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 Generator* generator = nullptr);

// input:(d0, ..., dk) -> dims start_dim..end_dim merged into one (negative dims count from the end).
// https://pytorch.org/docs/1.13/generated/torch.flatten.html
Tensor flatten(const Tensor& input, std::int64_t start_dim = 0, std::int64_t end_dim = -1);

// input:(d0, ..., d_dim, ..., dk) -> d_dim split into `sizes` (their product must be d_dim; one of
// them may be -1, inferred). The inverse of flatten.  https://pytorch.org/docs/1.13/generated/torch.unflatten.html
Tensor unflatten(const Tensor& input, std::int64_t dim, const std::vector<std::int64_t>& sizes);

// input:(N, C, *) -> (N, C, *): x / (k + alpha/size · sum of x² over `size` neighbouring channels)^beta.
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.local_response_norm.html
Tensor local_response_norm(const Tensor& input, std::int64_t size, double alpha = 1e-4, double beta = 0.75,
                           double k = 1.0);

}  // namespace nnkit::nn::functional
