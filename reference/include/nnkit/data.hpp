// Data sets and loaders for lesson 5: IDX files (gzip or plain), Fashion-MNIST, and a
// DataLoader that hands out batches in parse order or shuffled.
// https://pytorch.org/docs/1.13/data.html#torch.utils.data.DataLoader
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nnkit/kernels/data.hpp"
#include "nnkit/kernels/loss.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::data {

// Reads an IDX file, gzip-compressed (detected by its first two bytes, 0x1f 0x8b) or not, and
// parses it with parse_idx. Throws ValueError naming the path: a missing file, a damaged
// gzip stream, or what parse_idx found.
IdxArray read_idx(const std::string& path);

// Fashion-MNIST from Debian's dataset-fashion-mnist: images (N, 1, 28, 28) standardised with the
// training set's mean 0.2860 and standard deviation 0.3530, labels (N) in 0..9.
struct FashionMNIST {
    static constexpr const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";
    static constexpr float kMean = 0.2860f, kStd = 0.3530f;
    static const char* const kClasses[10];  // "T-shirt/top", "Trouser", ...

    // train: the 60,000 training images, else the 10,000 test images; limit > 0 keeps the first ones.
    static FashionMNIST load(bool train, const std::string& dir = kDefaultDir, std::size_t limit = 0);

    Tensor images;
    Labels labels;
};

struct Batch {
    Tensor images;  // (B, 1, 28, 28) for Fashion-MNIST: the samples' own shape after the batch
    Labels labels;  // (B)
};

// torch.utils.data.DataLoader over (images, labels) in memory: batch_indices decides the order.
class DataLoader {
public:
    DataLoader(Tensor images, Labels labels, std::size_t batch_size, bool shuffle = false, bool drop_last = false,
               Generator* generator = nullptr);

    void start_epoch();  // draws the epoch's order (shuffled or not); called by the constructor once
    std::size_t size() const { return batches_.size(); }  // batches in this epoch (len(loader))
    Batch batch(std::size_t k) const;                     // the k-th batch of this epoch

private:
    Tensor images_;
    Labels labels_;
    std::size_t batch_size_;
    bool shuffle_, drop_last_;
    Generator* generator_;
    std::vector<std::vector<std::size_t>> batches_;
};

}  // namespace nnkit::data
