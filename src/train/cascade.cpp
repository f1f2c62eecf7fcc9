// cascade.cpp — the cascade's resampling, noise augmentation, SR objective, stage loading and sampling.
// Not the CLI (app/cli_cascade.cpp) nor the panel (lecture/panel_cascade.cpp).
#include "train/cascade.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/denoiser.h"
#include "nn/backend_factory.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"

namespace difflab {

std::vector<float> downsample_2x(const float* images, int n, int side) {
  if (side % 2 != 0) throw std::invalid_argument("downsample_2x: the side must be even");
  const int h = side / 2;
  std::vector<float> out(static_cast<size_t>(n) * h * h);
  for (int i = 0; i < n; ++i) {
    const float* x = images + static_cast<size_t>(i) * side * side;
    float* y = out.data() + static_cast<size_t>(i) * h * h;
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < h; ++c)
        y[r * h + c] = 0.25f * (x[2 * r * side + 2 * c] + x[2 * r * side + 2 * c + 1] +
                                x[(2 * r + 1) * side + 2 * c] + x[(2 * r + 1) * side + 2 * c + 1]);
  }
  return out;
}

std::vector<float> upsample_2x(const float* images, int n, int side) {
  const int H = 2 * side;
  // Source coordinate of output index i: i/2 − 1/4, clamped to [0, side − 1].
  std::vector<int> lo(H), hi(H);
  std::vector<float> w(H);
  for (int i = 0; i < H; ++i) {
    const double u = std::clamp(i / 2.0 - 0.25, 0.0, static_cast<double>(side - 1));
    lo[i] = static_cast<int>(std::floor(u));
    hi[i] = std::min(lo[i] + 1, side - 1);
    w[i] = static_cast<float>(u - lo[i]);
  }
  std::vector<float> out(static_cast<size_t>(n) * H * H);
  for (int k = 0; k < n; ++k) {
    const float* x = images + static_cast<size_t>(k) * side * side;
    float* y = out.data() + static_cast<size_t>(k) * H * H;
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < H; ++c) {
        const float top = (1 - w[c]) * x[lo[r] * side + lo[c]] + w[c] * x[lo[r] * side + hi[c]];
        const float bottom = (1 - w[c]) * x[hi[r] * side + lo[c]] + w[c] * x[hi[r] * side + hi[c]];
        y[r * H + c] = (1 - w[r]) * top + w[r] * bottom;
      }
  }
  return out;
}

void noise_augment(float* z, const float* noise, size_t count, double s) {
  if (s <= 0) return;
  const float a = static_cast<float>(std::sqrt(1 - s)), b = static_cast<float>(std::sqrt(s));
  for (size_t k = 0; k < count; ++k) z[k] = a * z[k] + b * noise[k];
}

UNetConfig cascade_base_config() {
  UNetConfig c;
  c.name = "cascade-base";
  c.channels = {32, 64};  // 14 → 7
  c.attention = {0, 0};
  c.mid_attention = true;
  c.layers = 1;
  c.groups = 8;
  c.head_dim = 32;
  c.height = c.width = kCascadeLowSide;
  c.in_channels = 1;
  c.num_classes = 10;
  return c;
}

UNetConfig cascade_sr_config() {
  UNetConfig c;
  c.name = "cascade-sr";
  c.channels = {16, 32, 32};  // 28 → 14 → 7
  c.attention = {0, 0, 0};
  c.mid_attention = false;
  c.layers = 1;
  c.groups = 8;
  c.head_dim = 32;
  c.height = c.width = kCascadeHighSide;
  c.in_channels = kCascadeSrChannels;
  c.num_classes = 10;
  return c;
}

ImageDataset downsample_dataset(const ImageDataset& data) {
  if (data.height != kCascadeHighSide || data.width != kCascadeHighSide || data.channels != 1)
    throw std::invalid_argument("the cascade needs 28x28 one-channel images");
  ImageDataset low = data;
  low.height = low.width = kCascadeLowSide;
  low.pixels = downsample_2x(data.pixels.data(), data.count, kCascadeHighSide);
  low.description = data.description + ", 2x2-average-pooled to 14x14";
  return low;
}

CascadeSrObjective::CascadeSrObjective(ImageNet& net, const NoiseSchedule& schedule, const ImageDataset& data,
                                       int batch, double aug_max, double label_dropout, uint64_t seed)
    : net_(net),
      schedule_(schedule),
      data_(data),
      batch_(batch),
      aug_max_(aug_max),
      label_dropout_(label_dropout),
      rng_(seed * 0x9E3779B97F4A7C15ULL + 31),
      channels_(net.channels()) {
  if (channels_ != kCascadeSrChannels && channels_ != kCascadeSrLegacyChannels)
    throw std::invalid_argument("CascadeSrObjective: the SR net needs in_channels 3 (or 2), not " +
                                std::to_string(channels_));
  const size_t D = static_cast<size_t>(kCascadeHighSide) * kCascadeHighSide;
  x0_.resize(batch * D), eps_.resize(batch * D), input_.resize(channels_ * batch * D),
      out_.resize(channels_ * batch * D), d_out_.resize(channels_ * batch * D);
  t_.resize(batch);
  labels_.resize(batch);
}

StepResult CascadeSrObjective::step(TrainLoop& loop) {
  const int B = batch_, T = schedule_.T();
  const size_t D = static_cast<size_t>(kCascadeHighSide) * kCascadeHighSide, C = channels_;
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    std::copy(data_.image(j), data_.image(j) + D, x0_.begin() + i * D);
    labels_[i] = data_.labels.empty() || rng_.uniform() < label_dropout_ ? -1 : data_.labels[j];
  }
  const std::vector<float> low = downsample_2x(x0_.data(), B, kCascadeHighSide);
  std::vector<float> z = upsample_2x(low.data(), B, kCascadeLowSide);
  std::vector<float> aug_noise(D);
  for (int i = 0; i < B; ++i) {
    const int t = static_cast<int>(rng_.below(T));
    t_[i] = static_cast<float>(t);
    const double s = aug_max_ * rng_.uniform();
    for (float& v : aug_noise) v = static_cast<float>(rng_.normal());
    noise_augment(z.data() + i * D, aug_noise.data(), D, s);
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[t]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[t]);
    for (size_t k = 0; k < D; ++k) {
      const float e = static_cast<float>(rng_.normal());
      eps_[i * D + k] = e;
      input_[C * (i * D + k)] = a * x0_[i * D + k] + b * e;
      input_[C * (i * D + k) + 1] = z[i * D + k];
      if (C == 3) input_[C * (i * D + k) + 2] = static_cast<float>(s);
    }
  }
  net_.forward(input_.data(), t_.data(), labels_.data(), B, out_.data());
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(B) * D);
  std::fill(d_out_.begin(), d_out_.end(), 0.0f);  // the output's conditioning channels are not trained
  for (size_t k = 0; k < B * D; ++k) {
    const double diff = out_[C * k] - eps_[k];
    loss += diff * diff;
    d_out_[C * k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(B) * D;
  StepResult result;
  result.loss = loss;
  if (std::isfinite(loss)) net_.backward(d_out_.data());
  result.diverged = !loop.update(loop.part(0), loss, &result.grad_norm);
  return result;
}

void check_cascade_stage(const UNetConfig& c, CascadeStageKind kind, const std::string& path) {
  const bool base = kind == CascadeStageKind::Base;
  const int side = base ? kCascadeLowSide : kCascadeHighSide, channels = base ? 1 : kCascadeSrChannels;
  const bool channels_ok = c.in_channels == channels || (!base && c.in_channels == kCascadeSrLegacyChannels);
  if (c.height != side || c.width != side || !channels_ok)
    throw std::invalid_argument(
        path + ": the cascade's " + (base ? "base" : "super-resolution") + " stage needs a " +
        std::to_string(side) + "x" + std::to_string(side) + " U-Net with in_channels " +
        (base ? std::string("1") : std::string("3 (or 2 before s was an input)")) + ", this checkpoint has " +
        std::to_string(c.height) + "x" + std::to_string(c.width) + " with in_channels " +
        std::to_string(c.in_channels));
  if (c.num_classes < 1)
    throw std::invalid_argument(path +
                                ": the cascade's stages are class-conditional; this U-Net has no classes");
}

std::unique_ptr<CascadeStage> load_cascade_stage(const std::string& path, CascadeStageKind kind,
                                                 int threads) {
  auto s = std::make_unique<CascadeStage>();
  s->checkpoint = load_checkpoint(path);
  if (s->checkpoint.architecture != "unet")
    throw std::invalid_argument(path + ": architecture " + s->checkpoint.architecture + ", not unet");
  const UNetConfig config = unet_config_from_map(s->checkpoint.model_config);
  check_cascade_stage(config, kind, path);
  s->backend = make_backend(BackendKind::cpu);
  s->backend->set_threads(threads);
  s->net = std::make_unique<UNet>(config, *s->backend);
  s->backend->write(s->net->params(), s->checkpoint.ema_params.data());
  s->schedule = make_schedule(s->checkpoint.schedule);
  return s;
}

namespace {

// ε̂ of a class-conditional U-Net with one label per row (labels[i mod size]).
class LabelledDenoiser : public Denoiser {
 public:
  LabelledDenoiser(ImageNet& net, const NoiseSchedule& schedule, std::vector<int> labels)
      : net_(net), schedule_(schedule), labels_(std::move(labels)) {
    if (labels_.empty()) labels_ = {-1};
  }
  int dim() const override { return net_.height() * net_.width(); }
  const NoiseSchedule& schedule() const override { return schedule_; }

 protected:
  // Runs the net on `input` (n rows of net.dim()) in batches of 64 into `out` (n rows of net.dim()).
  void run(const float* input, int n, int t, float* out) {
    const int D = net_.dim();
    for (int first = 0; first < n; first += 64) {
      const int count = std::min(64, n - first);
      times_.assign(count, static_cast<float>(t));
      batch_labels_.resize(count);
      for (int i = 0; i < count; ++i) batch_labels_[i] = labels_[(first + i) % labels_.size()];
      net_.forward(input + static_cast<size_t>(first) * D, times_.data(), batch_labels_.data(), count,
                   out + static_cast<size_t>(first) * D);
    }
  }
  ImageNet& net_;
  const NoiseSchedule& schedule_;
  std::vector<int> labels_;
  std::vector<float> times_;
  std::vector<int> batch_labels_;
};

class BaseDenoiser final : public LabelledDenoiser {
 public:
  using LabelledDenoiser::LabelledDenoiser;
  void predict_eps(const float* xt, int n, int t, float* eps) override { run(xt, n, t, eps); }
};

// The SR net as a denoiser of the 28×28 image alone: the conditioning channel (and, for a 3-channel net,
// the s plane) is interleaved in, and channel 0 of the output read out.
class SrDenoiser final : public LabelledDenoiser {
 public:
  SrDenoiser(ImageNet& net, const NoiseSchedule& schedule, std::vector<int> labels, std::vector<float> cond,
             double s)
      : LabelledDenoiser(net, schedule, std::move(labels)),
        cond_(std::move(cond)),
        s_(static_cast<float>(s)) {}
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    const size_t D = dim(), C = net_.channels();
    input_.resize(C * n * D);
    out_.resize(C * n * D);
    for (size_t k = 0; k < n * D; ++k) {
      input_[C * k] = xt[k];
      input_[C * k + 1] = cond_[k];
      if (C == 3) input_[C * k + 2] = s_;
    }
    run(input_.data(), n, t, out_.data());
    for (size_t k = 0; k < n * D; ++k) eps[k] = out_[C * k];
  }

 private:
  std::vector<float> cond_, input_, out_;
  float s_;
};

std::vector<float> run_ddim(Denoiser& denoiser, int n, int steps, uint64_t seed) {
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.clip_x0 = true;
  sc.kind = SamplerKind::Ddim;
  sc.steps = steps;
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(n * denoiser.dim(), seed), seed + 1);
  sampler.run();
  return sampler.x();
}

}  // namespace

std::vector<float> sample_cascade_base(CascadeStage& base, int n, const std::vector<int>& labels, int steps,
                                       uint64_t seed) {
  BaseDenoiser denoiser(*base.net, base.schedule, labels);
  return run_ddim(denoiser, n, steps, seed);
}

std::vector<float> sample_cascade_sr(CascadeStage& sr, const std::vector<float>& low, int n,
                                     const std::vector<int>& labels, double s, int steps, uint64_t seed) {
  const size_t low_dim = static_cast<size_t>(kCascadeLowSide) * kCascadeLowSide;
  if (low.size() != n * low_dim)
    throw std::invalid_argument("sample_cascade_sr: the low-res images are not 14x14");
  std::vector<float> z = upsample_2x(low.data(), n, kCascadeLowSide);
  const std::vector<float> noise = standard_normal(static_cast<int>(z.size()), seed);
  noise_augment(z.data(), noise.data(), z.size(), s);
  SrDenoiser denoiser(*sr.net, sr.schedule, labels, std::move(z), s);
  return run_ddim(denoiser, n, steps, seed + 1);
}

bool cascade_sr_reads_s(const CascadeStage& sr) {
  return sr.net->channels() == kCascadeSrChannels;
}

double image_roughness(const float* image, int side) {
  double sum = 0;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      // Clamped edges: a missing neighbour is the pixel itself.
      const float v = image[r * side + c];
      const float up = r > 0 ? image[(r - 1) * side + c] : v,
                  down = r + 1 < side ? image[(r + 1) * side + c] : v;
      const float left = c > 0 ? image[r * side + c - 1] : v,
                  right = c + 1 < side ? image[r * side + c + 1] : v;
      const double lap = static_cast<double>(up) + down + left + right - 4.0 * v;
      sum += lap * lap;
    }
  return sum / (static_cast<double>(side) * side);
}

}  // namespace difflab
