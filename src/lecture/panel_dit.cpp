// panel_dit.cpp — the diffusion transformer (lesson 16): a test image cut into patches (the tokens), the
// attention of one block from a chosen query patch (every head), samples of the shipped DiT beside the
// classroom U-Net's from the same x_T, and their numbers (parameters, GFLOP per image, forward images/s);
// view=flow: the rectified-flow DiT at 1, 2, 4, 8, 16 Euler steps beside a U-Net from the same noise, with
// FID against steps on a few samples; view=race: both flow architectures trained live from scratch on the
// same minibatches (train/flow_race.h), their loss curves and training images/s. Not the model (nn/dit.h) and
// not training (`difflab train --model dit`).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/diffusion.h"
#include "core/rng.h"
#include "data/idx.h"
#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "nn/dit.h"
#include "plot/plot.h"
#include "sample/sampler.h"
#include "train/classifier_trainer.h"
#include "train/flow_race.h"
#include "train/image_flow_objective.h"
#include "train/image_quality.h"
#include "train/live_runner.h"
#include "train/model_source.h"

namespace difflab::lecture {
namespace {

constexpr const char* kDiTCheckpoint = "fashion-mnist-dit-classroom.ckpt";
constexpr const char* kUNetCheckpoint = "fashion-mnist-classroom.ckpt";
constexpr const char* kDiTFlowCheckpoint = "fashion-mnist-dit-flow.ckpt";
constexpr const char* kUNetFlowCheckpoint = "fashion-mnist-unet-flow.ckpt";  // when shipped; else the ε U-Net
constexpr const char* kClassifierCheckpoint = "fashion-mnist-classifier.ckpt";
constexpr int kFlowSteps[] = {1, 2, 4, 8, 16};
constexpr int kFlowStepCounts = 5;

struct ModelNumbers {
  size_t params = 0;
  double gflop = 0, images_per_second = 0, final_loss = 0;
  int steps = 0;
};

struct DiTPanelResult {
  int height = 28, width = 28, patch = 4, heads = 4, depth = 4, tokens = 49;
  std::vector<float> image, noisy;               // the test image and x_t [H·W]
  std::vector<float> patches;                    // the test image cut into its tokens, row by row
  std::vector<std::vector<float>> maps;          // per block: [heads, T, T] for x_t
  std::vector<float> dit_samples, unet_samples;  // n images each, from the same x_T
  int samples = 0;
  ModelNumbers dit, unet;
  // view=flow: per step count, `samples` images of each network from the same noise, and FID on fid_samples.
  std::vector<std::vector<float>> flow_dit, flow_unet;  // [step count][samples · H·W]
  std::vector<double> fid_dit, fid_unet;                // [step count]; empty when FID is off
  double fid_floor = NAN;
  int fid_samples = 0;
  bool unet_is_flow = false;
  int dit_train_steps = 0, unet_train_steps = 0;
  std::string time_distribution;
};

// n images of `model` from x_T = standard_normal(n · D, seed), clipped to [−1, 1]: Euler on the flow ODE for
// a flow checkpoint, DDIM (η = 0) for an ε one (as `difflab eval --steps-sweep`).
std::vector<float> sample_steps(LoadedModel& model, int n, int steps, uint64_t seed) {
  if (model.checkpoint && model.checkpoint->flow)
    return sample_image_flow(dynamic_cast<ImageNet&>(*model.network), Tensor{}, n, steps, FlowMethod::Euler,
                             seed);
  Sampler sampler(model.model(), fid_sampler_config(steps));
  sampler.begin(standard_normal(n * model.model().dim(), seed), seed + 1);
  sampler.run();
  return sampler.x();
}

// Forward images per second of `model` at batch 16 (after one warm-up pass), and its header numbers.
ModelNumbers numbers_of(LoadedModel& model) {
  ModelNumbers n;
  auto* net = dynamic_cast<ImageNet*>(model.network.get());
  if (!net) return n;
  n.params = net->num_params();
  n.gflop = net->forward_flops_per_image() / 1e9;
  const int B = 16;
  std::vector<float> x(static_cast<size_t>(B) * net->dim()), out(x.size()), t(B, 500.0f);
  Rng rng(1);
  for (float& v : x) v = static_cast<float>(rng.normal());
  net->forward(x.data(), t.data(), nullptr, B, out.data());
  const auto start = std::chrono::steady_clock::now();
  int passes = 0;
  double seconds = 0;
  while (passes < 2 || (seconds < 0.3 && passes < 20)) {
    net->forward(x.data(), t.data(), nullptr, B, out.data());
    ++passes;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  n.images_per_second = passes * B / seconds;
  if (model.checkpoint) {
    n.steps = model.checkpoint->step;
    const auto it = model.checkpoint->extra.find("final_loss");
    if (it != model.checkpoint->extra.end()) n.final_loss = std::atof(it->second.c_str());
  }
  return n;
}

class DiTPanel final : public LivePanel {
 public:
  explicit DiTPanel(const PanelDirective& d) {
    view_ = d.value("view");
    image_ = std::stoi(d.value("image"));
    t_ = std::stoi(d.value("t"));
    query_ = std::stoi(d.value("query"));
    block_ = std::stoi(d.value("block"));
    samples_ = std::stoi(d.value("samples"));
    steps_ = std::stoi(d.value("steps"));
    fid_samples_ = std::stoi(d.value("fid_samples"));
    race_steps_ = std::stoi(d.value("race_steps"));
    if (view_ == "race")
      restart_race(d.value("autoplay") == "true");
    else
      recompute();
  }

  void toggle_play() override {
    if (runner_) runner_->toggle();
  }
  void step_once() override {
    if (runner_) runner_->step_once();
  }

  void draw() override {
    if (view_ == "race") return draw_race();
    result_.poll();
    if (!result_.error().empty()) error_note(result_.error());
    if (result_.busy()) progress_note(tr("dit.busy"), result_);
    if (!result_.value()) return;
    const DiTPanelResult& r = *result_.value();
    if (view_ == "patches")
      draw_patches(r);
    else if (view_ == "attention")
      draw_attention(r);
    else if (view_ == "samples")
      draw_samples(r);
    else if (view_ == "flow")
      draw_flow(r);
    else
      draw_numbers(r);
  }

 private:
  void draw_patches(const DiTPanelResult& r) {
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const int side = r.height / r.patch;
    const float cell =
        std::max(24.0f, std::min(avail_w * 0.45f, avail_h - 2 * ImGui::GetTextLineHeightWithSpacing()));
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("dit.image"));
    plot::image_grid("dit image", r.image.data(), 1, r.width, r.height, 1, -1, 1, cell);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("dit.tokens"));
    // The patches apart, row by row: token k = (k / side, k % side).
    plot::image_grid("dit patches", r.patches.data(), r.tokens, r.patch, r.patch, side, -1, 1,
                     std::max(6.0f, cell / side - 4));
    ImGui::EndGroup();
    char text[800];
    std::snprintf(text, sizeof text, tr("dit.caption_patches"), r.height, r.width, r.patch, r.patch, r.tokens,
                  r.patch * r.patch);
    caption(text);
  }

  void draw_attention(const DiTPanelResult& r) {
    const int T = r.tokens, side = r.height / r.patch;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt(tr_id("dit.query", "query"), &query_, 0, T - 1);
    same_line_if_fits(ImGui::GetFontSize() * 16);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::SliderInt(tr_id("dit.block", "block"), &block_, 0, r.depth - 1);
    query_ = std::clamp(query_, 0, T - 1);
    block_ = std::clamp(block_, 0, r.depth - 1);
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h =
        ImGui::GetContentRegionAvail().y - caption_reserve() - ImGui::GetTextLineHeightWithSpacing();
    const float cell = std::max(40.0f, std::min(avail_w / (r.heads + 1) - ImGui::GetStyle().ItemSpacing.x - 2,
                                                avail_h - ImGui::GetTextLineHeightWithSpacing()));
    const int qy = query_ / side, qx = query_ % side;
    // The query patch outlined on the last drawn image (x_t or a head's map): side × side cells over it.
    auto outline = [&] {
      const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
      const float w = (hi.x - lo.x) / side, h = (hi.y - lo.y) / side;
      ImGui::GetWindowDrawList()->AddRect(ImVec2(lo.x + qx * w, lo.y + qy * h),
                                          ImVec2(lo.x + (qx + 1) * w, lo.y + (qy + 1) * h),
                                          IM_COL32(240, 80, 60, 255), 0.0f, 0, 2.0f);
    };
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("dit.noisy"));
    plot::image_grid("dit noisy", r.noisy.data(), 1, r.width, r.height, 1, -1, 1, cell);
    outline();
    ImGui::EndGroup();
    const std::vector<float>& map = r.maps[block_];
    for (int h = 0; h < r.heads; ++h) {
      ImGui::SameLine();
      ImGui::BeginGroup();
      char head[64];
      std::snprintf(head, sizeof head, tr("dit.head"), h + 1);
      ImGui::TextUnformatted(head);
      // Row `query` of head h's softmax as a side × side image, black = 0, white = the row's largest weight.
      const float* row = &map[(static_cast<size_t>(h) * T + query_) * T];
      float top = 0;
      for (int k = 0; k < T; ++k) top = std::max(top, row[k]);
      char id[32];
      std::snprintf(id, sizeof id, "dit head %d", h);
      plot::image_grid(id, row, 1, side, side, 1, 0, std::max(top, 1e-6f), cell);
      outline();
      ImGui::EndGroup();
    }
    char text[800];
    std::snprintf(text, sizeof text, tr("dit.caption_attention"), query_, qy, qx, block_, t_, r.heads);
    caption(text);
  }

  void draw_samples(const DiTPanelResult& r) {
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h =
        ImGui::GetContentRegionAvail().y - caption_reserve() - ImGui::GetTextLineHeightWithSpacing();
    const int columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(r.samples)))));
    const int rows = (r.samples + columns - 1) / columns;
    const float cell = std::max(16.0f, std::min((avail_w * 0.5f - 16) / columns - 2, avail_h / rows - 2));
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("dit.dit"));
    plot::image_grid("dit samples", r.dit_samples.data(), r.samples, r.width, r.height, columns, -1, 1, cell);
    ImGui::EndGroup();
    ImGui::SameLine(0, 16);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("dit.unet"));
    plot::image_grid("unet samples", r.unet_samples.data(), r.samples, r.width, r.height, columns, -1, 1,
                     cell);
    ImGui::EndGroup();
    char text[800];
    std::snprintf(text, sizeof text, tr("dit.caption_samples"), r.samples, steps_, r.dit.steps, r.unet.steps);
    caption(text);
  }

  void draw_flow(const DiTPanelResult& r) {
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y - caption_reserve();
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    // Above: per network a row of grids, one per step count, from the same noise; below: FID against steps.
    const int n = r.samples;
    const int columns = std::max(1, (n + 1) / 2), rows = (n + columns - 1) / columns;
    const float cell = std::max(6.0f, std::min((avail_w / kFlowStepCounts - 12) / columns,
                                               (avail_h * 0.55f - 4 * label_h) / (2 * rows)) -
                                          2);
    for (int m = 0; m < 2; ++m) {
      ImGui::TextUnformatted(
          tr(m == 0 ? "dit.flow_dit" : (r.unet_is_flow ? "dit.flow_unet" : "dit.flow_unet_eps")));
      for (int k = 0; k < kFlowStepCounts; ++k) {
        if (k) ImGui::SameLine(0, 12);
        ImGui::BeginGroup();
        char head[64];
        std::snprintf(head, sizeof head, "N = %d", kFlowSteps[k]);
        ImGui::TextUnformatted(head);
        char id[32];
        std::snprintf(id, sizeof id, "flow %d %d", m, k);
        const std::vector<float>& images = m == 0 ? r.flow_dit[k] : r.flow_unet[k];
        plot::image_grid(id, images.data(), n, r.width, r.height, columns, -1, 1, cell);
        ImGui::EndGroup();
      }
    }
    const ImVec2 size(ImGui::GetContentRegionAvail().x,
                      std::max(100.0f, ImGui::GetContentRegionAvail().y - caption_reserve()));
    if (plot::begin_plot("##dit fid steps", size)) {
      plot::setup_axes(tr("dit.flow_steps_axis"), "FID", plot::kAxisLog);
      double top = 1;  // from 0, so the floor line is in view
      for (double v : r.fid_dit) top = std::max(top, v);
      for (double v : r.fid_unet) top = std::max(top, v);
      plot::setup_axis_limits(plot::Axis::Y, 0, 1.1 * top, plot::Cond::Always);
      if (r.fid_dit.empty()) plot::set_empty_plot_text(tr("dit.flow_no_fid"));
      std::vector<double> xs(kFlowSteps, kFlowSteps + kFlowStepCounts);
      if (!r.fid_dit.empty()) {
        plot::set_next_size(2.5f);
        plot::plot_line(tr("dit.flow_dit"), xs.data(), r.fid_dit.data(), kFlowStepCounts);
        plot::set_next_size(2.5f);
        plot::plot_line(tr(r.unet_is_flow ? "dit.flow_unet" : "dit.flow_unet_eps"), xs.data(),
                        r.fid_unet.data(), kFlowStepCounts);
        plot::plot_hline(tr("dit.flow_floor"), r.fid_floor);
      }
      plot::end_plot();
    }
    char text[900];
    std::snprintf(text, sizeof text, tr(r.unet_is_flow ? "dit.caption_flow" : "dit.caption_flow_eps"),
                  r.time_distribution.c_str(), r.dit_train_steps, r.unet_train_steps, r.fid_samples);
    caption(text);
  }

  // view=race: a LiveRunner trains both networks; nothing is loaded on the UI thread.
  void restart_race(bool playing) {
    const int steps = race_steps_;
    runner_ = std::make_unique<LiveRunner>(
        [steps] {
          FlowRaceJob::Settings settings;
          settings.dit_checkpoint = checkpoint_path(kDiTFlowCheckpoint);
          settings.unet_checkpoint = checkpoint_path(kUNetFlowCheckpoint);
          settings.steps = steps;
          settings.threads = 2;
          return std::make_unique<FlowRaceJob>(settings);
        },
        playing);
  }

  void draw_race() {
    const auto snap = runner_->snapshot<FlowRaceSnapshot>();
    const bool playing = runner_->playing();
    if (ImGui::Button(playing ? tr_id("dit.race_pause", "pause") : tr_id("dit.race_play", "play")))
      runner_->toggle();
    ImGui::SameLine();
    if (ImGui::Button(tr_id("dit.race_restart", "restart"))) restart_race(false);
    if (!snap) return;
    ImGui::SameLine();
    char status[256];
    if (snap->step >= snap->steps)
      std::snprintf(status, sizeof status, tr("dit.race_done"), snap->step);
    else
      std::snprintf(status, sizeof status, tr("dit.race_busy"), snap->step, snap->steps);
    ImGui::TextUnformatted(status);
    const float font = ImGui::GetFontSize();
    ImGui::ProgressBar(static_cast<float>(snap->step) / std::max(1, snap->steps), ImVec2(-1, 0.5f * font),
                       "");
    if (!snap->error.empty()) error_note(snap->error);
    const char* names[kFlowRaceNets] = {tr("dit.dit"), tr("dit.unet")};
    for (int k = 0; k < kFlowRaceNets; ++k) {
      const SeriesView<double>& loss = snap->loss[k];
      double recent = NAN;
      if (!loss.empty()) {
        const size_t n = std::min<size_t>(20, loss.size());
        recent = 0;
        for (size_t i = loss.size() - n; i < loss.size(); ++i) recent += loss[i];
        recent /= static_cast<double>(n);
      }
      char line[300];
      std::snprintf(line, sizeof line, tr("dit.race_net"), names[k], snap->params[k], snap->images_per_s[k],
                    recent);
      ImGui::TextWrapped("%s", line);  // long at presenter width: wrap, never past the panel
    }
    const ImVec2 size(ImGui::GetContentRegionAvail().x,
                      std::max(100.0f, ImGui::GetContentRegionAvail().y - caption_reserve()));
    if (plot::begin_plot("##dit race", size)) {
      plot::setup_axes(tr("dit.race_axis_step"), tr("dit.race_axis_loss"), plot::kAxisNone, plot::kAxisLog);
      // The curves grow every step: refit both axes every frame.
      double lo = 1e9, hi = 0;
      for (const auto& loss : snap->loss)
        for (double v : loss)
          if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
      if (hi <= 0) lo = 0.1, hi = 1;
      plot::setup_axis_limits(plot::Axis::X, 0, std::max(20, snap->steps), plot::Cond::Always);
      plot::setup_axis_limits(plot::Axis::Y, 0.8 * lo, 1.25 * hi, plot::Cond::Always);
      for (int k = 0; k < kFlowRaceNets; ++k) {
        const SeriesView<double>& loss = snap->loss[k];
        race_x_.resize(std::max(race_x_.size(), loss.size()));
        for (size_t i = 0; i < loss.size(); ++i) race_x_[i] = static_cast<double>(i + 1);
        if (!loss.empty())
          plot::plot_line(names[k], race_x_.data(), loss.data(), static_cast<int>(loss.size()));
      }
      plot::end_plot();
    }
    char text[1000];
    std::snprintf(text, sizeof text, tr("dit.caption_race"), snap->params[0], snap->params[1], snap->batch);
    caption(text);
  }

  void draw_numbers(const DiTPanelResult& r) {
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("dit numbers", 3, flags)) {
      ImGui::TableSetupColumn("");
      ImGui::TableSetupColumn(tr("dit.dit"));
      ImGui::TableSetupColumn(tr("dit.unet"));
      ImGui::TableHeadersRow();
      auto row = [](const char* label, const std::string& a, const std::string& b) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(label);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(a.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(b.c_str());
      };
      auto fmt = [](const char* format, double v) {
        char s[64];
        std::snprintf(s, sizeof s, format, v);
        return std::string(s);
      };
      row(tr("dit.params"), std::to_string(r.dit.params), std::to_string(r.unet.params));
      row(tr("dit.gflop"), fmt("%.3f", r.dit.gflop), fmt("%.3f", r.unet.gflop));
      row(tr("dit.speed"), fmt("%.0f", r.dit.images_per_second), fmt("%.0f", r.unet.images_per_second));
      row(tr("dit.steps"), std::to_string(r.dit.steps), std::to_string(r.unet.steps));
      row(tr("dit.loss"), fmt("%.4f", r.dit.final_loss), fmt("%.4f", r.unet.final_loss));
      ImGui::EndTable();
    }
    caption(tr("dit.caption_numbers"));
  }

  static std::vector<float> cut_patches(const std::vector<float>& image, const DiTPanelResult& r) {
    const int side = r.width / r.patch, p = r.patch;
    std::vector<float> out(static_cast<size_t>(r.tokens) * p * p);
    for (int k = 0; k < r.tokens; ++k)
      for (int y = 0; y < p; ++y)
        for (int x = 0; x < p; ++x)
          out[(static_cast<size_t>(k) * p + y) * p + x] =
              image[static_cast<size_t>((k / side) * p + y) * r.width + (k % side) * p + x];
    return out;
  }

  // view=flow: the flow DiT and a U-Net (the shipped flow U-Net if there is one, else the ε U-Net with DDIM)
  // at each step count from the same noise; FID of fid_samples images per count against as many test images.
  static DiTPanelResult compute_flow(int samples, int fid_samples) {
    DiTPanelResult r;
    auto dit = load_model(checkpoint_path(kDiTFlowCheckpoint), "", std::nullopt);
    dit->backend->set_threads(2);
    const std::string unet_flow = checkpoint_path(kUNetFlowCheckpoint);
    r.unet_is_flow = std::filesystem::exists(unet_flow);
    auto unet = load_model(r.unet_is_flow ? unet_flow : checkpoint_path(kUNetCheckpoint), "", std::nullopt);
    unet->backend->set_threads(2);
    r.height = dit->image_height, r.width = dit->image_width, r.samples = samples;
    r.dit_train_steps = dit->checkpoint->step, r.unet_train_steps = unet->checkpoint->step;
    const auto it = dit->checkpoint->extra.find("time_distribution");
    r.time_distribution = it == dit->checkpoint->extra.end() ? "uniform" : it->second;
    std::unique_ptr<LoadedClassifier> classifier;
    FidReference reference;
    const std::string classifier_path = checkpoint_path(kClassifierCheckpoint);
    if (fid_samples >= 2 && std::filesystem::exists(classifier_path)) {
      classifier = load_classifier(classifier_path, 2);
      const ImageDataset test = load_image_dataset(dit->checkpoint->dataset, false);
      reference = make_fid_reference(*classifier->model, test.pixels.data(), fid_samples,
                                     test.image(fid_samples), fid_samples);
      r.fid_floor = reference.floor, r.fid_samples = fid_samples;
    }
    const int n = std::max(samples, classifier ? fid_samples : 0);
    for (int k = 0; k < kFlowStepCounts; ++k) {
      for (int m = 0; m < 2; ++m) {
        std::vector<float> images = sample_steps(m == 0 ? *dit : *unet, n, kFlowSteps[k], 3);
        if (classifier)
          (m == 0 ? r.fid_dit : r.fid_unet)
              .push_back(fid_to_reference(*classifier->model, images.data(), fid_samples, reference));
        images.resize(static_cast<size_t>(samples) * dit->model().dim());
        (m == 0 ? r.flow_dit : r.flow_unet).push_back(std::move(images));
        job_progress((2.0 * k + m + 1) / (2.0 * kFlowStepCounts));
      }
    }
    return r;
  }

  void recompute() {
    const std::string view = view_;
    const int image = image_, t = t_, samples = samples_, steps = steps_, fid_samples = fid_samples_;
    result_.start([view, image, t, samples, steps, fid_samples] {
      if (view == "flow") return compute_flow(std::min(samples, 6), fid_samples);
      DiTPanelResult r;
      auto dit_model = load_model(checkpoint_path(kDiTCheckpoint), "", std::nullopt);
      auto* dit = dynamic_cast<DiT*>(dit_model->network.get());
      if (!dit) throw std::invalid_argument(std::string(kDiTCheckpoint) + " is not a DiT");
      dit_model->backend->set_threads(2);
      r.height = dit->height(), r.width = dit->width(), r.patch = dit->config().patch;
      r.heads = dit->config().heads, r.depth = dit->config().depth, r.tokens = dit->tokens();
      job_progress(0.1);
      const ImageDataset test = load_image_dataset(dit_model->checkpoint->dataset, false);
      const int D = test.dim(), index = std::clamp(image, 0, test.count - 1);
      r.image.assign(test.pixels.begin() + static_cast<std::ptrdiff_t>(index) * D,
                     test.pixels.begin() + static_cast<std::ptrdiff_t>(index + 1) * D);
      r.patches = cut_patches(r.image, r);
      // x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, then one forward to read every block's attention.
      const NoiseSchedule& s = dit_model->schedule;
      const int tc = std::clamp(t, 0, s.T() - 1);
      const std::vector<float> eps = standard_normal(D, 7);
      r.noisy.resize(D);
      q_sample(s, tc, r.image.data(), eps.data(), D, r.noisy.data());
      std::vector<float> out(D);
      const float tf = static_cast<float>(tc);
      dit->forward(r.noisy.data(), &tf, nullptr, 1, out.data());
      for (int b = 0; b < r.depth; ++b) r.maps.push_back(dit->attention_map(b, 0));
      job_progress(0.2);
      if (view == "samples" || view == "numbers") {
        auto unet_model = load_model(checkpoint_path(kUNetCheckpoint), "", std::nullopt);
        unet_model->backend->set_threads(2);
        r.dit.steps = dit_model->checkpoint->step;
        r.unet.steps = unet_model->checkpoint->step;
        if (view == "samples") {
          r.samples = samples;
          const std::vector<float> x_T = standard_normal(samples * D, 3);
          for (int m = 0; m < 2; ++m) {
            LoadedModel& model = m == 0 ? *dit_model : *unet_model;
            Sampler sampler(model.model(), fid_sampler_config(steps));
            sampler.begin(x_T, 3);
            while (!sampler.done()) {
              sampler.step();
              job_progress(0.2 + 0.4 * m + 0.4 * sampler.steps_done() / steps);
            }
            (m == 0 ? r.dit_samples : r.unet_samples) = sampler.x();
          }
        } else {
          r.dit = numbers_of(*dit_model);
          job_progress(0.6);
          r.unet = numbers_of(*unet_model);
        }
      }
      return r;
    });
  }

  std::string view_ = "attention";
  int image_ = 0, t_ = 150, query_ = 24, block_ = 3, samples_ = 16, steps_ = 20, fid_samples_ = 64;
  int race_steps_ = 200;
  Async<DiTPanelResult> result_;
  std::unique_ptr<LiveRunner> runner_;  // view=race only
  std::vector<double> race_x_;          // 1, 2, … (the steps of the race's curves)
};

}  // namespace

std::unique_ptr<LivePanel> make_dit_panel(const PanelDirective& d) {
  return std::make_unique<DiTPanel>(d);
}

}  // namespace difflab::lecture
