// cond_projection.cpp — the embedding → conditioning-row Linear map, forward and backward through Backend
// ops. Not trained here: a text-conditioning objective runs the U-Net's backward, reads d_rows, then this
// backward.
#include "nn/cond_projection.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.h"

namespace difflab {

CondProjection::CondProjection(int embedding_dim, int cond_dim, Backend& backend)
    : embedding_dim_(embedding_dim), cond_dim_(cond_dim), backend_(backend) {
  if (embedding_dim < 1 || cond_dim < 1)
    throw std::invalid_argument("CondProjection: sizes must be positive");
  param_storage_ = backend_.create_storage(num_params());
  grad_storage_ = backend_.create_storage(num_params());
  params_ = Tensor{param_storage_.get(), 0, 1, static_cast<int>(num_params())};
  grads_ = Tensor{grad_storage_.get(), 0, 1, static_cast<int>(num_params())};
  active_params_ = params_;
}

CondProjection::~CondProjection() = default;

Tensor CondProjection::weight(const Tensor& base) const {
  return Tensor{base.storage, base.offset, embedding_dim_, cond_dim_};
}
Tensor CondProjection::bias(const Tensor& base) const {
  return Tensor{base.storage, base.offset + static_cast<size_t>(embedding_dim_) * cond_dim_, 1, cond_dim_};
}

void CondProjection::init_params(uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 37);
  std::vector<float> values(num_params());
  const double bound = 1.0 / std::sqrt(static_cast<double>(embedding_dim_));
  for (float& v : values) v = static_cast<float>((2 * rng.uniform() - 1) * bound);
  backend_.write(params_, values.data());
}

void CondProjection::ensure_batch(int batch) {
  if (batch == batch_) return;
  const size_t in = static_cast<size_t>(batch) * embedding_dim_, out = static_cast<size_t>(batch) * cond_dim_;
  if (!act_storage_ || act_storage_->size < 2 * in + 2 * out)  // grow only: a smaller batch reuses it
    act_storage_ = backend_.create_storage(2 * in + 2 * out);
  input_ = Tensor{act_storage_.get(), 0, batch, embedding_dim_};
  d_input_ = Tensor{act_storage_.get(), in, batch, embedding_dim_};
  output_ = Tensor{act_storage_.get(), 2 * in, batch, cond_dim_};
  d_output_ = Tensor{act_storage_.get(), 2 * in + out, batch, cond_dim_};
  batch_ = batch;
}

void CondProjection::forward(const float* embeddings, int batch, float* rows) {
  ensure_batch(batch);
  backend_.write(input_, embeddings);
  backend_.linear_forward(output_, input_, weight(active_params_), bias(active_params_));
  backend_.read(output_, rows);
}

void CondProjection::backward(const float* d_rows, float* d_embeddings) {
  backend_.write(d_output_, d_rows);
  backend_.linear_backward(d_embeddings ? d_input_ : Tensor{}, weight(grads_), bias(grads_), d_output_,
                           input_, weight(active_params_), false, false);
  if (d_embeddings) backend_.read(d_input_, d_embeddings);
}

}  // namespace difflab
