// test_idx.cpp — the IDX reader on small files written here: good, gzip, truncated, wrong magic, mismatched
// labels. Not a test of the real Fashion-MNIST files (that one runs only when the package is installed).
#include <doctest/doctest.h>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "data/idx.h"

using namespace difflab;

namespace {

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// 3 images of 2×2 with pixel values 0, 255, 51·k …, or 3 labels.
std::string idx_images(int count = 3) {
  std::string s = std::string("\0\0\x08\x03", 4) + be32(count) + be32(2) + be32(2);
  for (int i = 0; i < count * 4; ++i) s.push_back(static_cast<char>(i == 0 ? 0 : i == 1 ? 255 : 51));
  return s;
}
std::string idx_labels(int count) {
  std::string s = std::string("\0\0\x08\x01", 4) + be32(count);
  for (int i = 0; i < count; ++i) s.push_back(static_cast<char>(i % 3));
  return s;
}

std::string gzip(const std::string& bytes) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(bytes.size() + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = (std::filesystem::temp_directory_path() / ("difflab_test_idx_" + name)).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string error_of(const std::string& spec) {
  try {
    load_image_dataset(spec, true);
  } catch (const IdxError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("idx: a good file decodes its shape and scales pixels 0 and 255 to -1 and 1") {
  const std::string images = write_temp("good-images", idx_images());
  const std::string labels = write_temp("good-labels", idx_labels(3));
  const ImageDataset d = load_image_dataset("idx:" + images + "," + labels, true);
  CHECK(d.count == 3);
  CHECK(d.height == 2);
  CHECK(d.width == 2);
  CHECK(d.pixels[0] == doctest::Approx(-1.0));
  CHECK(d.pixels[1] == doctest::Approx(1.0));
  CHECK(d.pixels[2] == doctest::Approx(2.0 * 51 / 255 - 1));  // −0.6
  CHECK(d.labels == std::vector<int>{0, 1, 2});
  CHECK(d.num_classes == 3);
}

TEST_CASE("idx: gzip-compressed files decode to the same bytes as plain ones") {
  const IdxArray plain = parse_idx(idx_images(), "plain");
  const IdxArray packed = parse_idx(gzip(idx_images()), "packed");
  CHECK(packed.dims == plain.dims);
  CHECK(packed.data == plain.data);
  CHECK(plain.dims == std::vector<int>{3, 2, 2});
}

TEST_CASE("idx: a truncated file says how many bytes the header promised") {
  std::string bytes = idx_images();
  bytes.resize(bytes.size() - 5);
  const std::string path = write_temp("truncated", bytes);
  const std::string e = error_of("idx:" + path);
  CHECK(e.find(path + ": truncated") == 0);
  CHECK(e.find("12 bytes of data, the file has 7") != std::string::npos);
}

TEST_CASE("idx: a wrong magic number is reported with the bytes found") {
  std::string bytes = idx_images();
  bytes[0] = 'P';
  const std::string path = write_temp("magic", bytes);
  const std::string e = error_of("idx:" + path);
  CHECK(e.find(path + ": not an IDX file (magic number 50 00 08 03") == 0);
  bytes = idx_images();
  bytes[2] = 0x0D;  // float32 type
  CHECK_THROWS_WITH_AS(parse_idx(bytes, "f"),
                       "f: IDX element type 0x0d is not supported (only unsigned bytes, 0x08)", IdxError);
}

TEST_CASE("idx: a label file with another count than the images is rejected") {
  const std::string images = write_temp("mismatch-images", idx_images(3));
  const std::string labels = write_temp("mismatch-labels", idx_labels(4));
  const std::string e = error_of("idx:" + images + "," + labels);
  CHECK(e == labels + ": 4 labels for 3 images in " + images);
  // Labels given as images (1 dimension) are caught too.
  CHECK(error_of("idx:" + labels).find("an image file has 3 dimensions") != std::string::npos);
}

TEST_CASE("idx: corrupt and truncated gzip streams are told apart") {
  std::string packed = gzip(idx_images(50));
  std::string corrupt = packed;
  for (size_t i = 12; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
  CHECK_THROWS_WITH_AS(parse_idx(corrupt, "c.gz"), doctest::Contains("c.gz: corrupt gzip data"), IdxError);
  packed.resize(packed.size() / 2);
  CHECK_THROWS_WITH_AS(parse_idx(packed, "t.gz"),
                       "t.gz: truncated gzip stream (the compressed data ends early)", IdxError);
}

TEST_CASE("idx: missing files and a missing Fashion-MNIST say what to do") {
  CHECK(error_of("idx:/nonexistent/images") == "/nonexistent/images: no such file");
  const std::string e = error_of("fashion-mnist:/nonexistent");
  CHECK(e.find("install dataset-fashion-mnist: sudo apt-get install dataset-fashion-mnist") !=
        std::string::npos);
  CHECK(e.find("--dataset idx:FILE") != std::string::npos);
}

TEST_CASE("idx: Debian's Fashion-MNIST, when installed, has 60000 + 10000 labelled 28x28 images") {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "t10k-labels-idx1-ubyte.gz")) return;
  const ImageDataset test = load_image_dataset("fashion-mnist", false);
  CHECK(test.count == 10000);
  CHECK(test.dim() == 784);
  CHECK(test.num_classes == 10);
  CHECK(test.labels.size() == 10000);
  CHECK(test.class_names[9] == "Ankle boot");
}

TEST_CASE("idx: a gzip bomb stops at the bytes its IDX header promises, not at memory's end") {
  // The header promises 3 images of 2×2 (16 + 12 bytes); the stream goes on with 64 MiB of zeros (≈ 64 KB
  // compressed). The old reader inflated all of it before noticing.
  std::string bomb = idx_images(3);
  bomb.append(64u << 20, '\0');
  const std::string compressed = gzip(bomb);
  CHECK(compressed.size() < 200000);
  try {
    parse_idx(compressed, "bomb.gz");
    FAIL("a gzip bomb was accepted");
  } catch (const IdxError& e) {
    CHECK(std::string(e.what()) ==
          "bomb.gz: the gzip data decompresses to more than 28 bytes, the most this file may hold (what its "
          "IDX "
          "header promises, at most limits.h kMaxIdxBytes): a damaged file or a gzip bomb; stopped there");
  }
  // One byte past the promise is refused the same way; the exact size decodes.
  CHECK_THROWS_WITH_AS(parse_idx(gzip(idx_images(3) + "x"), "one.gz"),
                       doctest::Contains("more than 28 bytes"), IdxError);
  CHECK(parse_idx(gzip(idx_images(3)), "ok.gz").data.size() == 12);
  // The plain gunzip has a hard cap too.
  CHECK_THROWS_WITH_AS(gunzip(gzip(std::string(1000, 'a')), "cap.gz", 999),
                       doctest::Contains("more than 999 bytes"), IdxError);
  CHECK(gunzip(gzip(std::string(1000, 'a')), "cap.gz", 1000).size() == 1000);
}

TEST_CASE("idx: a header that promises more than the 2 GiB limit is refused before any allocation") {
  const std::string huge = std::string("\0\0\x08\x03", 4) + be32(60000) + be32(1000) + be32(1000);
  CHECK_THROWS_WITH_AS(parse_idx(huge, "huge.idx"), doctest::Contains("more than 2147483648 bytes"),
                       IdxError);
}

TEST_CASE("idx: a directory given as the image or label file is named as a directory") {
  const std::string dir = (std::filesystem::temp_directory_path() / "difflab_test_idx_dir").string();
  std::filesystem::create_directories(dir);
  CHECK(error_of("idx:" + dir) == dir + ": is a directory, not an IDX file");
  const std::string images = write_temp("dir_images", idx_images(3));
  CHECK(error_of("idx:" + images + "," + dir) == dir + ": is a directory, not an IDX file");
  std::filesystem::remove(dir);
  std::filesystem::remove(images);
}
