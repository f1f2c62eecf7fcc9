// ip_adapter.cpp — IP-Adapter's image tokens, decoupled cross-attention (host loops over the hook's tensors),
// training step, denoiser and adapter file. Not the U-Net (nn/unet.cpp) and not the CLI.
#include "train/ip_adapter.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/file_io.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/image_quality.h"

namespace difflab {

IpAdapter::IpAdapter(const IpAdapterConfig& config, const std::vector<UNet::AttentionSite>& sites,
                     Backend& backend)
    : config_(config), sites_(sites), backend_(backend) {
  if (sites_.empty()) throw std::invalid_argument("the U-Net has no attention block for the adapter");
  const size_t E = config_.embed_dim, N = config_.tokens, D = config_.width;
  proj_w_ = 0;
  proj_b_ = E * N * D;
  ln_g_ = proj_b_ + N * D;
  ln_b_ = ln_g_ + D;
  size_t at = ln_b_ + D;
  for (const UNet::AttentionSite& s : sites_) {
    site_off_.push_back(at);
    at += 2 * D * static_cast<size_t>(s.channels);
  }
  params_.assign(at, 0.0f);
  grads_.assign(at, 0.0f);
  k_.resize(sites_.size()), v_.resize(sites_.size()), probs_.resize(sites_.size()), q_.resize(sites_.size());
}

void IpAdapter::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 31);
  const int E = config_.embed_dim, N = config_.tokens, D = config_.width;
  auto uniform = [&](size_t from, size_t count, double bound) {
    for (size_t i = 0; i < count; ++i)
      params_[from + i] = static_cast<float>((2 * rng.uniform() - 1) * bound);
  };
  uniform(proj_w_, static_cast<size_t>(E) * N * D, 1 / std::sqrt(static_cast<double>(E)));
  uniform(proj_b_, static_cast<size_t>(N) * D, 1 / std::sqrt(static_cast<double>(E)));
  for (int i = 0; i < D; ++i) params_[ln_g_ + i] = 1.0f, params_[ln_b_ + i] = 0.0f;
  for (size_t k = 0; k < sites_.size(); ++k)
    uniform(site_off_[k], 2 * static_cast<size_t>(D) * sites_[k].channels,
            1 / std::sqrt(static_cast<double>(D)));
}

void IpAdapter::set_prompts(const float* embeddings, int batch, float scale) {
  const int E = config_.embed_dim, N = config_.tokens, D = config_.width;
  batch_ = batch;
  scale_ = scale;
  emb_.assign(embeddings, embeddings + static_cast<size_t>(batch) * E);
  pre_.assign(static_cast<size_t>(batch) * N * D, 0.0f);
  xhat_.resize(pre_.size()), tokens_.resize(pre_.size()), rstd_.resize(static_cast<size_t>(batch) * N);
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  d_tokens_.assign(pre_.size(), 0.0f);
  for (int b = 0; b < batch; ++b)
    for (int j = 0; j < N * D; ++j) {
      double s = params_[proj_b_ + j];
      for (int e = 0; e < E; ++e)
        s += emb_[static_cast<size_t>(b) * E + e] * params_[proj_w_ + static_cast<size_t>(e) * N * D + j];
      pre_[static_cast<size_t>(b) * N * D + j] = static_cast<float>(s);
    }
  for (int r = 0; r < batch * N; ++r) {
    const float* x = &pre_[static_cast<size_t>(r) * D];
    double mean = 0, var = 0;
    for (int i = 0; i < D; ++i) mean += x[i];
    mean /= D;
    for (int i = 0; i < D; ++i) var += (x[i] - mean) * (x[i] - mean);
    var /= D;
    const double rstd = 1 / std::sqrt(var + 1e-5);
    rstd_[r] = static_cast<float>(rstd);
    for (int i = 0; i < D; ++i) {
      const size_t at = static_cast<size_t>(r) * D + i;
      xhat_[at] = static_cast<float>((x[i] - mean) * rstd);
      tokens_[at] = xhat_[at] * params_[ln_g_ + i] + params_[ln_b_ + i];
    }
  }
}

void IpAdapter::forward(int site, const Tensor& qkv, const Tensor& att, int batch, int heads) {
  if (batch != batch_) throw std::logic_error("IP-Adapter: set_prompts() for this batch first");
  if (scale_ == 0.0f) return;  // λ = 0: the base U-Net, bit for bit
  const UNet::AttentionSite& s = sites_.at(static_cast<size_t>(site));
  const int C = s.channels, P = s.positions, N = config_.tokens, D = config_.width, d = C / heads;
  const float* wk = &params_[this->wk(site)];
  const float* wv = &params_[this->wv(site)];
  std::vector<float>&K = k_[site], &V = v_[site], &probs = probs_[site], &q = q_[site];
  K.assign(static_cast<size_t>(batch) * N * C, 0.0f);
  V.assign(K.size(), 0.0f);
  for (int r = 0; r < batch * N; ++r)
    for (int i = 0; i < D; ++i) {
      const float tok = tokens_[static_cast<size_t>(r) * D + i];
      for (int c = 0; c < C; ++c) {
        K[static_cast<size_t>(r) * C + c] += tok * wk[static_cast<size_t>(i) * C + c];
        V[static_cast<size_t>(r) * C + c] += tok * wv[static_cast<size_t>(i) * C + c];
      }
    }
  const int rows = batch * P;
  host_.resize(static_cast<size_t>(rows) * 3 * C);
  backend_.read(qkv.row_block(0, rows), host_.data());
  q.resize(static_cast<size_t>(rows) * C);
  for (int r = 0; r < rows; ++r)
    std::memcpy(&q[static_cast<size_t>(r) * C], &host_[static_cast<size_t>(r) * 3 * C], sizeof(float) * C);
  host2_.resize(static_cast<size_t>(rows) * C);
  backend_.read(att.row_block(0, rows), host2_.data());
  probs.resize(static_cast<size_t>(batch) * heads * P * N);
  const float inv = 1.0f / std::sqrt(static_cast<float>(d));
  std::vector<float> sc(N);
  for (int b = 0; b < batch; ++b)
    for (int h = 0; h < heads; ++h)
      for (int p = 0; p < P; ++p) {
        const float* qr = &q[(static_cast<size_t>(b) * P + p) * C + h * d];
        float top = -INFINITY;
        for (int j = 0; j < N; ++j) {
          const float* kr = &K[(static_cast<size_t>(b) * N + j) * C + h * d];
          float dot = 0;
          for (int t = 0; t < d; ++t) dot += qr[t] * kr[t];
          sc[j] = dot * inv;
          top = std::max(top, sc[j]);
        }
        float total = 0;
        for (int j = 0; j < N; ++j) total += (sc[j] = std::exp(sc[j] - top));
        float* pr = &probs[((static_cast<size_t>(b) * heads + h) * P + p) * N];
        for (int j = 0; j < N; ++j) pr[j] = sc[j] / total;
        float* out = &host2_[(static_cast<size_t>(b) * P + p) * C + h * d];
        for (int t = 0; t < d; ++t) {
          float sum = 0;
          for (int j = 0; j < N; ++j) sum += pr[j] * V[(static_cast<size_t>(b) * N + j) * C + h * d + t];
          out[t] += scale_ * sum;
        }
      }
  backend_.write(att.row_block(0, rows), host2_.data());
}

void IpAdapter::backward(int site, const Tensor& d_att, const Tensor&, const Tensor& d_qkv, int batch,
                         int heads) {
  const UNet::AttentionSite& s = sites_.at(static_cast<size_t>(site));
  const int C = s.channels, P = s.positions, N = config_.tokens, D = config_.width, d = C / heads;
  if (scale_ == 0.0f) return;
  const std::vector<float>&K = k_[site], &V = v_[site], &probs = probs_[site], &q = q_[site];
  const int rows = batch * P;
  host2_.resize(static_cast<size_t>(rows) * C);
  backend_.read(d_att.row_block(0, rows), host2_.data());
  host_.resize(static_cast<size_t>(rows) * 3 * C);
  backend_.read(d_qkv.row_block(0, rows), host_.data());
  std::vector<float> dK(K.size(), 0.0f), dV(V.size(), 0.0f), dp(N), ds(N);
  const float inv = 1.0f / std::sqrt(static_cast<float>(d));
  for (int b = 0; b < batch; ++b)
    for (int h = 0; h < heads; ++h)
      for (int p = 0; p < P; ++p) {
        const float* dO = &host2_[(static_cast<size_t>(b) * P + p) * C + h * d];
        const float* pr = &probs[((static_cast<size_t>(b) * heads + h) * P + p) * N];
        const float* qr = &q[(static_cast<size_t>(b) * P + p) * C + h * d];
        float dot_pdp = 0;
        for (int j = 0; j < N; ++j) {
          const size_t kv = (static_cast<size_t>(b) * N + j) * C + h * d;
          float sum = 0;
          for (int t = 0; t < d; ++t) {
            sum += scale_ * dO[t] * V[kv + t];
            dV[kv + t] += pr[j] * scale_ * dO[t];
          }
          dp[j] = sum;
          dot_pdp += pr[j] * sum;
        }
        float* dq = &host_[(static_cast<size_t>(b) * P + p) * 3 * C + h * d];
        for (int j = 0; j < N; ++j) {
          ds[j] = pr[j] * (dp[j] - dot_pdp) * inv;
          const size_t kv = (static_cast<size_t>(b) * N + j) * C + h * d;
          for (int t = 0; t < d; ++t) {
            dq[t] += ds[j] * K[kv + t];
            dK[kv + t] += ds[j] * qr[t];
          }
        }
      }
  backend_.write(d_qkv.row_block(0, rows), host_.data());
  // K = tokens · W_k, V = tokens · W_v.
  const float* wk = &params_[this->wk(site)];
  const float* wv = &params_[this->wv(site)];
  float* gk = &grads_[this->wk(site)];
  float* gv = &grads_[this->wv(site)];
  for (int r = 0; r < batch * N; ++r)
    for (int i = 0; i < D; ++i) {
      const float tok = tokens_[static_cast<size_t>(r) * D + i];
      float dt = 0;
      for (int c = 0; c < C; ++c) {
        const float a = dK[static_cast<size_t>(r) * C + c], v = dV[static_cast<size_t>(r) * C + c];
        gk[static_cast<size_t>(i) * C + c] += tok * a;
        gv[static_cast<size_t>(i) * C + c] += tok * v;
        dt += a * wk[static_cast<size_t>(i) * C + c] + v * wv[static_cast<size_t>(i) * C + c];
      }
      d_tokens_[static_cast<size_t>(r) * D + i] += dt;
    }
}

void IpAdapter::finish_backward() {
  const int E = config_.embed_dim, N = config_.tokens, D = config_.width;
  std::vector<float> d_pre(pre_.size());
  for (int r = 0; r < batch_ * N; ++r) {
    const size_t row = static_cast<size_t>(r) * D;
    double mean_g = 0, mean_gx = 0;
    for (int i = 0; i < D; ++i) {
      const float g = d_tokens_[row + i];
      grads_[ln_g_ + i] += g * xhat_[row + i];
      grads_[ln_b_ + i] += g;
      const double gx = g * params_[ln_g_ + i];
      mean_g += gx;
      mean_gx += gx * xhat_[row + i];
    }
    mean_g /= D, mean_gx /= D;
    for (int i = 0; i < D; ++i) {
      const double gx = d_tokens_[row + i] * params_[ln_g_ + i];
      d_pre[row + i] = static_cast<float>(rstd_[r] * (gx - mean_g - xhat_[row + i] * mean_gx));
    }
  }
  for (int b = 0; b < batch_; ++b)
    for (int j = 0; j < N * D; ++j) {
      const float g = d_pre[static_cast<size_t>(b) * N * D + j];
      grads_[proj_b_ + j] += g;
      for (int e = 0; e < E; ++e)
        grads_[proj_w_ + static_cast<size_t>(e) * N * D + j] += emb_[static_cast<size_t>(b) * E + e] * g;
    }
}

void HostAdam::step(std::vector<float>& w, const std::vector<float>& g, float lr) {
  if (m.size() != w.size()) m.assign(w.size(), 0.0f), v.assign(w.size(), 0.0f), t = 0;
  ++t;
  const double c1 = 1 - std::pow(0.9, t), c2 = 1 - std::pow(0.999, t);
  for (size_t i = 0; i < w.size(); ++i) {
    m[i] = 0.9f * m[i] + 0.1f * g[i];
    v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
    w[i] -= static_cast<float>(lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + 1e-8));
  }
}

IpAdapterTrainer::IpAdapterTrainer(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule,
                                   const ImageDataset& data, std::vector<float> embeddings,
                                   const IpAdapterTrainConfig& config)
    : net_(net),
      adapter_(adapter),
      schedule_(schedule),
      data_(data),
      emb_(std::move(embeddings)),
      config_(config),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 1009) {
  if (data_.dim() != net_.dim()) throw std::invalid_argument("the images are not the U-Net's size");
  if (data_.count < 1) throw std::invalid_argument("IP-Adapter needs training images");
}

double IpAdapterTrainer::step() {
  const int B = config_.batch, D = data_.dim(), T = schedule_.T(), E = adapter_.config().embed_dim;
  x0_.resize(static_cast<size_t>(B) * D), xt_.resize(x0_.size()), eps_.resize(x0_.size());
  out_.resize(x0_.size()), d_out_.resize(x0_.size()), t_.resize(B);
  rows_.assign(static_cast<size_t>(B) * E, 0.0f);
  labels_.assign(B, -1);  // the null class: the image prompt carries the class
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    std::copy(data_.image(j), data_.image(j) + D, x0_.begin() + static_cast<std::ptrdiff_t>(i) * D);
    if (rng_.uniform() >= config_.drop)
      std::copy(emb_.begin() + static_cast<std::ptrdiff_t>(j) * E,
                emb_.begin() + static_cast<std::ptrdiff_t>(j + 1) * E,
                rows_.begin() + static_cast<std::ptrdiff_t>(i) * E);
    const int t = static_cast<int>(rng_.below(T));
    t_[i] = static_cast<float>(t);
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[t]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[t]);
    for (int k = 0; k < D; ++k) {
      const size_t at = static_cast<size_t>(i) * D + k;
      eps_[at] = static_cast<float>(rng_.normal());
      xt_[at] = a * x0_[at] + b * eps_[at];
    }
  }
  adapter_.set_prompts(rows_.data(), B, 1.0f);
  net_.set_attention_hook(&adapter_);
  net_.forward(xt_.data(), t_.data(), labels_.data(), B, out_.data());
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  if (std::isfinite(loss)) {
    net_.backward(d_out_.data());
    adapter_.finish_backward();
    adam_.step(adapter_.params(), adapter_.grads(), config_.lr);
  }
  net_.set_attention_hook(nullptr);
  return loss;
}

IpAdapterDenoiser::IpAdapterDenoiser(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule,
                                     std::vector<float> embeddings, std::vector<int> labels, float scale)
    : net_(net),
      adapter_(adapter),
      schedule_(schedule),
      embeddings_(std::move(embeddings)),
      labels_(std::move(labels)),
      scale_(scale) {
  const size_t E = static_cast<size_t>(adapter_.config().embed_dim);
  if (embeddings_.empty() || embeddings_.size() % E || embeddings_.size() / E != labels_.size())
    throw std::invalid_argument("one image embedding of the adapter's size and one label per prompt");
}

void IpAdapterDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  const int E = adapter_.config().embed_dim, count = static_cast<int>(labels_.size());
  rows_.resize(static_cast<size_t>(n) * E);
  row_labels_.resize(n);
  for (int i = 0; i < n; ++i) {
    std::copy(embeddings_.begin() + static_cast<std::ptrdiff_t>(i % count) * E,
              embeddings_.begin() + static_cast<std::ptrdiff_t>(i % count + 1) * E,
              rows_.begin() + static_cast<std::ptrdiff_t>(i) * E);
    row_labels_[i] = labels_[i % count];
  }
  times_.assign(n, static_cast<float>(t));
  adapter_.set_prompts(rows_.data(), n, scale_);
  net_.set_attention_hook(&adapter_);
  net_.forward(xt, times_.data(), row_labels_.data(), n, eps);
  net_.set_attention_hook(nullptr);
}

namespace {
std::string header_of(const IpAdapter& a, const std::string& base, size_t sites) {
  std::ostringstream h;
  h << "DIFFLAB-IP-ADAPTER 1\nbase = " << base << "\nembed_dim = " << a.config().embed_dim
    << "\ntokens = " << a.config().tokens << "\nwidth = " << a.config().width << "\nsites = " << sites
    << "\nparams = " << const_cast<IpAdapter&>(a).params().size() << "\nEND-HEADER\n";
  return h.str();
}

std::string header_value(const std::string& bytes, const std::string& key, const std::string& path) {
  const std::string tag = "\n" + key + " = ";
  const size_t at = bytes.find(tag);
  const size_t end_header = bytes.find("END-HEADER\n");
  if (at == std::string::npos || at > end_header) throw std::runtime_error(path + ": no '" + key + "' key");
  const size_t from = at + tag.size();
  return bytes.substr(from, bytes.find('\n', from) - from);
}
}  // namespace

void save_ip_adapter(const std::string& path, const IpAdapter& adapter, const std::string& base) {
  IpAdapter& a = const_cast<IpAdapter&>(adapter);
  std::string bytes = header_of(adapter, base, adapter.num_sites());
  bytes.append(reinterpret_cast<const char*>(a.params().data()), a.params().size() * sizeof(float));
  char line[64];
  std::snprintf(line, sizeof line, "\nchecksum fnv1a64 %016llx\n",
                static_cast<unsigned long long>(fnv1a64(bytes.data(), bytes.size())));
  bytes += line;
  write_file_atomically(path, bytes);
}

namespace {
// The file's bytes, its magic line, length and checksum checked against its own header's parameter count.
struct AdapterBytes {
  std::string bytes;
  size_t data = 0, n = 0;
};
AdapterBytes read_checked_ip_adapter(const std::string& path) {
  AdapterBytes a;
  a.bytes = read_file(path);
  const std::string& bytes = a.bytes;
  if (bytes.rfind("DIFFLAB-IP-ADAPTER 1\n", 0) != 0)
    throw std::runtime_error(path + ": not an IP-Adapter file (no 'DIFFLAB-IP-ADAPTER 1' line)");
  const size_t end = bytes.find("END-HEADER\n");
  if (end == std::string::npos)
    throw std::runtime_error(path + ": truncated IP-Adapter file (no END-HEADER)");
  const std::string count = header_value(bytes, "params", path);
  if (count.empty() || count.size() > 9 || count.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error(path + ": bad 'params' value '" + count + "'");
  a.n = std::stoull(count);
  a.data = end + 11;
  const size_t tail = a.data + a.n * sizeof(float);
  const std::string checksum_tag = "\nchecksum fnv1a64 ";
  if (bytes.size() < tail + checksum_tag.size() + 16 ||
      bytes.compare(tail, checksum_tag.size(), checksum_tag))
    throw std::runtime_error(path + ": truncated IP-Adapter file");
  char want[32];
  std::snprintf(want, sizeof want, "%016llx", static_cast<unsigned long long>(fnv1a64(bytes.data(), tail)));
  if (bytes.compare(tail + checksum_tag.size(), 16, want))
    throw std::runtime_error(path + ": checksum mismatch (the file is damaged)");
  return a;
}

// Copies a checked file's weights into `adapter`, after its sizes are checked against the adapter's.
void fill_ip_adapter(const AdapterBytes& a, const std::string& path, IpAdapter& adapter) {
  const size_t n = adapter.params().size();
  if (a.n != n || header_value(a.bytes, "embed_dim", path) != std::to_string(adapter.config().embed_dim) ||
      header_value(a.bytes, "tokens", path) != std::to_string(adapter.config().tokens) ||
      header_value(a.bytes, "width", path) != std::to_string(adapter.config().width))
    throw std::runtime_error(path + ": the adapter's sizes do not match this U-Net (" + std::to_string(n) +
                             " parameters expected)");
  std::memcpy(adapter.params().data(), a.bytes.data() + a.data, n * sizeof(float));
}
}  // namespace

std::string ip_adapter_base(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.rfind("DIFFLAB-IP-ADAPTER 1\n", 0) != 0)
    throw std::runtime_error(path + ": not an IP-Adapter file (no 'DIFFLAB-IP-ADAPTER 1' line)");
  return header_value(bytes, "base", path);
}

void load_ip_adapter(const std::string& path, IpAdapter& adapter, std::string* base) {
  const AdapterBytes a = read_checked_ip_adapter(path);
  fill_ip_adapter(a, path, adapter);
  if (base) *base = header_value(a.bytes, "base", path);
}

LoadedIpAdapter load_ip_adapter_bundle(const std::string& path, const std::string& base_path,
                                       const std::string& clip_path, int threads) {
  if (!std::filesystem::is_regular_file(path)) throw std::runtime_error(path + ": no such IP-Adapter file");
  // Read and checked once, first: a truncated or damaged file is named before its base is looked for.
  const AdapterBytes file = read_checked_ip_adapter(path);
  LoadedIpAdapter r;
  r.base_path =
      base_path.empty() ? find_base_checkpoint(path, header_value(file.bytes, "base", path)) : base_path;
  if (!std::filesystem::is_regular_file(r.base_path))
    throw std::runtime_error(path + ": its base U-Net " + r.base_path +
                             " does not exist (put it beside the adapter, or name another base)");
  r.base = load_model(r.base_path, "", std::nullopt);
  if (!r.base->is_image() || r.base->num_classes <= 0)
    throw std::runtime_error(r.base_path + " (the adapter's base) is not a class-conditional image U-Net");
  UNet& net = r.base->unet();
  net.backend().set_threads(threads);
  if (r.base->checkpoint && !r.base->checkpoint->ema_params.empty())
    net.backend().write(net.params(), r.base->checkpoint->ema_params.data());
  r.clip = load_clip(clip_path.empty() ? default_clip_path() : clip_path, threads);
  IpAdapterConfig ac;
  ac.embed_dim = r.clip->model->embed_dim();
  r.adapter = std::make_unique<IpAdapter>(ac, net.attention_sites(), net.backend());
  fill_ip_adapter(file, path, *r.adapter);
  return r;
}

IpAdapterSweep ip_adapter_sweep(UNet& net, IpAdapter& adapter, const NoiseSchedule& schedule,
                                const std::vector<float>& embedding, int reference_class,
                                const IpAdapterSweepConfig& config, Classifier* classifier,
                                const std::function<void(double)>& progress) {
  if (static_cast<int>(embedding.size()) != adapter.config().embed_dim)
    throw std::invalid_argument("one image embedding of the adapter's size");
  if (config.scales.empty() || config.samples < 1 || config.steps < 1)
    throw std::invalid_argument("IP-Adapter sweep: at least one λ, one sample and one step");
  if (config.text_class >= net.num_classes())
    throw std::invalid_argument("IP-Adapter sweep: the class must be below " +
                                std::to_string(net.num_classes()));
  const int D = net.dim(), n = config.samples, S = static_cast<int>(config.scales.size());
  IpAdapterSweep r;
  r.rows = config.text_class >= 0 ? 2 : 1;
  r.samples = n;
  r.scales = config.scales;
  r.x_T = standard_normal(n * D, config.seed);
  const int cells = r.rows * S;
  for (int row = 0; row < r.rows; ++row)
    for (int k = 0; k < S; ++k) {
      // The shared code path of `finetune --method ip-adapter`: IpAdapterDenoiser under the DDIM of FID.
      IpAdapterDenoiser den(net, adapter, schedule, embedding, {row == 0 ? -1 : config.text_class},
                            config.scales[k]);
      Sampler sampler(den, fid_sampler_config(config.steps));
      sampler.begin(r.x_T, config.seed + 1);
      sampler.run();
      r.images.insert(r.images.end(), sampler.x().begin(), sampler.x().end());
      if (progress) progress(static_cast<double>(row * S + k + 1) / cells);
    }
  if (classifier) {
    r.verdicts = classify(*classifier, r.images.data(), cells * n);
    for (int row = 0; row < r.rows; ++row)
      for (int k = 0; k < S; ++k) {
        int same = 0, text = 0;
        for (int i = 0; i < n; ++i) {
          const int v = r.verdicts[static_cast<size_t>(row * S + k) * n + i];
          same += v == reference_class;
          text += v == config.text_class;
        }
        r.agreement.push_back(static_cast<double>(same) / n);
        if (row == 1) r.text_agreement.push_back(static_cast<double>(text) / n);
      }
  }
  return r;
}

}  // namespace difflab
