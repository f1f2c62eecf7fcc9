// controlnet.cpp — the copy with an edge channel, the zero convolutions, the joint forward/backward through
// the U-Net's control hook, the training objective, the sampling adapter and the base-versus-ControlNet
// comparison from one x_T. Not a CLI and not a panel.
#include "train/controlnet.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/image_quality.h"

namespace difflab {

std::vector<float> sobel_edges(const float* images, int n, int h, int w) {
  std::vector<float> out(static_cast<size_t>(n) * h * w);
  for (int i = 0; i < n; ++i) {
    const float* im = images + static_cast<size_t>(i) * h * w;
    float* e = out.data() + static_cast<size_t>(i) * h * w;
    auto at = [&](int y, int x) { return y < 0 || y >= h || x < 0 || x >= w ? 0.0f : im[y * w + x]; };
    float largest = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float gx = at(y - 1, x + 1) + 2 * at(y, x + 1) + at(y + 1, x + 1) - at(y - 1, x - 1) -
                         2 * at(y, x - 1) - at(y + 1, x - 1);
        const float gy = at(y + 1, x - 1) + 2 * at(y + 1, x) + at(y + 1, x + 1) - at(y - 1, x - 1) -
                         2 * at(y - 1, x) - at(y - 1, x + 1);
        e[y * w + x] = std::sqrt(gx * gx + gy * gy);
        largest = std::max(largest, e[y * w + x]);
      }
    if (largest > 0)
      for (int k = 0; k < h * w; ++k) e[k] /= largest;
  }
  return out;
}

double edge_agreement(const float* samples, const float* edges, int n, int h, int w) {
  const std::vector<float> got = sobel_edges(samples, n, h, w);
  const int D = h * w;
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const float* a = got.data() + static_cast<size_t>(i) * D;
    const float* b = edges + static_cast<size_t>(i) * D;
    double ma = 0, mb = 0;
    for (int k = 0; k < D; ++k) ma += a[k], mb += b[k];
    ma /= D, mb /= D;
    double sab = 0, saa = 0, sbb = 0;
    for (int k = 0; k < D; ++k) {
      sab += (a[k] - ma) * (b[k] - mb);
      saa += (a[k] - ma) * (a[k] - ma);
      sbb += (b[k] - mb) * (b[k] - mb);
    }
    total += saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
  }
  return n > 0 ? total / n : 0.0;
}

ZeroConvs::ZeroConvs(const std::vector<UNet::ControlPointShape>& points, Backend& backend)
    : points_(points), backend_(backend) {
  for (const UNet::ControlPointShape& p : points_) {
    offsets_.push_back(count_);
    count_ += static_cast<size_t>(p.channels) * p.channels + p.channels;
  }
  param_storage_ = backend_.create_storage(count_);
  grad_storage_ = backend_.create_storage(count_);
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(count_)};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(count_)};
  active_ = params_;
  init_params(0);
}

void ZeroConvs::init_params(uint64_t) {
  backend_.fill(params_, 0.0f);
  backend_.fill(grads_, 0.0f);
}

Tensor ZeroConvs::weight(int k, bool grad) const {
  const int C = points_[k].channels;
  return Tensor{grad ? grads_.storage : active_.storage,
                (grad ? grads_.offset : active_.offset) + offsets_[k], C, C};
}

Tensor ZeroConvs::bias(int k, bool grad) const {
  const int C = points_[k].channels;
  return Tensor{grad ? grads_.storage : active_.storage,
                (grad ? grads_.offset : active_.offset) + offsets_[k] + static_cast<size_t>(C) * C, 1, C};
}

ControlNet::ControlNet(UNet& base) : base_(base) {
  UNetConfig c = base.config();
  const int cin = c.in_channels;
  c.in_channels = cin + 1;
  copy_ = std::make_unique<UNet>(c, base.backend());
  copy_->init_params(1);
  // The copy's weights = the base's (blocks of the same name and shape); conv_in gets one more input
  // channel, whose weights start at zero.
  std::vector<float> from(base.num_params()), to(copy_->num_params());
  base.backend().read(base.params(), from.data());
  base.backend().read(copy_->params(), to.data());
  for (const ParamBlock& b : copy_->layout()) {
    const auto it = std::find_if(base.layout().begin(), base.layout().end(),
                                 [&](const ParamBlock& a) { return a.name == b.name; });
    if (it == base.layout().end()) continue;
    if (it->rows == b.rows && it->cols == b.cols) {
      std::copy(from.begin() + static_cast<std::ptrdiff_t>(it->offset),
                from.begin() + static_cast<std::ptrdiff_t>(it->offset + static_cast<size_t>(b.rows) * b.cols),
                to.begin() + static_cast<std::ptrdiff_t>(b.offset));
    } else if (b.name == "conv_in.weight") {
      // Rows (tap, channel) with the channel fastest: tap·cin + ch in the base, tap·(cin + 1) + ch here.
      const int taps = it->rows / cin;
      for (int tap = 0; tap < taps; ++tap)
        for (int ch = 0; ch <= cin; ++ch)
          for (int o = 0; o < b.cols; ++o)
            to[b.offset + (static_cast<size_t>(tap) * (cin + 1) + ch) * b.cols + o] =
                ch < cin ? from[it->offset + (static_cast<size_t>(tap) * cin + ch) * it->cols + o] : 0.0f;
    }
  }
  base.backend().write(copy_->params(), to.data());
  points_ = base.control_points();
  zero_ = std::make_unique<ZeroConvs>(points_, base.backend());
}

ControlNet::~ControlNet() = default;

void ControlNet::ensure_batch(int batch) {
  if (batch == batch_) return;
  size_t total = 0;
  for (const UNet::ControlPointShape& p : points_)
    total += 3 * static_cast<size_t>(batch) * p.positions * p.channels;
  storage_ = base_.backend().create_storage(total);
  residuals_.clear(), d_residuals_.clear(), d_features_.clear();
  size_t at = 0;
  for (std::vector<Tensor>* v : {&residuals_, &d_residuals_, &d_features_})
    for (const UNet::ControlPointShape& p : points_) {
      v->push_back(Tensor{storage_.get(), at, batch * p.positions, p.channels});
      at += static_cast<size_t>(batch) * p.positions * p.channels;
    }
  batch_ = batch;
}

void ControlNet::forward(const float* x, const float* edges, const float* t, const int* labels, int batch,
                         float scale, float* out) {
  ensure_batch(batch);
  scale_ = scale;
  const int cin = base_.channels(), P = base_.height() * base_.width();
  input_.resize(static_cast<size_t>(batch) * P * (cin + 1));
  for (int i = 0; i < batch; ++i)
    for (int p = 0; p < P; ++p) {
      float* row = input_.data() + (static_cast<size_t>(i) * P + p) * (cin + 1);
      for (int ch = 0; ch < cin; ++ch) row[ch] = x[(static_cast<size_t>(i) * P + p) * cin + ch];
      row[cin] = edges[static_cast<size_t>(i) * P + p];
    }
  copy_out_.resize(input_.size());
  copy_->forward(input_.data(), t, labels, batch, copy_out_.data());
  Backend& be = base_.backend();
  for (size_t k = 0; k < points_.size(); ++k)
    be.linear_forward(residuals_[k], copy_->control_feature(static_cast<int>(k)),
                      zero_->weight(static_cast<int>(k)), zero_->bias(static_cast<int>(k)));
  base_.set_control_residuals(&residuals_, scale);
  base_.forward(x, t, labels, batch, out);
  base_.set_control_residuals(nullptr, 1.0f);
}

void ControlNet::backward(const float* d_out) {
  Backend& be = base_.backend();
  base_.backward(d_out);
  for (size_t k = 0; k < points_.size(); ++k) {
    const int K = static_cast<int>(k);
    be.copy(d_residuals_[k], base_.control_gradient(K));
    be.scale(d_residuals_[k], scale_);
    be.linear_backward(d_features_[k], zero_->weight(K, true), zero_->bias(K, true), d_residuals_[k],
                       copy_->control_feature(K), zero_->weight(K), false, false);
  }
  copy_->backward_control(nullptr, &d_features_);
}

ControlNetObjective::ControlNetObjective(ControlNet& net, const NoiseSchedule& schedule,
                                         const ImageDataset& data, const ControlNetConfig& config)
    : net_(net),
      schedule_(schedule),
      data_(data),
      config_(config),
      rng_(config.seed * 0x9E3779B97F4A7C15ULL + 977) {
  if (data_.dim() != net_.base().dim()) throw std::invalid_argument("the images are not the U-Net's size");
  if (data_.count < 1) throw std::invalid_argument("ControlNet needs training images");
}

StepResult ControlNetObjective::step(TrainLoop& loop) {
  const int B = config_.batch, D = data_.dim(), T = schedule_.T();
  x0_.resize(static_cast<size_t>(B) * D), xt_.resize(x0_.size()), eps_.resize(x0_.size());
  out_.resize(x0_.size()), d_out_.resize(x0_.size()), t_.resize(B), labels_.resize(B);
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    std::copy(data_.image(j), data_.image(j) + D, x0_.begin() + static_cast<std::ptrdiff_t>(i) * D);
    labels_[i] = data_.labels.empty() || rng_.uniform() < config_.label_dropout ? -1 : data_.labels[j];
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
  const std::vector<float> edges = sobel_edges(x0_.data(), B, data_.height, data_.width);
  net_.forward(xt_.data(), edges.data(), t_.data(), labels_.data(), B, 1.0f, out_.data());
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  StepResult r;
  r.loss = loss;
  if (std::isfinite(loss)) net_.backward(d_out_.data());
  double norm = 0;
  const bool ok_copy = loop.update(loop.part("copy"), loss, &r.grad_norm);
  const bool ok_zero = loop.update(loop.part("zero"), loss, &norm);
  r.diverged = !ok_copy || !ok_zero;
  return r;
}

ControlNetDenoiser::ControlNetDenoiser(ControlNet& net, const NoiseSchedule& schedule,
                                       std::vector<float> edges, int label, float scale)
    : net_(net), schedule_(schedule), edges_(std::move(edges)), label_(label), scale_(scale) {
  if (edges_.empty() || edges_.size() % static_cast<size_t>(net_.base().dim()) != 0)
    throw std::invalid_argument("edge maps must be whole images of the U-Net's size");
}

void ControlNetDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  const int D = dim(), count = static_cast<int>(edges_.size() / D);
  rows_.resize(static_cast<size_t>(n) * D);
  for (int i = 0; i < n; ++i)
    std::copy(edges_.begin() + static_cast<std::ptrdiff_t>(i % count) * D,
              edges_.begin() + static_cast<std::ptrdiff_t>(i % count + 1) * D,
              rows_.begin() + static_cast<std::ptrdiff_t>(i) * D);
  times_.assign(n, static_cast<float>(t));
  labels_.assign(n, label_);
  net_.forward(xt, rows_.data(), times_.data(), labels_.data(), n, scale_, eps);
}

double EdgeSamples::mean_agreement() const {
  double total = 0;
  for (double a : agreement) total += a;
  return agreement.empty() ? 0.0 : total / static_cast<double>(agreement.size());
}

EdgeSamples sample_against_edges(Denoiser& denoiser, const std::vector<float>& edges,
                                 const std::vector<float>& x_T, int height, int width, int steps,
                                 uint64_t seed, const std::function<void(double)>& progress) {
  const int D = height * width;
  if (D != denoiser.dim() || edges.empty() || edges.size() % static_cast<size_t>(D) != 0 || x_T.empty() ||
      x_T.size() % static_cast<size_t>(D) != 0)
    throw std::invalid_argument("edge maps and x_T must be whole images of the model's size");
  const int n = static_cast<int>(x_T.size() / D), count = static_cast<int>(edges.size() / D);
  Sampler sampler(denoiser, fid_sampler_config(steps));
  sampler.begin(x_T, seed);
  const double total = static_cast<double>(sampler.timesteps().size());
  sampler.run([&](int done) {
    if (progress) progress(done / total);
  });
  EdgeSamples out;
  out.images = sampler.x();
  for (int i = 0; i < n; ++i)
    out.agreement.push_back(edge_agreement(out.images.data() + static_cast<size_t>(i) * D,
                                           edges.data() + static_cast<size_t>(i % count) * D, 1, height,
                                           width));
  return out;
}

ControlComparison compare_with_base(ControlNet& net, const NoiseSchedule& schedule,
                                    const std::vector<float>& edges, int label, float scale,
                                    const std::vector<float>& x_T, int steps, uint64_t seed,
                                    const std::function<void(double)>& progress) {
  UNet& base = net.base();
  UNetDenoiser base_only(base, schedule, {}, label);
  ControlNetDenoiser controlled(net, schedule, edges, label, scale);
  ControlComparison out;
  out.base =
      sample_against_edges(base_only, edges, x_T, base.height(), base.width(), steps, seed, [&](double f) {
        if (progress) progress(0.5 * f);
      });
  out.controlled =
      sample_against_edges(controlled, edges, x_T, base.height(), base.width(), steps, seed, [&](double f) {
        if (progress) progress(0.5 + 0.5 * f);
      });
  return out;
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("max_abs_difference: sizes differ");
  double worst = 0;
  for (size_t k = 0; k < a.size(); ++k)
    worst = std::max(worst, std::abs(static_cast<double>(a[k]) - static_cast<double>(b[k])));
  return worst;
}

namespace {

// The ControlNet's header keys for a base U-Net: the copy's keys and the zero convolutions' count.
ModelConfigMap controlnet_config(UNetConfig base, size_t zero_convs) {
  base.in_channels += 1;
  ModelConfigMap m = unet_config_map(base);
  m["zero_convs"] = std::to_string(zero_convs);
  return m;
}

}  // namespace

Checkpoint controlnet_checkpoint(ControlNet& net, const Checkpoint& base, const std::string& base_path,
                                 float scale, int steps) {
  Checkpoint c;
  c.architecture = "controlnet";
  c.model_config = controlnet_config(net.base().config(), net.zero_convs().num_params());
  c.denoiser = true;
  c.schedule = base.schedule;
  c.prediction = base.prediction;
  c.dataset = base.dataset;
  c.loss = "simple";
  c.step = steps;
  c.seed = base.seed;
  std::vector<float> copy(net.copy().num_params()), zero(net.zero_convs().num_params());
  net.base().backend().read(net.copy().params(), copy.data());
  net.base().backend().read(net.zero_convs().params(), zero.data());
  c.ema_params = std::move(copy);
  c.ema_params.insert(c.ema_params.end(), zero.begin(), zero.end());
  c.extra["base"] = base_path;
  c.extra["control_scale"] = std::to_string(scale);
  return c;
}

LoadedControlNet load_controlnet(const std::string& path, const std::string& base_path) {
  const Checkpoint c = load_checkpoint(path);  // names the file when truncated or corrupt
  if (c.architecture != "controlnet")
    throw CheckpointError(path + ": not a ControlNet checkpoint (architecture " + c.architecture + ")");
  LoadedControlNet out;
  const auto base_it = c.extra.find("base");
  out.base_path = !base_path.empty() ? base_path : base_it == c.extra.end() ? "" : base_it->second;
  if (out.base_path.empty()) throw CheckpointError(path + ": no base checkpoint named (give one)");
  if (base_path.empty()) out.base_path = find_base_checkpoint(path, out.base_path);
  if (!std::filesystem::exists(out.base_path))
    throw CheckpointError(path + ": its base U-Net " + out.base_path +
                          " is not there (a ControlNet holds only the copy and the zero convolutions; "
                          "the frozen base's weights come from that file)");
  out.base = load_model(out.base_path, "", std::nullopt);
  if (!out.base->is_image() || !out.base->network || out.base->network->family() != "unet" ||
      out.base->checkpoint->flow)
    throw CheckpointError(path + ": its base " + out.base_path + " is not an ε-predicting image U-Net");
  UNet& base = out.base->unet();
  out.net = std::make_unique<ControlNet>(base);
  const ModelConfigMap expected = controlnet_config(base.config(), out.net->zero_convs().num_params());
  if (expected != c.model_config) {
    ModelConfigMap made_for = c.model_config;  // the copy's keys back to its base's
    made_for.erase("zero_convs");
    UNetConfig other = unet_config_from_map(made_for);
    other.in_channels -= 1;
    throw CheckpointError(path + ": made for another base: its U-Net is " + describe(other) + "; the base " +
                          out.base_path + " is " + describe(base.config()));
  }
  const size_t nc = out.net->copy().num_params();
  base.backend().write(out.net->copy().params(), c.ema_params.data());
  base.backend().write(out.net->zero_convs().params(), c.ema_params.data() + nc);
  const auto scale_it = c.extra.find("control_scale");
  if (scale_it != c.extra.end()) out.scale = std::stof(scale_it->second);
  return out;
}

}  // namespace difflab
