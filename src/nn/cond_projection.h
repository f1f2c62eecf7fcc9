// cond_projection.h — a learned Linear map from any embedding (a text encoder's, e.g. the mini-CLIP's) to an
// image network's conditioning row: rows = e·W + b, fed to ImageNet::forward_rows. Not a text encoder and not
// cross-attention (Stable Diffusion's way): it conditions the U-Net the way its class row does, one vector
// per image added to the time embedding.
#pragma once

#include <memory>
#include <string>

#include "nn/model.h"

namespace difflab {

class CondProjection final : public Model {
 public:
  // embedding_dim → cond_dim (ImageNet::cond_dim()).
  CondProjection(int embedding_dim, int cond_dim, Backend& backend);
  ~CondProjection() override;

  std::string family() const override { return "cond-projection"; }
  ModelConfigMap config_map() const override {
    return {{"embedding_dim", std::to_string(embedding_dim_)}, {"cond_dim", std::to_string(cond_dim_)}};
  }
  Backend& backend() override { return backend_; }
  size_t num_params() const override { return (static_cast<size_t>(embedding_dim_) + 1) * cond_dim_; }
  Tensor params() const override { return params_; }
  Tensor grads() const override { return grads_; }
  // U(±1/√embedding_dim) for W and b (PyTorch's Linear default).
  void init_params(uint64_t seed) override;
  void set_params_view(const Tensor& params) override { active_params_ = params; }
  void use_own_params() override { active_params_ = params_; }
  int embedding_dim() const { return embedding_dim_; }
  int cond_dim() const { return cond_dim_; }

  // rows [B, cond_dim] = embeddings [B, embedding_dim]·W + b. Keeps the input for backward().
  void forward(const float* embeddings, int batch, float* rows);
  // grads() overwritten from d_rows [B, cond_dim] (ImageNet::read_d_rows after the network's backward);
  // d_embeddings [B, embedding_dim] written when not null (to train the text encoder through it).
  void backward(const float* d_rows, float* d_embeddings = nullptr);

 private:
  void ensure_batch(int batch);
  Tensor weight(const Tensor& base) const;
  Tensor bias(const Tensor& base) const;

  int embedding_dim_, cond_dim_;
  Backend& backend_;
  std::unique_ptr<Storage> param_storage_, grad_storage_, act_storage_;
  Tensor params_, grads_, active_params_, input_, output_, d_output_, d_input_;
  int batch_ = 0;
};

}  // namespace difflab
