// cond_mlp.h — the class-conditional 2-D MLP denoiser ("mlp2d-cond"): the diffusion MLP plus a class
// embedding with a null class, its ConditionalDenoiser adapter and the batched classifier-free guided pass.
// Not training (train/cond_objective.h) and not the exact guided field (core/guidance.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/conditional.h"
#include "nn/mlp.h"
#include "nn/model.h"

namespace difflab {

struct CondMlpConfig {
  MlpConfig mlp;        // the unconditional MLP's architecture (mlp.h)
  int num_classes = 8;  // K; the embedding has K + 1 rows, row K = no class (the null class ∅)
};

// input [B, 3] = (x, y, t), label [B] ∈ {0 … K} (K = ∅) →
//   z₀ = Linear(sinusoidal(x, y, t)) + E[label]  → the MLP's residual blocks → Linear(W, 2) = ε̂.
// The class enters as a learned row added to the first hidden pre-activation (Ho & Salimans 2022 use the
// same "add a class embedding to the time embedding" in their U-Net).
class CondMlpModel final : public Model {
 public:
  CondMlpModel(const CondMlpConfig& config, Backend& backend);
  static size_t count_params(const CondMlpConfig& config);

  const CondMlpConfig& config() const { return config_; }
  int num_classes() const { return config_.num_classes; }
  int null_label() const { return config_.num_classes; }

  // Model
  std::string family() const override { return "mlp2d-cond"; }
  ModelConfigMap config_map() const override;
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return num_params_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }

  // out [B, 2] for input [B, 3] and one label per row (0 … K, K = ∅). Keeps activations for backward().
  void forward(const float* input, const int* labels, int batch, float* out);
  // Gradients w.r.t. every parameter (grads() overwritten) from d_out [B, 2].
  void backward(const float* d_out);
  // Inference for n points at one t with per-row labels, in chunks (memory does not grow with n).
  void predict(const float* xy, const int* labels, int n, float t, float* out);
  static constexpr int kInferenceChunk = 4096;

 private:
  Tensor param(int index) const;
  Tensor grad(int index) const;
  void ensure_batch(int batch);

  CondMlpConfig config_;
  Backend& backend_;
  std::vector<ParamBlock> layout_;  // linear layers as in MlpModel, then the class table
  size_t num_params_ = 0;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_;
  int batch_capacity_ = -1;
  Tensor input_, embedding_, class_rows_, out_, d_out_, d_h_, d_z_;
  std::vector<Tensor> z_, h_;
  std::vector<int> labels_;
  std::vector<float> scratch_in_;
};

// Model-family entry helpers (nn/model_family.cpp): the configuration keys of "mlp2d-cond".
CondMlpConfig cond_mlp_config_from_map(const ModelConfigMap& map);

// A CondMlpModel as a ConditionalDenoiser (ε prediction), optionally with another weight buffer (the EMA).
class CondMlpDenoiser final : public ConditionalDenoiser {
 public:
  CondMlpDenoiser(CondMlpModel& model, const NoiseSchedule& schedule, Tensor params = {}, DataBox box = {})
      : model_(model), schedule_(schedule), params_(params), box_(std::move(box)) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  const DataBox& data_box() const override { return box_; }
  int num_classes() const override { return model_.num_classes(); }
  // label −1 (or K) = the null class.
  void predict_eps_class(const float* xt, int n, int t, int label, float* eps) override;
  // ε̂(xₜ, y) and ε̂(xₜ, ∅) with ONE forward of 2n rows (the first n with ∅, the last n with y). Matches
  // ConditionalDenoiser::predict_eps_pair.
  void predict_eps_pair(const float* xt, int n, int t, int label, float* eps_cond,
                        float* eps_uncond) override;
  // ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y) from predict_eps_pair.
  // γ = 0 and γ = 1 skip the pass they do not need.
  void predict_eps_guided(const float* xt, int n, int t, int label, double gamma, float* eps);
  // Per-row labels (−1 = ∅): the general batched pass.
  void predict_eps_rows(const float* xt, const int* labels, int n, int t, float* eps);
  CondMlpModel& model() { return model_; }

 private:
  CondMlpModel& model_;
  const NoiseSchedule& schedule_;
  Tensor params_;
  DataBox box_;
  std::vector<float> rows_in_, rows_out_, pair_cond_, pair_uncond_;
  std::vector<int> rows_labels_;
};

// LOCAL STAND-IN (until exactguide's sample/guided.h lands; the integrator may replace it with its CFG
// wrapper, keeping the batched pass): a plain Denoiser that samplers can run, giving the classifier-free
// guided ε̃ for one class and γ with one 2n-row forward per step.
class CondMlpGuidedDenoiser final : public Denoiser {
 public:
  CondMlpGuidedDenoiser(CondMlpDenoiser& inner, int label, double gamma)
      : inner_(inner), label_(label), gamma_(gamma) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return inner_.schedule(); }
  const DataBox& data_box() const override { return inner_.data_box(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    inner_.predict_eps_guided(xt, n, t, label_, gamma_, eps);
  }
  void set_gamma(double gamma) { gamma_ = gamma; }
  void set_label(int label) { label_ = label; }

 private:
  CondMlpDenoiser& inner_;
  int label_;
  double gamma_;
};

}  // namespace difflab
