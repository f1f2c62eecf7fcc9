// checkpoint.cpp — writing and strictly validating checkpoint files (see checkpoint.h).
// Not a general serialisation library.
#include "train/checkpoint.h"

#include "nn/model_family.h"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "core/file_io.h"
#include "nn/model_family.h"

namespace difflab {
namespace {

constexpr const char* kMagic = "DIFFLAB-CHECKPOINT";
constexpr int kVersion = 1;
static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian float32");

std::string format_float(double v) {
  return config_format_double(v);
}

// A family's header keys in file order (its config_keys), or none when it lists none. A key written "key?"
// is optional (added after files without it shipped); `optional` gets one flag per key when not null.
std::vector<std::string> family_keys(const std::string& architecture, std::vector<bool>* optional = nullptr) {
  std::vector<std::string> keys;
  const ModelFamily* f = find_model_family(architecture);
  if (!f || !f->config_keys) return keys;
  std::istringstream in(f->config_keys);
  for (std::string key; in >> key;) {
    const bool maybe = key.back() == '?';
    if (maybe) key.pop_back();
    keys.push_back(key);
    if (optional) optional->push_back(maybe);
  }
  return keys;
}

}  // namespace

std::string format_data_box(const DataBox& box) {
  std::string value;
  char number[64];
  for (size_t d = 0; d < box.lo.size(); ++d) {
    std::snprintf(number, sizeof number, "%s%.9g %.9g", d ? " " : "", box.lo[d], box.hi[d]);
    value += number;
  }
  return value;
}

DataBox parse_data_box(const std::string& value, int dim, const std::string& file) {
  std::istringstream in(value);
  std::vector<double> numbers;
  for (std::string word; in >> word;) {
    char* end = nullptr;
    const double v = std::strtod(word.c_str(), &end);
    if (end == word.c_str() || *end != '\0' || !std::isfinite(v))
      throw CheckpointError(file + ": data_box: '" + word + "' is not a finite number");
    numbers.push_back(v);
  }
  if (static_cast<int>(numbers.size()) != 2 * dim)
    throw CheckpointError(file + ": data_box needs " + std::to_string(2 * dim) +
                          " numbers (lo hi per coordinate), found " + std::to_string(numbers.size()));
  DataBox box;
  for (int d = 0; d < dim; ++d) {
    if (!(numbers[2 * d] < numbers[2 * d + 1]))
      throw CheckpointError(file + ": data_box: coordinate " + std::to_string(d) + " has lo ≥ hi");
    box.lo.push_back(numbers[2 * d]);
    box.hi.push_back(numbers[2 * d + 1]);
  }
  return box;
}

uint64_t fnv1a64(const char* data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string serialize_checkpoint(const Checkpoint& c) {
  std::ostringstream h;
  h << kMagic << " " << kVersion << "\n";
  h << "architecture = " << c.architecture << "\n";
  // The family's keys in its order, then any others it wrote (alphabetical).
  ModelConfigMap rest = c.model_config;
  for (const std::string& key : family_keys(c.architecture)) {
    const auto it = rest.find(key);
    if (it == rest.end()) continue;
    h << key << " = " << it->second << "\n";
    rest.erase(it);
  }
  for (const auto& [key, value] : rest) h << key << " = " << value << "\n";
  if (c.denoiser) {
    h << "prediction = "
      << (c.edm    ? std::string("edm")
          : c.flow ? std::string("flow")
                   : prediction_name(c.prediction))
      << "\n";
    if (c.edm) h << "sigma_data = " << format_float(c.sigma_data) << "\n";
    h << "schedule = " << schedule_kind_name(c.schedule.kind) << "\n";
    h << "T = " << c.schedule.T << "\n";
    h << "beta_start = " << format_float(c.schedule.beta_start) << "\n";
    h << "beta_end = " << format_float(c.schedule.beta_end) << "\n";
  }
  h << "dataset = " << c.dataset << "\n";
  h << "loss = " << c.loss << "\n";
  h << "step = " << c.step << "\n";
  h << "seed = " << c.seed << "\n";
  for (const auto& [key, value] : c.extra) h << key << " = " << value << "\n";
  h << "tensors = ema:" << c.ema_params.size() << ",params:" << c.params.size() << "\n";
  h << "END-HEADER\n";
  std::string bytes = h.str();
  for (const auto* tensor : {&c.ema_params, &c.params})
    bytes.append(reinterpret_cast<const char*>(tensor->data()), tensor->size() * sizeof(float));
  char trailer[64];
  std::snprintf(trailer, sizeof trailer, "\nchecksum fnv1a64 %016llx\n",
                static_cast<unsigned long long>(fnv1a64(bytes.data(), bytes.size())));
  return bytes + trailer;
}

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  write_file_atomically(path, serialize_checkpoint(c));
}

Checkpoint parse_checkpoint(const std::string& bytes, const std::string& name) {
  auto fail = [&](const std::string& what) -> CheckpointError { return CheckpointError(name + ": " + what); };
  const std::string magic_line = std::string(kMagic) + " ";
  if (bytes.compare(0, magic_line.size(), magic_line) != 0)
    throw fail("not a Diffusion Lab checkpoint (the file does not start with '" + std::string(kMagic) + "')");
  const size_t header_end = bytes.find("\nEND-HEADER\n");
  if (header_end == std::string::npos) throw fail("truncated: the header has no END-HEADER line");
  std::istringstream header(bytes.substr(0, header_end));
  std::string line;
  std::getline(header, line);
  const std::string version_text = line.substr(magic_line.size());
  if (version_text != std::to_string(kVersion))
    throw fail("format version " + version_text + " is not supported (this build reads version " +
               std::to_string(kVersion) + ")");
  std::map<std::string, std::string> fields;
  int line_number = 1;
  while (std::getline(header, line)) {
    ++line_number;
    const size_t eq = line.find(" = ");
    if (eq == std::string::npos)
      throw fail("header line " + std::to_string(line_number) + " is not 'key = value': '" + line + "'");
    fields[line.substr(0, eq)] = line.substr(eq + 3);
  }
  auto take = [&](const std::string& key) {
    auto it = fields.find(key);
    if (it == fields.end()) throw fail("the header has no '" + key + "'");
    std::string v = it->second;
    fields.erase(it);
    return v;
  };
  auto take_number = [&](const std::string& key, double lo, double hi) {
    const std::string text = take(key);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi)
      throw fail("header field " + key + " = '" + text + "' is not a number in " + format_float(lo) + " … " +
                 format_float(hi));
    return v;
  };

  Checkpoint c;
  c.architecture = take("architecture");
  const ModelFamily* family = find_model_family(c.architecture);
  if (!family)
    throw fail("unknown architecture '" + c.architecture + "' (this build knows " +
               model_family_names_sentence() + ")");
  std::vector<bool> optional;
  const std::vector<std::string> keys = family_keys(c.architecture, &optional);
  c.model_config.clear();  // not the default MLP's
  for (size_t k = 0; k < keys.size(); ++k)
    if (!optional[k] || fields.count(keys[k])) c.model_config[keys[k]] = take(keys[k]);
  c.denoiser = fields.count("prediction") > 0;
  if (c.denoiser) {
    const std::string prediction = take("prediction");
    if (prediction == "edm") {
      if (c.architecture != "mlp2d") throw fail("prediction = edm is for the 2-D MLP only");
      c.edm = true;
      c.sigma_data = take_number("sigma_data", 1e-6, 1e6);
    } else if (prediction == "flow") {
      // The 2-D MLP and every image family (the U-Net, a DiT) train with flow matching; the GAN, VAE and
      // classifiers have no prediction.
      c.flow = true;
    } else if (!parse_prediction(prediction, &c.prediction)) {
      throw fail("unknown prediction type '" + prediction + "'");
    }
    if (!parse_schedule_kind(take("schedule"), &c.schedule.kind)) throw fail("unknown schedule");
    c.schedule.T = static_cast<int>(take_number("T", 2, 4000));
    c.schedule.beta_start = take_number("beta_start", 0, 1);
    c.schedule.beta_end = take_number("beta_end", 0, 1);
  }
  c.dataset = take("dataset");
  c.loss = take("loss");
  c.step = static_cast<int>(take_number("step", 0, 2e9));
  c.seed = static_cast<uint64_t>(take_number("seed", 0, 1.8e19));
  const std::string tensors = take("tensors");
  unsigned long long n_ema = 0, n_params = 0;
  if (std::sscanf(tensors.c_str(), "ema:%llu,params:%llu", &n_ema, &n_params) != 2)
    throw fail("header field tensors = '" + tensors + "' is not 'ema:N,params:N'");
  if (keys.empty())
    c.model_config = std::move(fields);  // a family without config_keys: every other key is its own
  else
    c.extra = std::move(fields);

  // Sizes must match the architecture the header describes (counted without building the model).
  size_t expected = 0;
  try {
    expected = family->param_count(c.model_config);
  } catch (const std::invalid_argument& e) {
    throw fail(e.what());
  }
  if (n_ema != expected || (n_params != expected && n_params != 0))
    throw fail("tensor sizes (ema " + std::to_string(n_ema) + ", params " + std::to_string(n_params) +
               ") do not match the architecture, which has " + std::to_string(expected) + " parameters");
  const size_t data_begin = header_end + std::strlen("\nEND-HEADER\n");
  const size_t data_bytes = (n_ema + n_params) * sizeof(float);
  const std::string trailer_prefix = "\nchecksum fnv1a64 ";
  const size_t trailer_size = trailer_prefix.size() + 16 + 1;
  if (bytes.size() < data_begin + data_bytes + trailer_size)
    throw fail("truncated: expected " + std::to_string(data_bytes) +
               " bytes of tensor data and a checksum, found " + std::to_string(bytes.size() - data_begin) +
               " bytes after the header");
  if (bytes.size() > data_begin + data_bytes + trailer_size)
    throw fail("unexpected " + std::to_string(bytes.size() - data_begin - data_bytes - trailer_size) +
               " extra bytes at the end");
  const size_t trailer_begin = data_begin + data_bytes;
  if (bytes.compare(trailer_begin, trailer_prefix.size(), trailer_prefix) != 0)
    throw fail("the checksum line is missing or damaged");
  const std::string hex = bytes.substr(trailer_begin + trailer_prefix.size(), 16);
  char computed[17];
  std::snprintf(computed, sizeof computed, "%016llx",
                static_cast<unsigned long long>(fnv1a64(bytes.data(), trailer_begin)));
#ifndef DIFFLAB_FUZZ_SKIP_CHECKSUM  // defined only in fuzz builds (DIFFLAB_FUZZ), to reach the payload
                                    // decoder
  if (hex != computed)
    throw fail("checksum mismatch (file says " + hex + ", contents give " + computed +
               "): the file is corrupted");
#endif
  c.ema_params.resize(n_ema);
  c.params.resize(n_params);
  // An --ema-only checkpoint has no raw weights: params.data() may be null, and memcpy to null is undefined
  // even for zero bytes.
  if (n_ema > 0) std::memcpy(c.ema_params.data(), bytes.data() + data_begin, n_ema * sizeof(float));
  if (n_params > 0)
    std::memcpy(c.params.data(), bytes.data() + data_begin + n_ema * sizeof(float), n_params * sizeof(float));
  for (const auto* weights : {&c.ema_params, &c.params})  // raw weights are read to continue training
    for (float v : *weights)
      if (!std::isfinite(v)) throw fail("the weights contain NaN or Inf");
  return c;
}

Checkpoint load_checkpoint(const std::string& path) {
  std::string bytes;
  try {
    bytes = read_file(path, limits::kMaxCheckpointFileBytes);
  } catch (const std::exception& e) {
    throw CheckpointError(e.what());
  }
  return parse_checkpoint(bytes, path);
}

std::string find_base_checkpoint(const std::string& file, const std::string& recorded) {
  if (recorded.empty() || std::filesystem::exists(recorded)) return recorded;
  const std::filesystem::path beside =
      std::filesystem::path(file).parent_path() / std::filesystem::path(recorded).filename();
  return std::filesystem::exists(beside) ? beside.string() : recorded;
}

std::string shipped_checkpoint_path(const std::string& file) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("DIFFLAB_CHECKPOINTS_DIR")) dirs.push_back(env);
  dirs.push_back("checkpoints");
  dirs.push_back(std::string(DIFFLAB_SOURCE_DIR) + "/checkpoints");
  for (const std::string& d : dirs)
    if (std::filesystem::exists(d + "/" + file)) return d + "/" + file;
  return dirs.back() + "/" + file;
}

}  // namespace difflab
