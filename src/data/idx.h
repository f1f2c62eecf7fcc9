// idx.h — the IDX (MNIST-format) file reader, plain or gzip-compressed, and image data sets built on it.
// Not a data loader with augmentation or batching: it validates and decodes whole files into memory.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/limits.h"

namespace difflab {

// Every error names the file and what is wrong: "FILE: truncated: header says 60000×28×28 …".
struct IdxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An IDX array of unsigned bytes (type 0x08), the only type MNIST-family files use.
// Layout (LeCun's format): 0x00 0x00 0x08 NDIMS, NDIMS big-endian uint32 sizes, then the bytes row-major.
struct IdxArray {
  std::vector<int> dims;
  std::vector<uint8_t> data;
};

// Decodes bytes already in memory; gzip data (starting 1f 8b) is inflated first.
IdxArray parse_idx(const std::string& bytes, const std::string& name);
// Reads and decodes a file. Throws IdxError.
IdxArray read_idx(const std::string& path);
// Gzip inflate (zlib); throws IdxError("NAME: corrupt gzip data: …" / "NAME: truncated gzip stream"), and
// stops with an IdxError as soon as the output would pass max_bytes (a gzip bomb costs at most that much).
std::string gunzip(const std::string& bytes, const std::string& name,
                   uint64_t max_bytes = limits::kMaxIdxBytes);
// The same with a limit that may tighten as output appears: limit_for(first ≤ 64 output bytes) is asked
// after every inflate call (parse_idx uses what the IDX header promises).
std::string gunzip_bounded(const std::string& bytes, const std::string& name,
                           const std::function<uint64_t(const std::string&)>& limit_for);

// N grayscale images of height × width, pixels scaled from 0 … 255 to [−1, 1] (x = 2·v/255 − 1).
struct ImageDataset {
  std::string description;  // "Fashion-MNIST train (60000 images 28×28, 10 classes)"
  int count = 0, height = 0, width = 0;
  int channels = 1;                      // > 1 for latents (NHWC, channel fastest); IDX files have 1
  std::vector<float> pixels;             // count × dim(), row-major per image
  std::vector<int> labels;               // count entries, or empty when no label file was given
  int num_classes = 0;                   // 1 + the largest label (0 without labels)
  std::vector<std::string> class_names;  // for Fashion-MNIST; empty otherwise
  int dim() const { return height * width * channels; }
  const float* image(int i) const { return pixels.data() + static_cast<size_t>(i) * dim(); }
};

// Where Debian's dataset-fashion-mnist package puts its files.
constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist/";

// True for "fashion-mnist", "fashion-mnist:DIR" and "idx:IMAGES[,LABELS]".
bool is_image_dataset_spec(const std::string& spec);
// Loads a spec: "fashion-mnist" (train-* or t10k-* from kFashionMnistDir; "fashion-mnist:DIR" for
// another folder with the same file names), or "idx:IMAGES[,LABELS]" (the same file for train and test).
// A missing Fashion-MNIST says how to install it. Throws IdxError.
ImageDataset load_image_dataset(const std::string& spec, bool train);

}  // namespace difflab
