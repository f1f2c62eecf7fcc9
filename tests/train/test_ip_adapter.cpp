// test_ip_adapter.cpp — IP-Adapter's hook on the U-Net: no hook and λ = 0 are the base bit for bit, the
// decoupled cross-attention against softmax(QKᵀ/√d)V computed here, the adapter's gradients against central
// finite differences, the adapter file. Not a trained adapter's numbers (the README has those).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/file_io.h"
#include "core/rng.h"
#include "data/idx.h"
#include "nn/backend_factory.h"
#include "nn/unet_denoiser.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/image_quality.h"
#include "train/ip_adapter.h"

#include "tiny_unet.h"

using namespace difflab;

namespace {

struct Setup {
  std::unique_ptr<Backend> be = make_backend(BackendKind::cpu);
  UNetConfig cfg = test::tiny_unet(true, 8);
  std::unique_ptr<UNet> net;
  std::unique_ptr<IpAdapter> adapter;
  std::vector<float> x, t, emb, w;
  std::vector<int> labels;
  int B = 2;
  Setup() {
    cfg.num_classes = 3;
    net = std::make_unique<UNet>(cfg, *be);
    net->init_params(7);
    IpAdapterConfig ac;
    ac.embed_dim = 5, ac.tokens = 3, ac.width = 6;
    adapter = std::make_unique<IpAdapter>(ac, net->attention_sites(), *be);
    adapter->init_params(3);
    Rng rng(11);
    for (int k = 0; k < B * net->dim(); ++k) {
      x.push_back(static_cast<float>(rng.normal()));
      w.push_back(static_cast<float>(rng.normal()));
    }
    for (int k = 0; k < B * ac.embed_dim; ++k) emb.push_back(static_cast<float>(rng.normal()));
    t = {120.0f, 700.0f};
    labels = {1, -1};
  }
  std::vector<float> run(bool hook, float scale) {
    std::vector<float> out(x.size());
    if (hook) {
      adapter->set_prompts(emb.data(), B, scale);
      net->set_attention_hook(adapter.get());
    }
    net->forward(x.data(), t.data(), labels.data(), B, out.data());
    net->set_attention_hook(nullptr);
    return out;
  }
  double loss(float scale) {
    const std::vector<float> out = run(true, scale);
    double s = 0;
    for (size_t k = 0; k < out.size(); ++k) s += static_cast<double>(out[k]) * w[k];
    return s;
  }
};

}  // namespace

TEST_CASE("IP-Adapter: no hook and λ = 0 give the base U-Net bit for bit, λ = 1 changes it") {
  Setup s;
  const std::vector<float> before = s.run(false, 0);
  const std::vector<float> zero = s.run(true, 0.0f);
  const std::vector<float> after = s.run(false, 0);
  CHECK(before == after);
  CHECK(before == zero);
  const std::vector<float> one = s.run(true, 1.0f);
  double diff = 0;
  for (size_t k = 0; k < one.size(); ++k) diff = std::max(diff, std::fabs(double(one[k]) - before[k]));
  CHECK(diff > 1e-4);
}

namespace {
// A hook that runs the adapter and records what the block's attention output was before and after.
struct Spy final : UNet::AttentionHook {
  IpAdapter* inner;
  Backend* be;
  std::vector<float> qkv, before, after;
  void forward(int site, const Tensor& q, const Tensor& att, int batch, int heads) override {
    const int rows = att.rows < q.rows ? att.rows : q.rows;
    qkv.resize(static_cast<size_t>(rows) * q.cols), before.resize(static_cast<size_t>(rows) * att.cols);
    be->read(q.row_block(0, rows), qkv.data());
    be->read(att.row_block(0, rows), before.data());
    inner->forward(site, q, att, batch, heads);
    after.resize(before.size());
    be->read(att.row_block(0, rows), after.data());
  }
  void backward(int, const Tensor&, const Tensor&, const Tensor&, int, int) override {}
};
}  // namespace

TEST_CASE("IP-Adapter: the added output is λ·softmax(Q K_imgᵀ/√d) V_img from the definition") {
  Setup s;
  const float lambda = 0.7f;
  s.adapter->set_prompts(s.emb.data(), s.B, lambda);
  Spy spy;
  spy.inner = s.adapter.get();
  spy.be = s.be.get();
  s.net->set_attention_hook(&spy);
  std::vector<float> out(s.x.size());
  s.net->forward(s.x.data(), s.t.data(), s.labels.data(), s.B, out.data());
  s.net->set_attention_hook(nullptr);
  const UNet::AttentionSite site = s.net->attention_sites().at(0);
  const int C = site.channels, P = site.positions, H = site.heads, d = C / H;
  const int N = 3, D = 6;
  const std::vector<float>& tok = s.adapter->tokens();
  const std::vector<float>& prm = s.adapter->params();
  double worst = 0;
  for (int b = 0; b < s.B; ++b)
    for (int p = 0; p < P; ++p)
      for (int h = 0; h < H; ++h)
        for (int c = 0; c < d; ++c) {
          // K_j = tokens_j W_k, V_j = tokens_j W_v; scores q·K_j/√d.
          std::vector<double> score(N), val(N);
          double top = -1e300;
          for (int j = 0; j < N; ++j) {
            double dot = 0;
            for (int u = 0; u < d; ++u) {
              double kj = 0;
              for (int i = 0; i < D; ++i)
                kj +=
                    tok[(b * N + j) * D + i] * prm[s.adapter->wk(0) + static_cast<size_t>(i) * C + h * d + u];
              dot += spy.qkv[(static_cast<size_t>(b) * P + p) * 3 * C + h * d + u] * kj;
            }
            score[j] = dot / std::sqrt(static_cast<double>(d));
            top = std::max(top, score[j]);
            double vj = 0;
            for (int i = 0; i < D; ++i)
              vj += tok[(b * N + j) * D + i] * prm[s.adapter->wv(0) + static_cast<size_t>(i) * C + h * d + c];
            val[j] = vj;
          }
          double z = 0, o = 0;
          for (int j = 0; j < N; ++j) z += std::exp(score[j] - top);
          for (int j = 0; j < N; ++j) o += std::exp(score[j] - top) / z * val[j];
          const size_t at = (static_cast<size_t>(b) * P + p) * C + h * d + c;
          worst = std::max(worst, std::fabs(spy.after[at] - spy.before[at] - lambda * o));
        }
  CHECK(worst < 1e-5);
}

TEST_CASE("IP-Adapter: the adapter's gradient (K/V, projection, LayerNorm) matches central differences") {
  Setup s;
  const float lambda = 1.0f;
  (void)s.loss(lambda);
  s.net->set_attention_hook(s.adapter.get());
  s.adapter->set_prompts(s.emb.data(), s.B, lambda);
  std::vector<float> out(s.x.size());
  s.net->forward(s.x.data(), s.t.data(), s.labels.data(), s.B, out.data());
  s.net->backward(s.w.data());
  s.adapter->finish_backward();
  s.net->set_attention_hook(nullptr);
  const std::vector<float> grad = s.adapter->grads();
  std::vector<float>& p = s.adapter->params();
  const size_t wk = s.adapter->wk(0), wv = s.adapter->wv(0);
  // A few entries of W_k, W_v, the projection (offset 0) and LayerNorm (just before W_k).
  const std::vector<size_t> picks{wk, wk + 5, wk + 17, wv, wv + 9, wv + 40, 0, 7, 33, wk - 1, wk - 8};
  for (size_t i : picks) {
    const float keep = p[i], h = 1e-2f;
    p[i] = keep + h;
    const double up = s.loss(lambda);
    p[i] = keep - h;
    const double down = s.loss(lambda);
    p[i] = keep;
    const double fd = (up - down) / (2 * h);
    INFO("parameter " << i << ": analytic " << grad[i] << ", finite differences " << fd);
    CHECK(std::fabs(grad[i] - fd) <= 2e-3 + 2e-2 * std::fabs(fd));
  }
}

TEST_CASE("IP-Adapter: the adapter file round-trips and names its base, a damaged file is refused") {
  Setup s;
  const std::string path = "/tmp/difflab_test_ip_adapter.ipa";
  save_ip_adapter(path, *s.adapter, "checkpoints/base.ckpt");
  IpAdapterConfig ac = s.adapter->config();
  IpAdapter other(ac, s.net->attention_sites(), *s.be);
  std::string base;
  load_ip_adapter(path, other, &base);
  CHECK(base == "checkpoints/base.ckpt");
  CHECK(other.params() == s.adapter->params());
  CHECK(ip_adapter_base(path) == "checkpoints/base.ckpt");
  {
    std::FILE* f = std::fopen(path.c_str(), "r+b");
    REQUIRE(f);
    std::fseek(f, 200, SEEK_SET);
    std::fputc('x', f);
    std::fclose(f);
  }
  CHECK_THROWS_WITH_AS(load_ip_adapter(path, other, &base), doctest::Contains("checksum"),
                       std::runtime_error);
  ac.tokens = 4;
  IpAdapter wrong(ac, s.net->attention_sites(), *s.be);
  save_ip_adapter(path, *s.adapter, "b");
  CHECK_THROWS_WITH_AS(load_ip_adapter(path, wrong, &base), doctest::Contains("do not match"),
                       std::runtime_error);
  std::remove(path.c_str());
}

TEST_CASE("IP-Adapter: the shipped adapter names the shipped base and loads onto it (< 3 MB)") {
  const std::string path = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-ip-adapter.ipa";
  CHECK(ip_adapter_base(path) == "checkpoints/fashion-mnist-classroom-cond.ckpt");
  const Checkpoint base =
      load_checkpoint(DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classroom-cond.ckpt");
  std::unique_ptr<Backend> be = make_backend(BackendKind::cpu);
  UNet net(unet_config_from_map(base.model_config), *be);
  IpAdapterConfig ac;  // CLIP's 64-d embedding, 4 tokens of width 64
  IpAdapter adapter(ac, net.attention_sites(), *be);
  std::string named;
  load_ip_adapter(path, adapter, &named);
  CHECK(adapter.num_sites() == 1);  // the classroom U-Net's middle attention
  CHECK(std::filesystem::file_size(path) < 3u * 1024 * 1024);
}

namespace {
const std::string kShippedAdapter = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-ip-adapter.ipa";
}  // namespace

TEST_CASE("IP-Adapter sweep: λ = 0 is the shipped base U-Net's DDIM output from the same x_T, bit for bit") {
  LoadedIpAdapter ip = load_ip_adapter_bundle(kShippedAdapter, "",
                                              DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-clip.ckpt", 1);
  const ImageDataset test = load_image_dataset(ip.base->checkpoint->dataset, false);
  const std::vector<float> e = ip.clip->model->encode_images(test.image(0), 1);
  IpAdapterSweepConfig c;
  c.scales = {0.0f, 2.0f};
  c.text_class = 3;
  c.samples = 2;
  c.steps = 4;
  c.seed = 5;
  const IpAdapterSweep s = ip_adapter_sweep(ip.net(), *ip.adapter, ip.base->schedule, e, test.labels[0], c);
  REQUIRE(s.rows == 2);
  const int D = ip.net().dim();
  for (int row = 0; row < 2; ++row) {
    // The base alone: the U-Net with no hook, the same class, the same x_T and DDIM.
    UNetDenoiser base(ip.net(), ip.base->schedule, {}, row == 0 ? -1 : 3);
    Sampler sampler(base, fid_sampler_config(c.steps));
    sampler.begin(s.x_T, c.seed + 1);
    sampler.run();
    const std::vector<float> zero(s.image(row, 0, 0, D), s.image(row, 0, 0, D) + 2 * D);
    const std::vector<float> two(s.image(row, 1, 0, D), s.image(row, 1, 0, D) + 2 * D);
    CHECK(zero == sampler.x());
    CHECK(two != sampler.x());
  }
}

TEST_CASE(
    "IP-Adapter sweep: the shipped adapter at λ = 2 agrees with the reference's class more than at λ = 0") {
  // README: 0.12 at λ = 0 and 0.47 at λ = 2 over 100 test images (null class); here 12 references × 2
  // samples.
  LoadedIpAdapter ip = load_ip_adapter_bundle(kShippedAdapter, "",
                                              DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-clip.ckpt", 1);
  auto judge = load_classifier(DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classifier.ckpt", 1);
  const ImageDataset test = load_image_dataset(ip.base->checkpoint->dataset, false);
  IpAdapterSweepConfig c;
  c.scales = {0.0f, 2.0f};
  c.samples = 2;
  c.steps = 20;
  double at0 = 0, at2 = 0;
  const int refs = 12;
  for (int i = 0; i < refs; ++i) {
    const std::vector<float> e = ip.clip->model->encode_images(test.image(i), 1);
    c.seed = 9000 + i;
    const IpAdapterSweep s =
        ip_adapter_sweep(ip.net(), *ip.adapter, ip.base->schedule, e, test.labels[i], c, judge->model.get());
    REQUIRE(s.agreement.size() == 2);
    at0 += s.agreement[0] / refs;
    at2 += s.agreement[1] / refs;
  }
  INFO("agreement λ = 0: " << at0 << ", λ = 2: " << at2);
  CHECK(at2 > at0 + 0.15);
}

TEST_CASE("IP-Adapter bundle: a missing base and a truncated adapter file are refused with the file's name") {
  const std::string dir = "/tmp/difflab_test_ip_bundle";
  std::filesystem::create_directories(dir);
  const std::string bytes = read_file(kShippedAdapter);
  {
    std::string cut = bytes.substr(0, bytes.size() / 2);
    std::FILE* f = std::fopen((dir + "/cut.ipa").c_str(), "wb");
    REQUIRE(f);
    std::fwrite(cut.data(), 1, cut.size(), f);
    std::fclose(f);
  }
  CHECK_THROWS_WITH_AS(load_ip_adapter_bundle(dir + "/cut.ipa", "", "", 1), doctest::Contains("truncated"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_ip_adapter_bundle(kShippedAdapter, dir + "/none.ckpt", "", 1),
                       doctest::Contains("does not exist"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_ip_adapter_bundle(dir + "/absent.ipa", "", "", 1),
                       doctest::Contains("no such IP-Adapter file"), std::runtime_error);
  std::filesystem::remove_all(dir);
}
