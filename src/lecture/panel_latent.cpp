// panel_latent.cpp — latent diffusion (lesson 15): test images and their reconstructions through the shipped
// autoencoder, the 4 latent channels of one image, samples of the shipped latent U-Net decoded, and the cost
// of one U-Net pass in pixels against the latent, measured here. Not the models (train/latent_diffusion.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/backend_factory.h"
#include "plot/plot.h"
#include "train/autoencoder_live.h"
#include "train/autoencoder_objective.h"
#include "train/latent_diffusion.h"
#include "train/live_runner.h"

namespace difflab::lecture {
namespace {

constexpr int kShown = 8;        // test images in the reconstruction rows
constexpr int kMseImages = 500;  // test images of the reconstruction MSE
constexpr int kTimedBatch = 32;  // images per timed forward pass

struct LatentPanelResult {
  std::vector<float> originals, reconstructions, channels, samples;  // channels: z maps of 8×8
  int latent_channels = 4;
  double mse = 0, scale = 1;
  double pixel_ms = 0, latent_ms = 0, pixel_gflop = 0, latent_gflop = 0;  // one forward per image
  double seconds = 0;
};

// CPU seconds of the calling thread: the timed passes run on one backend thread (the worker's), so the number
// is the work done whatever else the machine runs.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// CPU milliseconds per image of one forward pass of `net` on kTimedBatch inputs (best of 3; the backend must
// run its ops on the calling thread: set_threads(1)).
double forward_ms(ImageNet& net) {
  std::vector<float> x(static_cast<size_t>(kTimedBatch) * net.dim(), 0.1f), out(x.size());
  std::vector<float> t(kTimedBatch, 500.0f);
  std::vector<int> labels(kTimedBatch, 3);
  double best = 1e30;
  for (int r = 0; r < 3; ++r) {
    const double start = thread_cpu_seconds();
    net.forward(x.data(), t.data(), labels.data(), kTimedBatch, out.data());
    best = std::min(best, thread_cpu_seconds() - start);
    job_progress(0.8 + 0.03 * r);
  }
  return 1e3 * best / kTimedBatch;
}

class LatentPanel final : public LivePanel {
 public:
  explicit LatentPanel(const PanelDirective& d) {
    steps_ = std::stoi(d.value("steps"));
    guidance_ = std::stod(d.value("guidance"));
    show_ = d.value("show");
    if (show_ == "train") {
      restart_training(d.value("autoplay") == "true");
      return;
    }
    recompute();
  }

  void toggle_play() override {
    if (runner_) runner_->toggle();
  }
  void step_once() override {
    if (runner_) runner_->step_once();
  }

  void draw() override {
    if (runner_) {
      draw_training();
      return;
    }
    result_.poll();
    // New noise draws new samples: the autoencoder view alone has none, so no button there.
    if (show_ != "autoencoder" && ImGui::Button(tr_id("latent.new_noise", "new noise"))) {
      ++seed_;
      recompute();
    }
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("latent.busy"), result_);
    if (!result_.value()) return;
    const LatentPanelResult& r = *result_.value();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const bool left = show_ != "samples", right = show_ != "autoencoder";
    const float left_w = left && right ? avail_w * 0.55f : avail_w;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    if (left) {
      ImGui::BeginGroup();
      // Three rows of images under their titles: 8 originals, 8 reconstructions, z channel maps. The titles
      // wrap at the column's width: a wider one ("Reconstrucción: …" in presenter mode) pushed the samples
      // column past the panel's right edge.
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + left_w);
      const float cell = std::max(12.0f, std::min(left_w / kShown - 4, (avail_h - 3 * line) / 3 - 6));
      ImGui::TextWrapped("%s", tr("latent.original"));
      plot::image_grid("latent originals", r.originals.data(), kShown, 28, 28, kShown, -1, 1, cell);
      ImGui::TextWrapped("%s", tr("latent.reconstruction"));
      plot::image_grid("latent reconstructions", r.reconstructions.data(), kShown, 28, 28, kShown, -1, 1,
                       cell);
      ImGui::TextWrapped("%s", tr("latent.channels"));
      plot::image_grid("latent channels", r.channels.data(), r.latent_channels, 8, 8, r.latent_channels, -3,
                       3, cell);
      ImGui::PopTextWrapPos();
      ImGui::EndGroup();
    }
    if (right) {
      if (left) ImGui::SameLine();
      ImGui::BeginGroup();
      // What is left of the line, never more than the planned share.
      const float w = std::min(left ? avail_w - left_w - ImGui::GetStyle().ItemSpacing.x : avail_w,
                               ImGui::GetContentRegionAvail().x);
      char title[256];
      std::snprintf(title, sizeof title, tr("latent.samples"), guidance_, steps_);
      ImGui::TextWrapped("%s", title);
      const float cell = std::max(12.0f, std::min(w / 5 - 4, (avail_h - 5 * line) / 2 - 6));
      plot::image_grid("latent samples", r.samples.data(), 10, 28, 28, 5, -1, 1, cell);
      char cost[512];
      std::snprintf(cost, sizeof cost, tr("latent.cost"), r.pixel_ms, r.pixel_gflop, r.latent_ms,
                    r.latent_gflop, r.pixel_ms / r.latent_ms);
      ImGui::TextWrapped("%s", cost);
      ImGui::EndGroup();
    }
    char text[1200];
    std::snprintf(text, sizeof text, tr("latent.caption"), kMseImages, r.mse, r.scale, r.seconds);
    caption(text);
  }

 private:
  // Live: the autoencoder trains from scratch on a LiveRunner; the 8 test images rebuilt by the current
  // weights.
  void restart_training(bool playing) {
    runner_ = std::make_unique<LiveRunner>(
        [] {
          AutoencoderLiveJob::Settings settings;
          settings.threads = 2;
          return std::make_unique<AutoencoderLiveJob>(settings);
        },
        playing);
  }

  void draw_training() {
    const auto snap = runner_->snapshot<AutoencoderLiveSnapshot>();
    const bool playing = runner_->playing();
    if (ImGui::Button(playing ? tr_id("latent.pause", "pause") : tr_id("latent.play", "play")))
      runner_->toggle();
    ImGui::SameLine();
    if (ImGui::Button(tr_id("latent.restart", "restart"))) restart_training(false);
    if (!snap) return;
    ImGui::SameLine();
    char status[256];
    std::snprintf(status, sizeof status, tr("latent.status"), snap->step, snap->steps_per_s, snap->mse);
    ImGui::TextUnformatted(status);
    if (!snap->error.empty()) error_note(snap->error);
    if (snap->originals.empty()) return;
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float cell = std::max(12.0f, std::min(avail_w / kShown - 4, (avail_h * 0.55f - 2 * line) / 2 - 6));
    ImGui::TextUnformatted(tr("latent.original"));
    plot::image_grid("latent live originals", snap->originals.data(), kShown, 28, 28, kShown, -1, 1, cell);
    ImGui::TextUnformatted(tr("latent.reconstruction"));
    plot::image_grid("latent live reconstructions", snap->reconstructions.data(), kShown, 28, 28, kShown, -1,
                     1, cell);
    const float plot_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (snap->curve_steps && !snap->curve_steps->empty() &&
        plot::begin_plot(tr_id("latent.curve", "latent mse"), ImVec2(avail_w, std::max(80.0f, plot_h)),
                         plot::kPlotNoLegend)) {
      plot::setup_axes(tr("latent.axis_step"), tr("latent.axis_mse"), plot::kAxisNone, plot::kAxisLog);
      // The curve grows every step: refit both axes every frame.
      const auto [lo, hi] = std::minmax_element(snap->curve_mse->begin(), snap->curve_mse->end());
      plot::setup_axis_limits(plot::Axis::X, 0, std::max(20.0, snap->curve_steps->back()),
                              plot::Cond::Always);
      plot::setup_axis_limits(plot::Axis::Y, 0.8 * std::max(*lo, 1e-4), 1.25 * std::max(*hi, 2e-4),
                              plot::Cond::Always);
      plot::plot_line(tr("latent.axis_mse"), snap->curve_steps->data(), snap->curve_mse->data(),
                      static_cast<int>(snap->curve_steps->size()));
      plot::end_plot();
    }
    caption(tr("latent.live_caption"));
  }

  void recompute() {
    const int steps = steps_;
    const double gamma = guidance_;
    const uint64_t seed = seed_;
    const bool samples = show_ != "autoencoder";  // the samples and the cost are shown (else not computed)
    result_.start([steps, gamma, seed, samples] {
      // Loaded here, on the worker thread, never on the UI's.
      const auto start = std::chrono::steady_clock::now();
      auto m = load_latent_models(checkpoint_path("fashion-mnist-ae.ckpt"),
                                  checkpoint_path("fashion-mnist-latent.ckpt"), 2);
      Autoencoder& ae = *m->autoencoder;
      ImageDataset test = load_image_dataset("fashion-mnist", false);
      job_progress(0.05);
      LatentPanelResult r;
      r.scale = m->scale;
      r.latent_channels = ae.config().latent_channels;
      r.originals.assign(test.image(0), test.image(kShown));
      const std::vector<float> mu = encode_means(ae, r.originals.data(), kShown);
      r.reconstructions = decode_latents(ae, mu.data(), kShown, 1.0);
      // The first image's latent, scaled to unit variance, channel by channel (NHWC → one 8×8 map each).
      const int z = r.latent_channels;
      r.channels.resize(static_cast<size_t>(z) * 64);
      for (int p = 0; p < 64; ++p)
        for (int c = 0; c < z; ++c)
          r.channels[static_cast<size_t>(c) * 64 + p] = static_cast<float>(mu[p * z + c] * m->scale);
      r.mse = reconstruction_mse(ae, test, kMseImages);
      job_progress(0.15);
      if (!samples) {
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
      }
      std::vector<int> labels(10);
      for (int k = 0; k < 10; ++k) labels[k] = k;
      const std::vector<float> latents =
          sample_latents(*m->unet, m->schedule, Tensor{}, 10, labels, gamma, steps, seed);
      r.samples = decode_latents(ae, latents.data(), 10, m->scale);
      job_progress(0.75);
      // The cost of one pass: the same U-Net levels and widths on 28×28×1 (random weights: the cost does not
      // depend on them) against the shipped latent U-Net on 8×8×4.
      UNetConfig pixel_config = m->unet->config();
      pixel_config.height = pixel_config.width = 28;
      pixel_config.in_channels = 1;
      UNet pixel(pixel_config, *m->backend);
      pixel.init_params(0);
      m->backend->set_threads(1);
      r.pixel_ms = forward_ms(pixel);
      r.latent_ms = forward_ms(*m->unet);
      r.pixel_gflop = pixel.forward_flops_per_image() / 1e9;
      r.latent_gflop = m->unet->forward_flops_per_image() / 1e9;
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return r;
    });
  }

  int steps_ = 20;
  double guidance_ = 3;
  std::string show_ = "all";
  uint64_t seed_ = 0;
  Async<LatentPanelResult> result_;
  std::unique_ptr<LiveRunner> runner_;  // show=train only
};

}  // namespace

std::unique_ptr<LivePanel> make_latent_panel(const PanelDirective& d) {
  return std::make_unique<LatentPanel>(d);
}

}  // namespace difflab::lecture
