// text_latent.cpp — text-conditioned latent diffusion: frozen CLIP caption embeddings → CondProjection →
// the U-Net's conditioning row; the training objective, guided sampling from a prompt, the checkpoint keys.
// Not the CLIP, the projection or the U-Net themselves (nn/clip.h, nn/cond_projection.h, nn/unet.h).
#include "train/text_latent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "core/denoiser.h"
#include "data/captions.h"
#include "sample/sampler.h"

namespace difflab {

const std::vector<float>& TextEmbedder::embed(const std::string& text) {
  auto it = cache_.find(text);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(text, clip_.text_embedding(caption_tokenizer().encode(text))).first->second;
}

TextLatentObjective::TextLatentObjective(ImageNet& unet, CondProjection& projection, TextEmbedder& text,
                                         const ImageDataset& latents, const NoiseSchedule& schedule,
                                         const TextLatentSettings& settings)
    : unet_(unet),
      projection_(projection),
      text_(text),
      data_(latents),
      schedule_(schedule),
      settings_(settings),
      rng_(settings.seed) {
  if (projection.cond_dim() != unet.cond_dim() || projection.embedding_dim() != text.dim())
    throw std::invalid_argument(
        "text latent: the projection's sizes do not match the U-Net and the text encoder");
}

double TextLatentObjective::gradients(const float* x0, const float* t, const float* eps,
                                      const float* embeddings, int batch) {
  const int D = unet_.dim(), C = unet_.cond_dim();
  xt_.resize(static_cast<size_t>(batch) * D);
  out_.resize(xt_.size());
  d_out_.resize(xt_.size());
  rows_.resize(static_cast<size_t>(batch) * C);
  d_rows_.resize(rows_.size());
  // xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.
  for (int i = 0; i < batch; ++i) {
    const int ti = static_cast<int>(t[i]);
    const float a = static_cast<float>(schedule_.sqrt_alpha_bar[ti]);
    const float b = static_cast<float>(schedule_.sqrt_one_minus_alpha_bar[ti]);
    for (int k = 0; k < D; ++k) {
      const size_t j = static_cast<size_t>(i) * D + k;
      xt_[j] = a * x0[j] + b * eps[j];
    }
  }
  projection_.forward(embeddings, batch, rows_.data());
  unet_.forward_rows(xt_.data(), t, rows_.data(), batch, out_.data());
  double loss = 0;
  const double scale = 2.0 / (static_cast<double>(batch) * D);
  for (size_t k = 0; k < out_.size(); ++k) {
    const double diff = out_[k] - eps[k];
    loss += diff * diff;
    d_out_[k] = static_cast<float>(scale * diff);
  }
  loss /= static_cast<double>(batch) * D;
  if (!std::isfinite(loss)) return loss;
  unet_.backward(d_out_.data());
  unet_.read_d_rows(d_rows_.data());
  projection_.backward(d_rows_.data());
  return loss;
}

StepResult TextLatentObjective::step(TrainLoop& loop) {
  const int B = settings_.batch, D = data_.dim(), E = text_.dim(), T = schedule_.T();
  x0_.resize(static_cast<size_t>(B) * D);
  eps_.resize(x0_.size());
  t_.resize(B);
  emb_.assign(static_cast<size_t>(B) * E, 0.0f);
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.count));
    t_[i] = static_cast<float>(rng_.below(T));
    std::copy(data_.image(j), data_.image(j) + D, x0_.begin() + static_cast<size_t>(i) * D);
    for (int k = 0; k < D; ++k) eps_[static_cast<size_t>(i) * D + k] = static_cast<float>(rng_.normal());
    if (rng_.uniform() < settings_.caption_dropout) continue;  // the null row: embedding 0
    const std::vector<float>& e = text_.embed(random_caption(data_.labels[j], rng_));
    std::copy(e.begin(), e.end(), emb_.begin() + static_cast<size_t>(i) * E);
  }
  StepResult result;
  result.loss = gradients(x0_.data(), t_.data(), eps_.data(), emb_.data(), B);
  double norm_u = 0, norm_p = 0;
  const bool ok_u = loop.update(loop.part(0), result.loss, &norm_u);
  const bool ok_p = loop.update(loop.part(1), result.loss, &norm_p);
  result.grad_norm = std::sqrt(norm_u * norm_u + norm_p * norm_p);
  result.diverged = !ok_u || !ok_p;
  return result;
}

namespace {

// ε̂ = ε̂(xₜ, ∅) + γ (ε̂(xₜ, text) − ε̂(xₜ, ∅)), x̂₀ then clipped to [−clip, clip] and ε̂ recomputed.
class TextCfgDenoiser final : public Denoiser {
 public:
  TextCfgDenoiser(ImageNet& unet, CondProjection& projection, const NoiseSchedule& schedule,
                  const std::vector<float>& embedding, double gamma, double clip)
      : unet_(unet),
        projection_(projection),
        schedule_(schedule),
        embedding_(embedding),
        gamma_(gamma),
        clip_(clip) {}
  int dim() const override { return unet_.dim(); }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    const int D = dim(), C = unet_.cond_dim(), E = projection_.embedding_dim();
    std::vector<float> emb(static_cast<size_t>(2) * n * E, 0.0f);  // the second half stays 0: the null row
    for (int i = 0; i < n; ++i)
      std::copy(embedding_.begin(), embedding_.end(), emb.begin() + static_cast<size_t>(i) * E);
    std::vector<float> rows(static_cast<size_t>(2) * n * C), x(static_cast<size_t>(2) * n * D), out(x.size()),
        ts(static_cast<size_t>(2) * n, static_cast<float>(t));
    projection_.forward(emb.data(), 2 * n, rows.data());
    std::copy(xt, xt + static_cast<size_t>(n) * D, x.begin());
    std::copy(xt, xt + static_cast<size_t>(n) * D, x.begin() + static_cast<size_t>(n) * D);
    unet_.forward_rows(x.data(), ts.data(), rows.data(), 2 * n, out.data());
    const double a = schedule_.sqrt_alpha_bar[t], b = schedule_.sqrt_one_minus_alpha_bar[t];
    for (size_t k = 0; k < static_cast<size_t>(n) * D; ++k) {
      const double u = out[static_cast<size_t>(n) * D + k];
      double e = u + gamma_ * (out[k] - u);
      if (clip_ > 0) {
        const double x0 = std::clamp((xt[k] - b * e) / a, -clip_, clip_);
        e = (xt[k] - a * x0) / b;
      }
      eps[k] = static_cast<float>(e);
    }
  }

 private:
  ImageNet& unet_;
  CondProjection& projection_;
  const NoiseSchedule& schedule_;
  const std::vector<float>& embedding_;
  double gamma_, clip_;
};

}  // namespace

std::vector<float> sample_text_latents(ImageNet& unet, CondProjection& projection,
                                       const NoiseSchedule& schedule, const std::vector<float>& embedding,
                                       int n, double gamma, int steps, uint64_t seed, double clip) {
  if (static_cast<int>(embedding.size()) != projection.embedding_dim())
    throw std::invalid_argument("text latent: the embedding's size is not the projection's");
  TextCfgDenoiser denoiser(unet, projection, schedule, embedding, gamma, clip);
  SamplerConfig sc;
  sc.record_trajectory = false;
  sc.clip_x0 = false;
  sc.kind = SamplerKind::Ddim;
  sc.steps = steps;
  Sampler sampler(denoiser, sc);
  sampler.begin(standard_normal(n * unet.dim(), seed), seed + 1);
  sampler.run();
  return sampler.x();
}

void put_text_projection(Checkpoint& checkpoint, const std::vector<float>& projection_params,
                         int embedding_dim) {
  std::string s;
  char b[32];
  for (size_t k = 0; k < projection_params.size(); ++k) {
    std::snprintf(b, sizeof b, k ? " %.9g" : "%.9g", static_cast<double>(projection_params[k]));
    s += b;
  }
  checkpoint.extra["text_embedding_dim"] = std::to_string(embedding_dim);
  checkpoint.extra["text_projection"] = s;
}

std::vector<float> get_text_projection(const Checkpoint& checkpoint, int* embedding_dim, int cond_dim) {
  const auto d = checkpoint.extra.find("text_embedding_dim");
  const auto w = checkpoint.extra.find("text_projection");
  if (d == checkpoint.extra.end() || w == checkpoint.extra.end())
    throw std::invalid_argument(
        "not a text-conditioned checkpoint (no text_projection; difflab latent train --text)");
  const int E = std::stoi(d->second);
  if (E < 1 || E > 4096) throw std::invalid_argument("text_embedding_dim out of range");
  std::vector<float> params;
  params.reserve(static_cast<size_t>(E + 1) * cond_dim);
  std::istringstream in(w->second);
  double v;
  while (params.size() <= static_cast<size_t>(E + 1) * cond_dim && in >> v) {
    if (!std::isfinite(v)) throw std::invalid_argument("text_projection: a weight is not finite");
    params.push_back(static_cast<float>(v));
  }
  if (params.size() != static_cast<size_t>(E + 1) * cond_dim)
    throw std::invalid_argument("text_projection: " + std::to_string(params.size()) + " numbers, expected " +
                                std::to_string((E + 1) * cond_dim));
  *embedding_dim = E;
  return params;
}

}  // namespace difflab
