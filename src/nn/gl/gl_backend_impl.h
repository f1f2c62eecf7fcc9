// gl_backend_impl.h — the GL backend's class, shared by its op files (gl_backend.cpp: context, memory,
// programs; gl_core_ops.cpp; gl_image_ops.cpp; gl_train_ops.cpp). Not public: use nn/backend_factory.h.
//
// How an op runs: program("kernel") finds the shader file with `#ifdef KERNEL_kernel`, compiled once when the
// backend starts (common.glsl prepended); bind(binding, tensor) binds the tensor's whole buffer (offsets are
// passed as uniforms in floats, since SSBO range offsets must be aligned to 16–256 bytes); set(...) sets a
// uniform; dispatch(...) runs it and puts a memory barrier after it, so every op sees its predecessors'
// writes.
#pragma once

#include <epoxy/gl.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"

namespace difflab::glb {

class GlBackend;

// A buffer object; released through its backend (with the backend's context current).
struct GlStorage final : Storage {
  GlBackend* owner = nullptr;
  ~GlStorage() override;
};

struct Program {
  GLuint id = 0;
  std::string kernel;
  std::map<std::string, GLint, std::less<>> uniforms;  // filled on first use of each name
};

class GlBackend final : public Backend {
 public:
  // Null with *error set when there is no GL ≥ 4.3 context or a shader does not compile.
  static std::unique_ptr<GlBackend> create(std::string* error);
  ~GlBackend() override;

  std::string name() const override { return "gl"; }
  std::string device_description() const override { return description_; }
  bool host_memory() const override { return false; }
  void synchronize() override;
  void release_thread() override;

  std::unique_ptr<Storage> create_storage(size_t floats) override;
  void write(const Tensor& dst, const float* src) override;
  void read(const Tensor& src, float* dst) override;
  void fill(const Tensor& dst, float value) override;
  void copy(const Tensor& dst, const Tensor& src) override;

  // gl_core_ops.cpp
  void sinusoidal_embedding(const Tensor& out, int out_col, const Tensor& in, int in_col, int size,
                            float scale) override;
  void linear_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias) override;
  void linear_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, bool accumulate,
                       bool accumulate_input) override;
  void activation_forward(Activation a, const Tensor& out, const Tensor& in) override;
  void activation_backward(Activation a, const Tensor& d_in, const Tensor& d_out, const Tensor& in) override;
  void axpy(const Tensor& y, float alpha, const Tensor& x) override;
  void scale(const Tensor& x, float factor) override;
  double sum_squares(const Tensor& x) override;
  void adamw_step(const Tensor& params, const Tensor& grads, const Tensor& m, const Tensor& v,
                  const AdamWConfig& config, int step) override;
  void ema_update(const Tensor& ema, const Tensor& params, float decay) override;

  // gl_train_ops.cpp
  void random_normal(const Tensor& out, uint64_t seed, uint64_t counter) override;
  void row_combine(const Tensor& out, const Tensor& a, const Tensor& x, const Tensor& b,
                   const Tensor& y) override;
  void combine(const Tensor& out, float a, const Tensor& x, float b, const Tensor& y, float c,
               const Tensor& z) override;
  double mse_loss(const Tensor& d_pred, const Tensor& pred, const Tensor& target) override;

  // gl_image_ops.cpp
  void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& weight, const Tensor& bias,
                      const ConvShape& shape) override;
  void conv2d_backward(const Tensor& d_in, const Tensor& d_weight, const Tensor& d_bias, const Tensor& d_out,
                       const Tensor& in, const Tensor& weight, const ConvShape& shape,
                       bool accumulate_input) override;
  void upsample_nearest2x_forward(const Tensor& out, const Tensor& in, int batch, int height,
                                  int width) override;
  void upsample_nearest2x_backward(const Tensor& d_in, const Tensor& d_out, int batch, int height,
                                   int width) override;
  void group_norm_forward(const Tensor& out, const Tensor& stats, const Tensor& in, const Tensor& gamma,
                          const Tensor& beta, int batch, int groups) override;
  void group_norm_backward(const Tensor& d_in, const Tensor& d_gamma, const Tensor& d_beta,
                           const Tensor& d_out, const Tensor& in, const Tensor& stats, const Tensor& gamma,
                           int batch, int groups) override;
  void concat_channels_forward(const Tensor& out, const Tensor& a, const Tensor& b) override;
  void concat_channels_backward(const Tensor& d_a, const Tensor& d_b, const Tensor& d_out) override;
  void attention_forward(const Tensor& out, const Tensor& probs, const Tensor& qkv, int batch,
                         int heads) override;
  void attention_backward(const Tensor& d_qkv, const Tensor& d_out, const Tensor& qkv, const Tensor& probs,
                          int batch, int heads) override;
  void add_channel_bias_forward(const Tensor& x, const Tensor& bias, int batch) override;
  void add_channel_bias_backward(const Tensor& d_bias, const Tensor& d_x, int batch) override;
  void embedding_forward(const Tensor& out, const Tensor& table, const int* ids) override;
  void embedding_backward(const Tensor& d_table, const Tensor& d_out, const int* ids) override;
  void global_avg_pool_forward(const Tensor& out, const Tensor& in, int batch) override;
  void global_avg_pool_backward(const Tensor& d_in, const Tensor& d_out, int batch) override;
  // Token ops (gl_token_ops.cpp).
  void scale_channels_forward(const Tensor& out, const Tensor& in, const Tensor& scale, int batch) override;
  void scale_channels_backward(const Tensor& d_in, const Tensor& d_scale, const Tensor& d_out,
                               const Tensor& in, const Tensor& scale, int batch) override;
  void patchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override;
  void unpatchify(const Tensor& out, const Tensor& in, int batch, int height, int width, int patch) override;

  // ---- For the op files ----
  // C [M, N] (row stride ldc) = alpha·op(A)·op(B) + beta·C, all row-major at their tensors' offsets; op(A) is
  // [M, K] (A stored [K, M] when trans_a), op(B) is [K, N] (B stored [N, K] when trans_b); lda, ldb are the
  // stored row strides. beta = 0 ignores C's old contents (NaN included). (gl_core_ops.cpp)
  void gemm(const Tensor& c, int ldc, const Tensor& a, int lda, bool trans_a, const Tensor& b, int ldb,
            bool trans_b, int m, int n, int k, float alpha, float beta);
  // The same contract, one invocation per element of C: the baseline the tiled kernel is tested against.
  void gemm_naive(const Tensor& c, int ldc, const Tensor& a, int lda, bool trans_a, const Tensor& b, int ldb,
                  bool trans_b, int m, int n, int k, float alpha, float beta);
  // Makes this backend's context current on the calling thread (every helper below calls it).
  void ensure_current();
  // The compiled kernel; throws std::logic_error for an unknown name.
  Program& program(const char* kernel);
  void use(Program& p);  // glUseProgram
  void bind(GLuint binding, const Tensor& t);
  void bind_buffer(GLuint binding, GLuint buffer);
  // A buffer of at least `bytes` reused across ops (slot 0…7): integer ids, partial sums.
  GLuint scratch(int slot, size_t bytes);
  void set(Program& p, const char* uniform, GLint value);
  void set(Program& p, const char* uniform, GLuint value);
  void set(Program& p, const char* uniform, float value);
  // glDispatchCompute, then a barrier on storage and buffer updates.
  void dispatch(GLuint groups_x, GLuint groups_y = 1, GLuint groups_z = 1);
  // Enough work groups of `local_size` for `count` invocations, folded into x and y (x ≤ 65535); the kernel
  // reads its index with GLOBAL_INDEX (common.glsl) and returns when it is ≥ the count it was given.
  void dispatch_1d(size_t count, GLuint local_size);
  void release_buffer(GLuint buffer);

 private:
  GlBackend() = default;
  bool start(std::string* error);

  void* display_ = nullptr;
  void* context_ = nullptr;
  std::string description_;
  std::map<std::string, Program, std::less<>> programs_;  // kernel name → program
  std::vector<std::pair<GLuint, size_t>> scratch_;        // slot → (buffer, bytes)
};

}  // namespace difflab::glb
