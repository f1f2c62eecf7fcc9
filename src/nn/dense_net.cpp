// dense_net.cpp — forward and backward of a plain MLP as backend ops, with optional spectral norm.
// Not a loss: objectives (train/gan_objective.cpp, train/vae_objective.cpp) turn outputs into d_out.
#include "nn/dense_net.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/rng.h"

namespace difflab {

namespace {
std::vector<ParamBlock> make_layout(const DenseNetConfig& c) {
  std::vector<ParamBlock> layout;
  size_t n = 0;
  auto add = [&](const std::string& name, int in, int out) {
    layout.push_back({name + ".weight", n, in, out});
    n += static_cast<size_t>(in) * out;
    layout.push_back({name + ".bias", n, 1, out});
    n += out;
  };
  add("layer0", c.inputs, c.width);
  for (int i = 1; i < c.depth; ++i) add("layer" + std::to_string(i), c.width, c.width);
  add("output", c.width, c.outputs);
  return layout;
}
void check(const DenseNetConfig& c) {
  if (c.inputs < 1 || c.inputs > 64 || c.outputs < 1 || c.outputs > 64)
    throw std::invalid_argument("dense net: inputs and outputs must be 1 … 64");
  if (c.width < 1 || c.width > 4096) throw std::invalid_argument("dense net: width must be 1 … 4096");
  if (c.depth < 1 || c.depth > 64) throw std::invalid_argument("dense net: depth must be 1 … 64");
}
}  // namespace

size_t DenseNet::params_size(const DenseNetConfig& config) {
  check(config);
  const auto layout = make_layout(config);
  return layout.back().offset + layout.back().rows * static_cast<size_t>(layout.back().cols);
}

DenseNet::DenseNet(const DenseNetConfig& config, Backend& backend, Tensor params, Tensor grads)
    : config_(config), backend_(backend), layout_(make_layout(config)), params_(params), grads_(grads) {
  if (params.size() != params_size(config) || grads.size() != params.size())
    throw std::invalid_argument("dense net: parameter views of the wrong size");
  active_ = params_;
  if (config.spectral_norm) {
    size_t total = 0;
    for (int l = 0; l < layers(); ++l)
      total += layout_[2 * l].rows * static_cast<size_t>(layout_[2 * l].cols);
    sn_storage_ = backend.create_storage(total);
    size_t off = 0;
    Rng rng(7);
    for (int l = 0; l < layers(); ++l) {
      const ParamBlock& w = layout_[2 * l];
      sn_weight_.push_back(Tensor{sn_storage_.get(), off, w.rows, w.cols});
      off += w.rows * static_cast<size_t>(w.cols);
      std::vector<double> u(w.rows);
      for (double& x : u) x = rng.normal();
      sn_u_.push_back(u);
      sn_v_.push_back(std::vector<double>(w.cols, 0.0));
    }
    sigma_.assign(layers(), 1.0);
  }
}

void DenseNet::init_values(std::vector<float>& values, size_t offset, uint64_t seed) const {
  Rng rng(seed);
  for (size_t i = 0; i + 1 < layout_.size(); i += 2) {
    const ParamBlock& w = layout_[i];
    const double bound = 1.0 / std::sqrt(static_cast<double>(w.rows));
    for (int k = 0; k < w.rows * w.cols; ++k)
      values[offset + w.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
    const ParamBlock& b = layout_[i + 1];
    for (int k = 0; k < b.cols; ++k)
      values[offset + b.offset + k] = static_cast<float>(rng.uniform(-bound, bound));
  }
}

Tensor DenseNet::weight(int layer) const {
  if (config_.spectral_norm) return sn_weight_[layer];
  const ParamBlock& b = layout_[2 * layer];
  return Tensor{active_.storage, active_.offset + b.offset, b.rows, b.cols};
}
Tensor DenseNet::bias(int layer) const {
  const ParamBlock& b = layout_[2 * layer + 1];
  return Tensor{active_.storage, active_.offset + b.offset, b.rows, b.cols};
}
Tensor DenseNet::grad(int index) const {
  const ParamBlock& b = layout_[index];
  return Tensor{grads_.storage, grads_.offset + b.offset, b.rows, b.cols};
}

void DenseNet::refresh_spectral_norm(int iterations) {
  if (!config_.spectral_norm) return;
  for (int l = 0; l < layers(); ++l) {
    const ParamBlock& b = layout_[2 * l];
    const int R = b.rows, C = b.cols;
    std::vector<float> w(static_cast<size_t>(R) * C);
    backend_.read(Tensor{active_.storage, active_.offset + b.offset, R, C}, w.data());
    std::vector<double>& u = sn_u_[l];
    std::vector<double>& v = sn_v_[l];
    auto normalise = [](std::vector<double>& x) {
      double n = 0;
      for (double e : x) n += e * e;
      n = std::sqrt(n) + 1e-12;
      for (double& e : x) e /= n;
    };
    for (int it = 0; it < std::max(1, iterations); ++it) {
      // v ← Wᵀu/‖·‖, u ← Wv/‖·‖ (W is rows × cols).
      std::fill(v.begin(), v.end(), 0.0);
      for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) v[c] += w[static_cast<size_t>(r) * C + c] * u[r];
      normalise(v);
      for (int r = 0; r < R; ++r) {
        double s = 0;
        for (int c = 0; c < C; ++c) s += w[static_cast<size_t>(r) * C + c] * v[c];
        u[r] = s;
      }
      normalise(u);
    }
    double sigma = 0;
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) sigma += u[r] * w[static_cast<size_t>(r) * C + c] * v[c];
    sigma_[l] = std::max(sigma, 1e-12);
    for (float& e : w) e = static_cast<float>(e / sigma_[l]);
    backend_.write(sn_weight_[l], w.data());
  }
}

void DenseNet::ensure_batch(int batch) {
  if (batch < 1) throw std::invalid_argument("batch must be at least 1");
  const int W = config_.width, L = config_.depth;
  if (batch > capacity_) {
    capacity_ = batch;
    const size_t per = 2 * config_.inputs + 2 * config_.outputs + 2 * W + 2 * W * L + 16 * (4 + 2 * L);
    act_storage_ = backend_.create_storage(per * batch + 64 * (6 + 2 * L));
  }
  size_t offset = 0;
  auto take = [&](int cols) {
    Tensor t{act_storage_.get(), offset, batch, cols};
    offset += (static_cast<size_t>(capacity_) * cols + 15) / 16 * 16;
    return t;
  };
  input_ = take(config_.inputs);
  d_in_ = take(config_.inputs);
  out_ = take(config_.outputs);
  d_out_ = take(config_.outputs);
  d_h_ = take(W);
  d_z_ = take(W);
  z_.resize(L);
  h_.resize(L);
  for (int i = 0; i < L; ++i) {
    z_[i] = take(W);
    h_[i] = take(W);
  }
}

void DenseNet::forward(const float* in, int batch, float* out) {
  ensure_batch(batch);
  const int L = config_.depth;
  backend_.write(input_, in);
  for (int i = 0; i < L; ++i) {
    backend_.linear_forward(z_[i], i == 0 ? input_ : h_[i - 1], weight(i), bias(i));
    backend_.activation_forward(config_.activation, h_[i], z_[i]);
  }
  backend_.linear_forward(out_, h_[L - 1], weight(L), bias(L));
  backend_.read(out_, out);
}

void DenseNet::backward(const float* d_out, float* d_in) {
  const int L = config_.depth;
  backend_.write(d_out_, d_out);
  backend_.linear_backward(d_h_, grad(2 * L), grad(2 * L + 1), d_out_, h_[L - 1], weight(L), false, false);
  for (int i = L - 1; i >= 0; --i) {
    backend_.activation_backward(config_.activation, d_z_, d_h_, z_[i]);
    const bool first = i == 0;
    const Tensor d_prev = first ? (d_in ? d_in_ : Tensor{}) : d_h_;
    backend_.linear_backward(d_prev, grad(2 * i), grad(2 * i + 1), d_z_, first ? input_ : h_[i - 1],
                             weight(i), false, false);
  }
  if (d_in) backend_.read(d_in_, d_in);
  if (!config_.spectral_norm) return;
  // W̄ = W/σ with σ = uᵀWv (u, v held fixed): ∂L/∂W = (G − ⟨G, W̄⟩ u vᵀ)/σ for G = ∂L/∂W̄.
  for (int l = 0; l < layers(); ++l) {
    const Tensor g = grad(2 * l);
    const int R = g.rows, C = g.cols;
    std::vector<float> gv(g.size()), wbar(g.size());
    backend_.read(g, gv.data());
    backend_.read(sn_weight_[l], wbar.data());
    double inner = 0;
    for (size_t k = 0; k < gv.size(); ++k) inner += static_cast<double>(gv[k]) * wbar[k];
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        float& e = gv[static_cast<size_t>(r) * C + c];
        e = static_cast<float>((e - inner * sn_u_[l][r] * sn_v_[l][c]) / sigma_[l]);
      }
    backend_.write(g, gv.data());
  }
}

}  // namespace difflab
