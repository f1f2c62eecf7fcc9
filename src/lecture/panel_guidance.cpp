// panel_guidance.cpp — guidance on 2-D data (lessons 12–13): a γ slider moving one fixed x_T to its guided
// samples, the learned against the exact guided field, and precision/diversity against γ.
// Not the computations (views/guidance_view.h, in a background job) and not the models (nn/cond_mlp.h): they
// train on a LiveRunner (train/live_runner.h), the one live training protocol, as the trilemma's do.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "train/cond_objective.h"
#include "train/live_runner.h"
#include "views/guidance_view.h"

namespace difflab::lecture {
namespace {

constexpr uint64_t kNoiseSeed = 1200;  // the fixed x_T of every γ, both models, every view
constexpr int kLearnedSteps = 3000;    // the live model: a few seconds on one core
constexpr int kGrid = 15;              // the field view's arrows per side
const double kGammas[] = {0, 0.5, 1, 1.5, 2, 3, 4, 5, 7, 10};

// The labelled data every view uses: a preset's modes, class = mode index mod `classes`, every mode σ wide.
struct Setup {
  std::string dataset;
  int classes = 2;
  double sigma = 0;
  std::string key() const { return dataset + "/" + std::to_string(classes) + "/" + std::to_string(sigma); }
};

// The class-conditional MLP (and, for classifier guidance, the noise classifier), trained live once per setup
// on a LiveRunner (train/live_runner.h) and then shared, finished, by every guidance panel. After training
// only the background worker (one thread) touches them: the panel's computations run there.
struct Learned {
  std::shared_ptr<CondTrainer> trainer;
  std::shared_ptr<CondMlpDenoiser> denoiser;
  std::shared_ptr<NoiseClassifierTrainer> classifier;  // trained the first time classifier guidance is asked
};

// The field each model choice gives: the mixture's exact one, CFG with the conditional MLP, or classifier
// guidance: the same MLP's null class (the unconditional ε) plus the noise classifier's gradient.
enum class Kind { Exact, Cfg, Classifier };
std::mutex g_learned_mutex;
std::map<std::string, std::shared_ptr<const Learned>>& learned_cache() {
  static auto* cache = new std::map<std::string, std::shared_ptr<const Learned>>();
  return *cache;
}
std::shared_ptr<const Learned> cached_learned(const std::string& key) {
  std::lock_guard<std::mutex> lock(g_learned_mutex);
  const auto it = learned_cache().find(key);
  return it == learned_cache().end() ? nullptr : it->second;
}

// What the training run publishes: its progress, and the finished models once done.
struct GuidanceTrainSnapshot {
  int step = 0, total = 1;
  double seconds = 0;
  std::string error;
  std::shared_ptr<const Learned> learned;  // set when training is done
};

// The live training of one setup as a TrainJob: kLearnedSteps of the conditional MLP (unless `base` already
// has it), then kLearnedSteps of the noise classifier when asked for.
class GuidanceTrainJob final : public TrainJob {
 public:
  GuidanceTrainJob(Setup setup, std::shared_ptr<const Learned> base, bool with_classifier)
      : setup_(std::move(setup)), base_(std::move(base)), with_classifier_(with_classifier) {}

  void start() override {
    const LabelledMixture2D mixture = guidance_mixture(setup_.dataset, setup_.classes, setup_.sigma);
    const PointSet points = guidance_points(mixture, 8000, 1);
    if (!base_) {
      CondTrainConfig c;
      c.custom_points = points;
      c.model.mlp.width = 64;
      c.model.mlp.depth = 2;
      c.model.mlp.embedding_size = 32;
      c.steps = kLearnedSteps;
      cond_ = std::make_shared<CondTrainer>(c);
    }
    if (with_classifier_) {
      NoiseClassifierTrainConfig c;
      c.custom_points = points;
      c.model.mlp.width = 64;
      c.model.mlp.depth = 2;
      c.steps = kLearnedSteps;
      classifier_ = std::make_shared<NoiseClassifierTrainer>(c);
    }
  }
  StepResult step() override {
    if (cond_ && cond_->step_count() < kLearnedSteps) return cond_->step();
    return classifier_->step();
  }
  int step_count() const override {
    return (cond_ ? cond_->step_count() : 0) + (classifier_ ? classifier_->step_count() : 0);
  }
  int total() const { return (base_ ? 0 : kLearnedSteps) + (with_classifier_ ? kLearnedSteps : 0); }
  bool finished() const override { return (cond_ || classifier_) && step_count() >= total(); }
  void on_error(const std::exception& e) override { error_ = e.what(); }
  void on_diverged(const StepResult&) override { error_ = tr("guidance.diverged"); }
  std::shared_ptr<const void> snapshot(const RunInfo& info) override {
    seconds_ += info.seconds;
    auto s = std::make_shared<GuidanceTrainSnapshot>();
    s->step = step_count();
    s->total = std::max(1, total());
    s->seconds = seconds_;
    s->error = error_;
    if (finished() && error_.empty()) {
      if (!learned_) {
        auto l = std::make_shared<Learned>();
        if (base_) *l = *base_;
        if (cond_) {
          l->trainer = cond_;
          l->denoiser = cond_->denoiser();
        }
        if (classifier_) l->classifier = classifier_;
        learned_ = l;
      }
      s->learned = learned_;
    }
    return s;
  }

 private:
  Setup setup_;
  std::shared_ptr<const Learned> base_;
  bool with_classifier_;
  std::shared_ptr<CondTrainer> cond_;
  std::shared_ptr<NoiseClassifierTrainer> classifier_;
  std::shared_ptr<const Learned> learned_;
  std::string error_;
  double seconds_ = 0;
};

GuidedEps learned_eps(const std::shared_ptr<const Learned>& m, Kind kind) {
  if (kind == Kind::Classifier)
    return [m](const float* xt, int n, int t, int label, double gamma, float* eps) {
      NoiseClassifierModel& c = m->classifier->model();
      ParamsView ema(c, m->classifier->ema_params());
      ClassifierGuidedLocal guided(*m->denoiser, c, label, gamma);  // ε(xₜ, ∅) − γ σₜ ∇ log p(y | xₜ)
      guided.predict_eps(xt, n, t, eps);
    };
  return [m](const float* xt, int n, int t, int label, double gamma, float* eps) {
    m->denoiser->predict_eps_guided(xt, n, t, label, gamma, eps);
  };
}

struct GuidanceResult {
  std::vector<float> data;  // labelled data points, drawn under the samples
  std::vector<int> data_classes;
  std::vector<float> samples, tilted;
  GuidanceStats stats, tilted_stats;
  // field view: grid points, the exact and the learned guided score −ε̃/σₜ, and their relative RMS difference
  std::vector<float> grid, exact_u, exact_v, learned_u, learned_v;
  double field_difference = NAN;
  // trade-off view
  std::vector<TradeoffPoint> curve;
  Kind kind = Kind::Exact;
};

enum class View { Slider, Field, Tradeoff };

class GuidancePanel final : public LivePanel {
 public:
  explicit GuidancePanel(const PanelDirective& d) {
    setup_.dataset = d.value("dataset");
    setup_.classes = std::stoi(d.value("classes"));
    setup_.sigma = std::stod(d.value("sigma"));
    const std::string v = d.value("view");
    view_ = v == "field" ? View::Field : v == "tradeoff" ? View::Tradeoff : View::Slider;
    const std::string model = d.value("model");
    kind_ = model == "learned" ? Kind::Cfg : model == "classifier" ? Kind::Classifier : Kind::Exact;
    gamma_ = static_cast<float>(std::stod(d.value("gamma")));
    label_ = std::stoi(d.value("class"));
    t_ = std::stoi(d.value("t"));
    n_ = std::stoi(d.value("n"));
    const std::string s = d.value("sampler");
    sampler_ = s == "ddpm" ? 1 : s == "ode" ? 2 : 0;
    tilted_ = d.value("tilted") == "true";
    recompute();
  }

  void draw() override {
    poll_training();
    job_.poll();
    controls();
    if (!training_error_.empty()) return error_note(training_error_);
    if (!job_.error().empty()) return error_note(job_.error());
    if (runner_ && !job_.value()) {
      const auto snap = runner_->snapshot<GuidanceTrainSnapshot>();
      const float fraction = snap ? static_cast<float>(snap->step) / snap->total : 0.0f;
      return progress_note(tr("guidance.training"), fraction, snap ? snap->seconds : 0.0);
    }
    if (!job_.value()) return progress_note(tr("guidance.busy"), job_);
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (view_ == View::Field)
      draw_field(height);
    else if (view_ == View::Tradeoff)
      draw_tradeoff(height);
    else
      draw_slider(height);
  }

 private:
  SamplerConfig sampler_config() const {
    SamplerConfig c;
    c.kind = sampler_ == 1 ? SamplerKind::Ddpm : sampler_ == 2 ? SamplerKind::OdeHeun : SamplerKind::Ddim;
    c.steps = sampler_ == 1 ? 0 : sampler_ == 2 ? 25 : 50;
    c.spacing = Spacing::Trailing;
    return c;
  }

  // The field view compares the exact field with a learned one (CFG unless classifier guidance is chosen).
  Kind effective_kind() const { return view_ == View::Field && kind_ == Kind::Exact ? Kind::Cfg : kind_; }

  // The learned models this view needs: from the cache, or trained on a LiveRunner first (recompute() follows
  // from poll_training() when it is done).
  bool learned_ready() {
    const Kind kind = effective_kind();
    if (kind == Kind::Exact) return true;
    const bool with_classifier = kind == Kind::Classifier;
    if (!learned_ || (with_classifier && !learned_->classifier)) learned_ = cached_learned(setup_.key());
    if (learned_ && (!with_classifier || learned_->classifier)) return true;
    if (!runner_) {
      std::shared_ptr<const Learned> base = learned_;
      const Setup setup = setup_;
      training_error_.clear();
      runner_ = std::make_unique<LiveRunner>(
          [setup, base, with_classifier] {
            return std::make_unique<GuidanceTrainJob>(setup, base, with_classifier);
          },
          true);
    }
    return false;
  }

  void poll_training() {
    if (!runner_) return;
    const auto snap = runner_->snapshot<GuidanceTrainSnapshot>();
    if (!snap) return;
    if (!snap->error.empty()) {
      training_error_ = snap->error;
      runner_.reset();
      return;
    }
    if (!snap->learned) return;
    {
      std::lock_guard<std::mutex> lock(g_learned_mutex);
      learned_cache()[setup_.key()] = snap->learned;
    }
    learned_ = snap->learned;
    runner_.reset();  // finished: the worker is idle, joining it does not wait
    recompute();
  }

  void recompute() {
    if (!learned_ready()) return;
    const Setup setup = setup_;
    const View view = view_;
    const Kind kind = effective_kind();
    const bool learned = kind != Kind::Exact;
    const std::shared_ptr<const Learned> model = learned_;
    const double gamma = gamma_;
    const int label = label_, t = t_, n = n_;
    const SamplerConfig config = sampler_config();
    const bool tilted = tilted_ || view == View::Tradeoff;
    job_.start([setup, view, kind, learned, model, gamma, label, t, n, config, tilted] {
      const LabelledMixture2D mixture = guidance_mixture(setup.dataset, setup.classes, setup.sigma);
      if (label >= mixture.num_classes) throw std::invalid_argument("class out of range");
      GuidanceResult r;
      r.kind = kind;
      const PointSet points = guidance_points(mixture, 1500, 2);
      r.data = points.xy;
      r.data_classes = points.labels;
      const NoiseSchedule schedule = make_schedule(CondTrainConfig{}.schedule);
      ExactConditionalDenoiser exact_denoiser(mixture, schedule);
      const GuidedEps exact = exact_guided_eps(exact_denoiser);
      const auto sub = [](double f) { job_progress(f); };
      const GuidedEps eps = learned && view != View::Field ? learned_eps(model, kind) : exact;
      const DataBox box = learned ? model->trainer->data_box() : DataBox{};
      const std::vector<float> x_T = standard_normal(2 * n, kNoiseSeed);
      if (view == View::Slider) {
        r.samples = guided_samples(eps, schedule, box, label, gamma, x_T, config, 1, sub);
        r.stats = guidance_stats(r.samples, mixture, label);
        if (tilted) {
          r.tilted = tilted_samples(mixture, label, gamma, n, 5);
          r.tilted_stats = guidance_stats(r.tilted, mixture, label);
        }
      } else if (view == View::Field) {
        const GuidedEps learned_field = learned_eps(model, kind);
        const double lim = 3.0;
        for (int j = 0; j < kGrid; ++j)
          for (int i = 0; i < kGrid; ++i) {
            r.grid.push_back(static_cast<float>(-lim + 2 * lim * i / (kGrid - 1)));
            r.grid.push_back(static_cast<float>(-lim + 2 * lim * j / (kGrid - 1)));
          }
        const int m = kGrid * kGrid;
        std::vector<float> e(2 * m), l(2 * m);
        exact(r.grid.data(), m, t, label, gamma, e.data());
        learned_field(r.grid.data(), m, t, label, gamma, l.data());
        const double sigma = schedule.sqrt_one_minus_alpha_bar[t];
        for (int k = 0; k < m; ++k) {
          r.exact_u.push_back(static_cast<float>(-e[2 * k] / sigma));
          r.exact_v.push_back(static_cast<float>(-e[2 * k + 1] / sigma));
          r.learned_u.push_back(static_cast<float>(-l[2 * k] / sigma));
          r.learned_v.push_back(static_cast<float>(-l[2 * k + 1] / sigma));
        }
        // The difference where xₜ actually lies: at noised data points of the class and the others.
        std::vector<float> xt = r.data;
        const std::vector<float> noise = standard_normal(static_cast<int>(xt.size()), 77);
        for (size_t k = 0; k < xt.size(); ++k)
          xt[k] = static_cast<float>(schedule.sqrt_alpha_bar[t] * xt[k] + sigma * noise[k]);
        const int nx = static_cast<int>(xt.size() / 2);
        std::vector<float> ex(xt.size()), lx(xt.size());
        exact(xt.data(), nx, t, label, gamma, ex.data());
        learned_field(xt.data(), nx, t, label, gamma, lx.data());
        double diff = 0, norm = 0;
        for (size_t k = 0; k < xt.size(); ++k) {
          diff += (ex[k] - lx[k]) * (ex[k] - lx[k]);
          norm += ex[k] * ex[k];
        }
        r.field_difference = std::sqrt(diff / std::max(norm, 1e-30));
      } else {
        r.curve =
            guidance_tradeoff(eps, schedule, box, mixture, label,
                              std::vector<double>(std::begin(kGammas), std::end(kGammas)), x_T, config, sub);
      }
      return r;
    });
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    bool changed = false;
    {
      const char* models[] = {tr("guidance.model_exact"), tr("guidance.model_learned"),
                              tr("guidance.model_classifier")};
      int m = static_cast<int>(kind_);
      ImGui::SetNextItemWidth(font * 11);
      if (ImGui::Combo(tr_id("guidance.model", "model"), &m, models, 3)) {
        kind_ = static_cast<Kind>(m);
        changed = true;
      }
    }
    if (view_ != View::Tradeoff) {
      same_line_if_fits(labeled_width(font * 10, "γ"));
      ImGui::SetNextItemWidth(font * 10);
      changed |= ImGui::SliderFloat("γ##gamma", &gamma_, 0.0f, 10.0f, "%.1f");
      if (ImGui::IsItemHovered()) scripted_tooltip(tr("guidance.gamma_tooltip"));
    }
    std::vector<std::string> names;
    std::vector<const char*> items;
    for (int k = 0; k < setup_.classes; ++k) names.push_back(std::to_string(k));
    for (const std::string& s : names) items.push_back(s.c_str());
    same_line_if_fits(labeled_width(font * 4, tr("guidance.class")));
    ImGui::SetNextItemWidth(font * 4);
    changed |= ImGui::Combo(tr_id("guidance.class", "class"), &label_, items.data(), setup_.classes);
    if (view_ == View::Field) {
      same_line_if_fits(labeled_width(font * 8, "t"));
      ImGui::SetNextItemWidth(font * 8);
      ImGui::SliderInt("t##t", &t_, 0, 99);
      changed |= ImGui::IsItemDeactivatedAfterEdit();
    } else {
      const char* samplers[] = {"DDIM (50)", "DDPM (100)", tr("guidance.ode")};
      same_line_if_fits(labeled_width(font * 8, tr("guidance.sampler")));
      ImGui::SetNextItemWidth(font * 8);
      changed |= ImGui::Combo(tr_id("guidance.sampler", "sampler"), &sampler_, samplers, 3);
    }
    if (view_ == View::Slider) {
      same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize(tr("guidance.show_tilted")).x + font);
      changed |= ImGui::Checkbox(tr_id("guidance.show_tilted", "tilted"), &tilted_);
      if (ImGui::IsItemHovered()) scripted_tooltip(tr("guidance.show_tilted_tooltip"));
    }
    if (changed) recompute();
    if (job_.busy() && job_.value()) progress_note(tr("guidance.busy"), job_, font * 16);
  }

  // Data points: class y in its colour, the other classes grey.
  void draw_data(const GuidanceResult& r) {
    std::vector<float> mine, other;
    for (size_t i = 0; i < r.data_classes.size(); ++i)
      (r.data_classes[i] == label_ ? mine : other)
          .insert((r.data_classes[i] == label_ ? mine : other).end(), {r.data[2 * i], r.data[2 * i + 1]});
    plot::set_next_color(IM_COL32(150, 150, 150, 80));
    plot::set_next_size(2);
    plot::plot_scatter(tr_id("guidance.other_classes", "others"), other.data(), other.data() + 1,
                       static_cast<int>(other.size() / 2), 8);
    plot::set_next_color(IM_COL32(90, 190, 100, 110));
    plot::set_next_size(2);
    plot::plot_scatter(tr_id("guidance.class_data", "classdata"), mine.data(), mine.data() + 1,
                       static_cast<int>(mine.size() / 2), 8);
  }

  static void setup_points_axes() {
    plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
    plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
  }

  void draw_slider(float height) {
    const GuidanceResult& r = *job_.value();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float readout_lines = r.tilted.empty() ? 2.2f : 4.2f;  // wrapped at 1280 × 720
    // A short, wide plot (1280 × 720 presenter with the target distribution: 170 px high, ±13 on x for data
    // within ±3) gives its readout lines to the plot and puts them to its right.
    const float avail_x = ImGui::GetContentRegionAvail().x;
    const bool beside = avail_x > 2.5f * (height - readout_lines * line);
    const ImVec2 plot_size = beside ? ImVec2(std::min(0.62f * avail_x, 1.2f * height), height)
                                    : ImVec2(-1, height - readout_lines * line);
    if (plot::begin_plot("##guidance_samples", plot_size, plot::kPlotEqualAspect)) {
      setup_points_axes();
      draw_data(r);
      if (!r.tilted.empty()) {
        plot::set_next_color(IM_COL32(70, 150, 230, 200));
        plot::set_next_size(2.5f);
        plot::plot_scatter(tr_id("guidance.tilted", "tilted"), r.tilted.data(), r.tilted.data() + 1,
                           static_cast<int>(r.tilted.size() / 2), 8);
      }
      plot::set_next_color(IM_COL32(230, 120, 60, 230));
      plot::set_next_size(3);
      plot::plot_scatter(tr_id("guidance.samples", "samples"), r.samples.data(), r.samples.data() + 1,
                         static_cast<int>(r.samples.size() / 2), 8);
      plot::end_plot();
    }
    if (beside) {
      ImGui::SameLine();
      ImGui::BeginGroup();
    }
    char text[400];
    std::snprintf(text, sizeof text, tr("guidance.readout"), gamma_, 100 * r.stats.precision,
                  100 * r.stats.off_data, r.stats.modes_covered, r.stats.class_modes, r.stats.mean_radius);
    plot::scripted_text_item(text, 0);  // wraps at spaces only: not "1." and "0 %"
    if (!r.tilted.empty()) {
      std::snprintf(text, sizeof text, tr("guidance.readout_tilted"), 100 * r.tilted_stats.precision,
                    100 * r.tilted_stats.off_data, r.tilted_stats.modes_covered, r.tilted_stats.class_modes,
                    r.tilted_stats.mean_radius);
      plot::scripted_text_item(text, 0);
    }
    if (beside) ImGui::EndGroup();
    caption(tr(r.kind == Kind::Cfg          ? "guidance.caption_slider_learned"
               : r.kind == Kind::Classifier ? "guidance.caption_slider_classifier"
                                            : "guidance.caption_slider_exact"));
  }

  void draw_field(float height) {
    const GuidanceResult& r = *job_.value();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    if (plot::begin_plot("##guidance_field", ImVec2(-1, height - 2.2f * line), plot::kPlotEqualAspect)) {
      setup_points_axes();
      draw_data(r);
      const int m = static_cast<int>(r.exact_u.size());
      // Arrows scaled so that the 80th-percentile exact one spans one grid cell; longer ones (far from the
      // data, where the score grows linearly) are drawn at 1.5 cells, their direction kept.
      std::vector<float> lengths(m);
      for (int k = 0; k < m; ++k) lengths[k] = std::hypot(r.exact_u[k], r.exact_v[k]);
      std::vector<float> sorted = lengths;
      std::nth_element(sorted.begin(), sorted.begin() + m * 4 / 5, sorted.end());
      const float cell = 6.0f / (kGrid - 1), scale = cell / std::max(1e-6f, sorted[m * 4 / 5]);
      std::vector<float> eu = r.exact_u, ev = r.exact_v, lu = r.learned_u, lv = r.learned_v;
      const auto clamp_arrow = [&](float& u, float& v) {
        const float len = std::hypot(u, v) * scale;
        if (len > 1.5f * cell) u *= 1.5f * cell / len, v *= 1.5f * cell / len;
      };
      for (int k = 0; k < m; ++k) clamp_arrow(eu[k], ev[k]), clamp_arrow(lu[k], lv[k]);
      std::vector<float> xs(m), ys(m);
      for (int k = 0; k < m; ++k) xs[k] = r.grid[2 * k], ys[k] = r.grid[2 * k + 1];
      plot::set_next_color(IM_COL32(70, 150, 230, 230));
      plot::set_next_size(2);
      plot::plot_arrows(tr_id("guidance.field_exact", "exact"), xs.data(), ys.data(), eu.data(), ev.data(), m,
                        scale);
      plot::set_next_color(IM_COL32(230, 120, 60, 230));
      plot::set_next_size(1.5f);
      plot::plot_arrows(tr_id("guidance.field_learned", "learned"), xs.data(), ys.data(), lu.data(),
                        lv.data(), m, scale);
      plot::end_plot();
    }
    char text[300];
    std::snprintf(text, sizeof text, tr("guidance.field_readout"), t_, gamma_, 100 * r.field_difference);
    plot::scripted_text_item(text, 0);
    caption(tr(r.kind == Kind::Classifier ? "guidance.caption_field_classifier" : "guidance.caption_field"));
  }

  void draw_tradeoff(float height) {
    const GuidanceResult& r = *job_.value();
    const int m = static_cast<int>(r.curve.size());
    // Spread: the mean distance to the nearest mode of y, relative to p(x | y)'s own (the tilted target at γ
    // = 1).
    double ref = 1;
    for (const TradeoffPoint& p : r.curve)
      if (p.gamma == 1.0) ref = std::max(1e-9, p.tilted.mean_radius);
    std::vector<double> g(m), precision(m), off(m), covered(m), spread(m), t_precision(m), t_spread(m);
    for (int i = 0; i < m; ++i) {
      const TradeoffPoint& p = r.curve[i];
      g[i] = p.gamma;
      precision[i] = p.guided.precision;
      off[i] = p.guided.off_data;
      covered[i] = p.guided.class_modes ? double(p.guided.modes_covered) / p.guided.class_modes : 0;
      spread[i] = p.guided.mean_radius / ref;
      t_precision[i] = p.tilted.precision;
      t_spread[i] = p.tilted.mean_radius / ref;
    }
    // The numbers at γ = 0, 1, 3 and 10 (the lessons quote them), two to a line, or one when two do not fit
    // (1280 × 720 presenter cut "fuera 0.8 %" off at the right edge).
    std::vector<std::string> singles;
    for (const TradeoffPoint& p : r.curve)
      if (p.gamma == 0 || p.gamma == 1 || p.gamma == 3 || p.gamma == 10) {
        char one[160];
        std::snprintf(one, sizeof one, tr("guidance.tradeoff_value"), p.gamma, 100 * p.guided.precision,
                      p.guided.mean_radius, 100 * p.guided.off_data);
        singles.push_back(one);
      }
    std::vector<std::string> values;
    for (size_t i = 0; i < singles.size(); i += 2)
      values.push_back(i + 1 < singles.size() ? singles[i] + " · " + singles[i + 1] : singles[i]);
    for (const std::string& line : values)
      if (ImGui::CalcTextSize(line.c_str()).x > ImGui::GetContentRegionAvail().x) {
        values = singles;
        break;
      }
    const float line_height = ImGui::GetTextLineHeightWithSpacing();
    if (plot::begin_plot(tr_id("guidance.tradeoff_title", "tradeoff"),
                         ImVec2(-1, height - (values.size() + 0.2f) * line_height))) {
      plot::setup_axes("γ", nullptr);
      plot::setup_axis_limits(plot::Axis::X, 0, 10);
      // Up to 1.6, or above the spread at γ = 0 when it is wider (lesson 12 s6: 0.816 / 0.415 ≈ 2 ran off).
      double top = 1.6;
      for (const std::vector<double>* ys : {&spread, &t_spread})
        for (double v : *ys)
          if (std::isfinite(v)) top = std::max(top, 1.05 * v);
      plot::setup_axis_limits(plot::Axis::Y, 0, top);
      const auto line = [&](const char* key, const char* id, const std::vector<double>& ys, ImU32 color,
                            bool markers) {
        plot::set_next_color(color);
        plot::set_next_size(2);
        plot::plot_line(tr_id(key, id), g.data(), ys.data(), m);
        if (markers) {
          plot::set_next_color(color);
          plot::set_next_size(5);
          plot::plot_scatter((std::string("##m") + id).c_str(), g.data(), ys.data(), m);
        }
      };
      line("guidance.curve_precision", "precision", precision, IM_COL32(230, 120, 60, 255), true);
      line("guidance.curve_spread", "spread", spread, IM_COL32(70, 150, 230, 255), true);
      line("guidance.curve_off", "off", off, IM_COL32(200, 60, 60, 255), true);
      line("guidance.curve_covered", "covered", covered, IM_COL32(90, 190, 100, 255), true);
      line("guidance.curve_tilted_precision", "tprecision", t_precision, IM_COL32(230, 120, 60, 110), false);
      line("guidance.curve_tilted_spread", "tspread", t_spread, IM_COL32(70, 150, 230, 110), false);
      plot::end_plot();
    }
    for (const std::string& line : values) ImGui::TextUnformatted(line.c_str());
    caption(tr(r.kind == Kind::Cfg          ? "guidance.caption_tradeoff_learned"
               : r.kind == Kind::Classifier ? "guidance.caption_tradeoff_classifier"
                                            : "guidance.caption_tradeoff_exact"));
  }

  Setup setup_;
  View view_ = View::Slider;
  Kind kind_ = Kind::Exact;
  bool tilted_ = false;
  float gamma_ = 3;
  int label_ = 0, t_ = 10, n_ = 1000, sampler_ = 0;
  std::shared_ptr<const Learned> learned_;  // the finished learned models of setup_ (null until needed)
  std::unique_ptr<LiveRunner> runner_;      // their live training, while it runs
  std::string training_error_;
  Async<GuidanceResult> job_;
};

}  // namespace

std::unique_ptr<LivePanel> make_guidance_panel(const PanelDirective& d) {
  return std::make_unique<GuidancePanel>(d);
}

}  // namespace difflab::lecture
