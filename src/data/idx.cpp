// idx.cpp — decoding and validating IDX files (see idx.h), with zlib for the .gz variants.
// Not a general container reader: only unsigned-byte arrays, as the MNIST family uses.
#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include "core/file_io.h"
#include "core/limits.h"

namespace difflab {
namespace {

std::string read_whole(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IdxError(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) throw IdxError(path + ": is a directory, not an IDX file");
  try {
    return read_file(path, limits::kMaxIdxFileBytes);
  } catch (const std::runtime_error& e) {
    throw IdxError(e.what());
  }
}

std::string shape_text(const std::vector<int>& dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "×" : "") + std::to_string(dims[i]);
  return s;
}

const char* const kFashionClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

}  // namespace

std::string gunzip(const std::string& bytes, const std::string& name, uint64_t max_bytes) {
  return gunzip_bounded(bytes, name, [max_bytes](const std::string&) { return max_bytes; });
}

std::string gunzip_bounded(const std::string& bytes, const std::string& name,
                           const std::function<uint64_t(const std::string&)>& limit_for) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw IdxError(name + ": zlib could not start");
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end_guard{&z};
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(bytes.size(), UINT32_MAX));
  std::string out;
  // Never more than the limit + 1 byte: the extra byte is how we learn the data goes on past the limit.
  uint64_t limit = limit_for(out);
  out.resize(static_cast<size_t>(std::min<uint64_t>(limit + 1, std::max<size_t>(bytes.size() * 4, 1 << 16))));
  size_t produced = 0;
  while (true) {
    if (produced == out.size()) {
      if (produced > limit) break;
      out.resize(static_cast<size_t>(std::min<uint64_t>(limit + 1, 2 * static_cast<uint64_t>(out.size()))));
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - produced, UINT32_MAX));
    const int rc = inflate(&z, Z_NO_FLUSH);
    produced = static_cast<size_t>(z.next_out - reinterpret_cast<Bytef*>(out.data()));
    // Once the output starts, the caller may tighten the limit (e.g. to what an IDX header promises).
    const uint64_t tighter = limit_for(out.substr(0, std::min<size_t>(produced, 64)));
    if (tighter < limit) {
      limit = tighter;
      if (out.size() > limit + 1 && produced <= limit + 1) out.resize(static_cast<size_t>(limit + 1));
    }
    if (produced > limit) break;
    if (rc == Z_STREAM_END) {
      out.resize(produced);
      return out;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && z.avail_in == 0)
      throw IdxError(name + ": truncated gzip stream (the compressed data ends early)");
    if (rc == Z_BUF_ERROR) continue;
    throw IdxError(name + ": corrupt gzip data: " + (z.msg ? z.msg : "inflate failed"));
  }
  throw IdxError(
      name + ": the gzip data decompresses to more than " + std::to_string(limit) +
      " bytes, the most this file may hold (what its IDX header promises, at most limits.h kMaxIdxBytes): "
      "a damaged file or a gzip bomb; stopped there");
}

namespace {

// The byte count an IDX header promises (header + data), once `head` holds the header; else the hard limit.
// Malformed headers are left to parse_idx, which names what is wrong.
uint64_t idx_promised_bytes(const std::string& head) {
  const uint64_t hard = limits::kMaxIdxBytes;
  if (head.size() < 4 || head[0] != 0 || head[1] != 0) return hard;
  const int ndims = static_cast<unsigned char>(head[3]);
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (ndims < 1 || ndims > 4 || head.size() < header) return hard;
  uint64_t total = 1;
  for (int d = 0; d < ndims; ++d) {
    uint64_t size = 0;
    for (int k = 0; k < 4; ++k) size = (size << 8) | static_cast<unsigned char>(head[4 + 4 * d + k]);
    total *= std::max<uint64_t>(size, 1);
    if (total > hard) return hard;
  }
  return std::min<uint64_t>(hard, header + total);
}

}  // namespace

IdxArray parse_idx(const std::string& raw, const std::string& name) {
  const bool gzipped = raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
                       static_cast<unsigned char>(raw[1]) == 0x8b;
  // Gzip data is inflated no further than the IDX header inside it promises (one byte past, to tell).
  const std::string bytes = gzipped ? gunzip_bounded(raw, name, idx_promised_bytes) : raw;
  auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() < 4)
    throw IdxError(name + ": truncated: " + std::to_string(bytes.size()) +
                   " bytes, not even an IDX magic number");
  if (at(0) != 0 || at(1) != 0) {
    char magic[32];
    std::snprintf(magic, sizeof magic, "%02x %02x %02x %02x", at(0), at(1), at(2), at(3));
    throw IdxError(name + ": not an IDX file (magic number " + magic + ", expected 00 00 08 NDIMS)");
  }
  if (at(2) != 0x08) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", at(2));
    throw IdxError(name + ": IDX element type " + type + " is not supported (only unsigned bytes, 0x08)");
  }
  const int ndims = at(3);
  if (ndims < 1 || ndims > 4)
    throw IdxError(name + ": IDX with " + std::to_string(ndims) + " dimensions (expected 1 … 4)");
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (bytes.size() < header)
    throw IdxError(name + ": truncated: the header needs " + std::to_string(header) +
                   " bytes, the file has " + std::to_string(bytes.size()));
  IdxArray a;
  uint64_t total = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint64_t size = (uint64_t{at(4 + 4 * d)} << 24) | (uint64_t{at(5 + 4 * d)} << 16) |
                          (uint64_t{at(6 + 4 * d)} << 8) | uint64_t{at(7 + 4 * d)};
    if (size == 0 || size > (1u << 30))
      throw IdxError(name + ": dimension " + std::to_string(d) + " has size " + std::to_string(size));
    total *= size;
    if (total > limits::kMaxIdxBytes)
      throw IdxError(name + ": the header describes an array of more than " +
                     std::to_string(limits::kMaxIdxBytes) + " bytes (the limit, limits.h kMaxIdxBytes)");
    a.dims.push_back(static_cast<int>(size));
  }
  const uint64_t found = bytes.size() - header;
  if (found < total)
    throw IdxError(name + ": truncated: the header says " + shape_text(a.dims) + " = " +
                   std::to_string(total) + " bytes of data, the file has " + std::to_string(found));
  if (found > total)
    throw IdxError(name + ": " + std::to_string(found - total) + " unexpected bytes after the " +
                   shape_text(a.dims) + " array");
  a.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return a;
}

IdxArray read_idx(const std::string& path) {
  return parse_idx(read_whole(path), path);
}

bool is_image_dataset_spec(const std::string& spec) {
  return spec == "fashion-mnist" || spec.rfind("fashion-mnist:", 0) == 0 || spec.rfind("idx:", 0) == 0;
}

ImageDataset load_image_dataset(const std::string& spec, bool train) {
  std::string images_path, labels_path, title;
  bool fashion = false;
  if (spec == "fashion-mnist" || spec.rfind("fashion-mnist:", 0) == 0) {
    fashion = true;
    std::string dir = spec == "fashion-mnist" ? kFashionMnistDir : spec.substr(std::strlen("fashion-mnist:"));
    if (!dir.empty() && dir.back() != '/') dir += '/';
    const std::string prefix = train ? "train" : "t10k";
    images_path = dir + prefix + "-images-idx3-ubyte";
    labels_path = dir + prefix + "-labels-idx1-ubyte";
    std::error_code ec;
    for (std::string* p : {&images_path, &labels_path})
      if (!std::filesystem::exists(*p, ec) && std::filesystem::exists(*p + ".gz", ec)) *p += ".gz";
    if (!std::filesystem::exists(images_path, ec))
      throw IdxError(images_path +
                     ": Fashion-MNIST is not installed; install dataset-fashion-mnist: "
                     "sudo apt-get install dataset-fashion-mnist, or pass --dataset idx:FILE");
    title = std::string("Fashion-MNIST ") + (train ? "train" : "test");
  } else if (spec.rfind("idx:", 0) == 0) {
    const std::string rest = spec.substr(4);
    const size_t comma = rest.find(',');
    images_path = rest.substr(0, comma);
    if (comma != std::string::npos) labels_path = rest.substr(comma + 1);
    if (images_path.empty()) throw IdxError(spec + ": give the image file, idx:IMAGES[,LABELS]");
    title = images_path;
  } else {
    throw IdxError(spec +
                   ": not an image data set (fashion-mnist, fashion-mnist:DIR or idx:IMAGES[,LABELS])");
  }
  const IdxArray images = read_idx(images_path);
  if (images.dims.size() != 3)
    throw IdxError(images_path + ": an image file has 3 dimensions (count × height × width), this one has " +
                   std::to_string(images.dims.size()) + " (" + shape_text(images.dims) + ")");
  ImageDataset d;
  d.count = images.dims[0];
  d.height = images.dims[1];
  d.width = images.dims[2];
  d.pixels.resize(images.data.size());
  for (size_t i = 0; i < images.data.size(); ++i)
    d.pixels[i] = images.data[i] / 127.5f - 1.0f;  // 255 → exactly 1
  if (!labels_path.empty()) {
    const IdxArray labels = read_idx(labels_path);
    if (labels.dims.size() != 1)
      throw IdxError(labels_path + ": a label file has 1 dimension, this one has " +
                     std::to_string(labels.dims.size()) + " (" + shape_text(labels.dims) + ")");
    if (labels.dims[0] != d.count)
      throw IdxError(labels_path + ": " + std::to_string(labels.dims[0]) + " labels for " +
                     std::to_string(d.count) + " images in " + images_path);
    d.labels.assign(labels.data.begin(), labels.data.end());
    d.num_classes = 1 + *std::max_element(d.labels.begin(), d.labels.end());
  }
  if (fashion) {
    d.class_names.assign(std::begin(kFashionClasses), std::end(kFashionClasses));
    if (d.num_classes > 10) throw IdxError(labels_path + ": Fashion-MNIST labels must be 0 … 9");
    d.num_classes = 10;
  }
  d.description = title + " (" + std::to_string(d.count) + " images " + std::to_string(d.height) + "×" +
                  std::to_string(d.width) +
                  (d.labels.empty() ? ", no labels" : ", " + std::to_string(d.num_classes) + " classes") +
                  ")";
  return d;
}

}  // namespace difflab
