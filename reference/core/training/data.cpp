#include "nnkit/data.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "nnkit/errors.hpp"

namespace nnkit::data {

namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ValueError("read_idx: cannot open " + path);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// gzip's inflate through zlib (16 + MAX_WBITS: expect a gzip header).
std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& packed, const std::string& path) {
    z_stream s{};
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) throw ValueError("read_idx: zlib could not start for " + path);
    s.next_in = const_cast<Bytef*>(packed.data());
    s.avail_in = uInt(packed.size());
    std::vector<std::uint8_t> out;
    std::uint8_t chunk[1 << 16];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        s.next_out = chunk;
        s.avail_out = sizeof chunk;
        rc = inflate(&s, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            const std::string why = s.msg ? s.msg : (rc == Z_BUF_ERROR ? "the stream ends early" : "error");
            inflateEnd(&s);
            throw ValueError("read_idx: " + path + " is not a valid gzip stream (zlib: " + why + ")");
        }
        out.insert(out.end(), chunk, chunk + (sizeof chunk - s.avail_out));
    }
    inflateEnd(&s);
    return out;
}

}  // namespace

IdxArray read_idx(const std::string& path) {
    std::vector<std::uint8_t> bytes = read_file(path);
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) bytes = gunzip(bytes, path);
    try {
        return parse_idx(bytes);
    } catch (const ValueError& e) {
        throw ValueError(std::string(e.what()) + " (" + path + ")");
    }
}

const char* const FashionMNIST::kClasses[10] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

FashionMNIST FashionMNIST::load(bool train, const std::string& dir, std::size_t limit) {
    const std::string prefix = dir + (train ? "/train" : "/t10k");
    const IdxArray images = read_idx(prefix + "-images-idx3-ubyte.gz");
    const IdxArray labels = read_idx(prefix + "-labels-idx1-ubyte.gz");
    if (images.shape.size() != 3 || images.shape[1] != 28 || images.shape[2] != 28 || labels.shape.size() != 1 ||
        labels.shape[0] != images.shape[0])
        throw ValueError("FashionMNIST: " + prefix + "-*: expected images (N, 28, 28) and labels (N)");
    const std::size_t n = limit > 0 ? std::min(limit, images.shape[0]) : images.shape[0];
    FashionMNIST d;
    Array x = Array::from_shape({n, 1, 28, 28});
    for (std::size_t i = 0; i < n * 784; ++i) x.data()[i] = (float(images.data[i]) / 255.0f - kMean) / kStd;
    d.images = Tensor(std::move(x));
    d.labels = Labels::from_shape({n});
    for (std::size_t i = 0; i < n; ++i) d.labels(i) = labels.data[i];
    return d;
}

DataLoader::DataLoader(Tensor images, Labels labels, std::size_t batch_size, bool shuffle, bool drop_last,
                       Generator* generator)
    : images_(std::move(images)), labels_(std::move(labels)), batch_size_(batch_size), shuffle_(shuffle),
      drop_last_(drop_last), generator_(generator) {
    if (images_.dim() == 0 || labels_.dimension() != 1 || images_.size(0) != labels_.shape(0))
        throw ShapeError("DataLoader: images (N, ...) and labels (N) must have the same N");
    start_epoch();
}

void DataLoader::start_epoch() {
    batches_ = batch_indices(labels_.shape(0), batch_size_, shuffle_, drop_last_, generator_);
}

Batch DataLoader::batch(std::size_t k) const {
    const std::vector<std::size_t>& idx = batches_.at(k);
    Shape shape = images_.shape();
    const std::size_t sample = images_.numel() / shape[0];
    shape[0] = idx.size();
    Array x = Array::from_shape(shape);
    Labels t = Labels::from_shape({idx.size()});
    for (std::size_t i = 0; i < idx.size(); ++i) {
        std::copy_n(images_.data().data() + idx[i] * sample, sample, x.data() + i * sample);
        t(i) = labels_(idx[i]);
    }
    return {Tensor(std::move(x)), std::move(t)};
}

}  // namespace nnkit::data
