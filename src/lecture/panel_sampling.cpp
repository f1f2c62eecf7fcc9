// panel_sampling.cpp — Algorithm 2 step by step: xₜ on the left, x̂₀ on the right, trajectories, and the
// exact denoiser beside the model from the same noise (lesson 05). Not a sampler: sample/sampler.h steps.
#include <cstdio>
#include <map>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/layout.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "sample/sampler.h"
#include "sample/sampler_table.h"
#include "views/views.h"

namespace difflab::lecture {
namespace {

struct Run {
  std::shared_ptr<LoadedModel> model;
  std::unique_ptr<Sampler> sampler;
  std::string label_key;  // "sampling.trained" or "sampling.exact", read with tr() at draw time
  // The network's own x̂₀ of the shown step (not clipped), recomputed when the step changes.
  std::vector<float> x0_unclipped;
  int x0_unclipped_step = -1;
};

// How many sampling panels were made: each one (R rebuilds the slide's panel) draws its chain noise z from
// a new seed while x_T stays the same, so that "the same x_T ends somewhere else each time" (lesson 05)
// holds. The first panel of a run uses seed 23, as before.
int g_panels_made = 0;

class SamplingPanel final : public LivePanel {
 public:
  explicit SamplingPanel(const PanelDirective& d)
      : dataset_(d.value("dataset")),
        which_(d.value("model")),
        compare_(d.value("compare") == "true"),
        chain_draw_(g_panels_made++) {
    parse_sampler_kind(d.value("sampler"), &config_.kind);
    config_.steps = std::stoi(d.value("steps"));
    n_ = std::stoi(d.value("n"));
    restart();
    playing_ = true;  // the chain runs once on its own (about two seconds); ◀ and ▶ then walk through it
  }

  void toggle_play() override { playing_ = !playing_; }
  bool playing() const override { return playing_; }
  void step_once() override {
    playing_ = false;
    forward();
  }

  void draw() override {
    if (loader_.poll() && loader_.ready()) {
      models_.clear();
      for (size_t i = 0; i < loader_.which().size(); ++i) models_[loader_.which()[i]] = loader_.models()[i];
      restart();
    }
    if (models_.empty()) return loader_.status();  // the "loading …" bar, or why the load failed
    if (playing_ && !forward()) playing_ = false;
    controls();
    if (runs_.empty()) return loader_.status();  // a restart that needs a model not loaded yet
    if (!loader_.busy() && !loader_.error().empty()) loader_.status();  // a failed reload says why
    const Run& main = runs_.front();
    const int steps = static_cast<int>(main.sampler->timesteps().size());
    char text[700];
    // After the last step the left plot shows the samples x₀ themselves, not an xₜ (was "t = −1").
    const std::string where = view_ < steps ? format(tr("sampling.left_xt"), main.sampler->timesteps()[view_])
                                            : std::string(tr("sampling.left_done"));
    std::snprintf(text, sizeof text, tr("sampling.caption"), view_, steps,
                  sampler_kind_name(config_.kind).c_str(), tr(main.label_key.c_str()), where.c_str(),
                  main.sampler->network_evaluations());
    std::string full = text;
    full += "  ";
    full += clip_note(*main.model);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float font = ImGui::GetFontSize(), spacing = style.ItemSpacing.x;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // One key line for every plot instead of a legend per plot (they ate unequal rows at 1280 × 720).
    const float key_height = ImGui::CalcTextSize(tr("sampling.key"), nullptr, false, avail.x).y;
    // The bottom row's x tick labels (1.1 em more margin, plot.cpp) come out of its own height, not its
    // clouds'.
    const float ticks = compare_ ? font * 1.1f : 0.0f;
    // Side by side (2 × 2) the key and the caption go in a column right of a square grid when that makes
    // the clouds larger (plot/layout.h; ~160 px tall at 1280 × 720 with the caption under them). Not data:
    // 3.6 + 0.8 + 0.4 + 0.8 em and a spacing across, 0.8 + 0.8 + 1.1 em and a spacing down.
    const plot::GridBeside grid =
        compare_ ? plot::grid_with_text_beside(
                       avail.x, avail.y, caption_reserve() + key_height + style.ItemSpacing.y,
                       5.6f * font + spacing, 2.7f * font + style.ItemSpacing.y, 12 * font, spacing)
                 : plot::GridBeside{};
    if (!grid.beside) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", tr("sampling.key"));
      ImGui::PopStyleColor();
    }
    const float plots =
        grid.beside ? avail.y : avail.y - caption_reserve() - key_height - style.ItemSpacing.y;
    const float half = ((grid.beside ? grid.grid_width : avail.x) - spacing) * 0.5f;
    const float row = compare_ ? (plots - style.ItemSpacing.y - ticks) * 0.5f : plots;
    // Side by side (2 × 2) the plots share their axes (all span x, y ∈ [−3.5, 3.5]): x tick labels on the
    // bottom row only, y tick labels on the left column only, and each plot's name inside its top-left
    // corner instead of a title row: the clouds get that height (~125 px at 1280 × 720 before).
    if (grid.beside) ImGui::BeginGroup();
    top_next_ = 3.5;
    for (Run& r : runs_) {
      const bool bottom = &r == &runs_.back();
      const float h = bottom ? row + ticks : row;
      // The right column has no y tick labels: the left takes that margin (3.6 − 0.4 em, plot.cpp), so both
      // data areas are equally wide and show the same x range.
      const float shift = compare_ ? 0.5f * (3.6f - 0.4f) * font : 0.0f;
      draw_state(r, ImVec2(half + shift, h), !compare_ || bottom, true, compare_);
      ImGui::SameLine();
      draw_x0(r, ImVec2(half - shift, h), !compare_ || bottom, !compare_, compare_);
    }
    top_shown_ = top_next_;
    if (!grid.beside) return caption(full);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr("sampling.key"));
    ImGui::PopStyleColor();
    caption(full);
    ImGui::EndGroup();
  }

 private:
  // New samplers from the same noise. The models come from the background loader: when one is missing (the
  // first frame, "exact beside" turned on, a model trained from scratch) the load starts and the runs are
  // built on the frame it arrives; the panel shows the loading bar meanwhile.
  void restart() {
    runs_.clear();
    view_ = 0;
    const std::vector<std::string> models = wanted_models();
    for (const std::string& m : models)
      if (!models_.count(m)) {
        if (!loader_.busy() || loader_.which() != models) loader_.start(dataset_, models);
        return;
      }
    const std::vector<float> x_T = standard_normal(2 * n_, 17);
    for (const std::string& m : models) {
      Run r;
      r.model = models_.at(m);
      r.label_key = m == "oracle" ? "sampling.exact" : "sampling.trained";
      SamplerConfig c = config_;
      c.steps = std::min(c.steps, r.model->schedule.T());
      r.sampler = std::make_unique<Sampler>(r.model->model(), c);
      r.sampler->begin(x_T, 23 + chain_draw_);  // the same noise for both
      runs_.push_back(std::move(r));
    }
  }

  std::vector<std::string> wanted_models() const {
    return compare_ ? std::vector<std::string>{"trained", "oracle"} : std::vector<std::string>{which_};
  }

  // Moves the view one step forward, computing the step if needed. False at the end.
  bool forward() {
    if (runs_.empty()) return false;
    Sampler& s = *runs_.front().sampler;
    if (view_ < s.steps_done()) return ++view_, true;
    if (s.done()) return false;
    for (Run& r : runs_) r.sampler->step();
    ++view_;
    return true;
  }

  static std::string format(const char* pattern, int value) {
    char text[160];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
  }

  // Says on screen whether the x̂₀ plot shows the network's own x̂₀ or the one the sampler clipped into the
  // data box (and which box): the sampler always clips, the lesson explains the unclipped one.
  std::string clip_note(LoadedModel& m) const {
    const DataBox& box = m.model().data_box();
    if (box.empty()) return tr("sampling.no_box");
    char text[300];
    std::snprintf(text, sizeof text, show_clipped_ ? tr("sampling.clip_on") : tr("sampling.clip_off"),
                  box.lo[0], box.hi[0], box.lo[1], box.hi[1]);
    return text;
  }

  void controls() {
    const float font = ImGui::GetFontSize();
    if (ImGui::Button("◀")) view_ = std::max(0, view_ - 1);
    ImGui::SameLine();
    if (ImGui::Button("▶")) forward();
    const char* play = playing_ ? tr_id("common.pause", "play") : tr_id("common.play", "play");
    same_line_if_fits(button_width(play));
    if (ImGui::Button(play)) playing_ = !playing_;
    same_line_if_fits(button_width(tr("common.restart")));
    if (ImGui::Button(tr_id("common.restart", "restart"))) {
      ++chain_draw_;  // the same x_T, new noise z (as R)
      restart();
    }
    // Every sampler of the table, labelled in the UI language (sample/sampler_table.h).
    const std::vector<SamplerInfo>& samplers = sampler_table();
    const SamplerInfo& chosen = sampler_info(config_.kind);
    const auto label = [](const SamplerInfo& info) {
      return ui_language() == UiLanguage::en ? info.label_en : info.label_es;
    };
    // As wide as the chosen sampler's name ("EDO de flujo, Heun" was cut to "EDO de flujo, Heu▼").
    const char* chosen_label = label(chosen);
    const float sampler_width = combo_width(&chosen_label, 1, font * 9);
    same_line_if_fits(labeled_width(sampler_width, tr("sampling.sampler")));
    ImGui::SetNextItemWidth(sampler_width);
    if (ImGui::BeginCombo(tr_id("sampling.sampler", "sampler"), label(chosen))) {
      for (const SamplerInfo& info : samplers) {
        if (ImGui::Selectable(label(info), info.kind == config_.kind) && info.kind != config_.kind) {
          config_.kind = info.kind;
          if (info.sigma_steps && config_.steps == 0) config_.steps = 18;  // σ-steps need a count
          restart();
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s — %s", info.paper_name, info.reference);
      }
      ImGui::EndCombo();
    }
    same_line_if_fits(labeled_width(font * 5, tr("sampling.steps")));
    ImGui::SetNextItemWidth(font * 5);
    if (ImGui::SliderInt(tr_id("sampling.steps", "steps"), &config_.steps, 0, 100)) restart();
    same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), tr("sampling.exact_beside")));
    if (ImGui::Checkbox(tr_id("sampling.exact_beside", "exact"), &compare_)) restart();
    same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), tr("sampling.clip")));
    ImGui::Checkbox(tr_id("sampling.clip", "clip"), &show_clipped_);
    if (ImGui::IsItemHovered()) scripted_tooltip(tr("sampling.clip_tip"));
    // A model trained from scratch replaces the shipped one: loaded in the background, the runs restart
    // when it arrives and the old ones play on meanwhile.
    if (train_from_scratch_button(dataset_, &scratch_generation_)) loader_.start(dataset_, wanted_models());
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows)) {
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) forward();
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) view_ = std::max(0, view_ - 1);
    }
  }

  // The top of the y range: 3.5, plus a band for a title drawn inside the area (compare view), so that the
  // points stay below the title's box (lesson 05's exact-beside slides: the 8 Gaussians' top modes sat under
  // "trained: xₜ"; at 1280 × 720 in Spanish the titles wrap to three lines). Not data: the area loses 0.4 em
  // above and, with x tick labels, about 1.9 em below, and 3.6 em left with y tick labels (plot.cpp's
  // margins); the title box is its wrapped text plus 3 px.
  static double top_limit(const std::string& title, ImVec2 frame, bool x_ticks, bool y_ticks, bool inside) {
    if (!inside) return 3.5;
    const float font = ImGui::GetFontSize();
    const float area = frame.y - font * (x_ticks ? 2.3f : 0.8f);
    const float width = frame.x - font * (y_ticks ? 3.6f : 0.8f) - 8;
    const std::string shown = title.substr(0, title.find("###"));
    const float band = plot::scripted_text_size(shown, std::max(width, font * 4)).y + 3 + font * 0.2f;
    return area > 2 * band ? 3.5 + 7.0 * band / (area - band) : 3.5;
  }

  // One y range for all four plots of the compare view: the highest top any of them needs (last frame's,
  // at least its own). Each plot's own top put the exact x̂₀ ring 0.6 lower than the trained one beside it
  // (lesson 05 s6 at 1280 × 720 in Spanish: the titles wrap to two lines on top, three below).
  double shared_top(const std::string& title, ImVec2 frame, bool x_ticks, bool y_ticks, bool inside) {
    const double own = top_limit(title, frame, x_ticks, y_ticks, inside);
    top_next_ = std::max(top_next_, own);
    return inside ? std::max(own, top_shown_) : own;
  }

  // The run's state xₜ (x₀ once done) with the paths of 24 points.
  void draw_state(Run& r, ImVec2 size, bool x_tick_labels, bool y_tick_labels, bool title_inside) {
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const auto& trajectory = r.sampler->trajectory();
    const int k = std::min<int>(view_, static_cast<int>(trajectory.size()) - 1);
    ImGui::PushID(r.label_key.c_str());
    const std::string name = tr(r.label_key.c_str());
    const int steps = static_cast<int>(r.sampler->timesteps().size());
    const std::string left = name + (k < steps ? ": xₜ" : ": x₀") + "###xt";
    const int flags =
        plot::kPlotEqualAspect | plot::kPlotNoLegend | (title_inside ? plot::kPlotTitleInside : 0);
    if (plot::begin_plot(left.c_str(), size, flags)) {
      plot::setup_axes(nullptr, nullptr, x_tick_labels ? plot::kAxisNone : plot::kAxisNoTicks,
                       y_tick_labels ? plot::kAxisNone : plot::kAxisNoTicks);
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5,
                              shared_top(left, size, x_tick_labels, y_tick_labels, title_inside));
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      // Trajectories of the first 24 points up to this step.
      std::vector<float> path;
      for (int p = 0; p < 24 && p < n_; ++p) {
        path.clear();
        for (int j = 0; j <= k; ++j)
          path.push_back(trajectory[j][2 * p]), path.push_back(trajectory[j][2 * p + 1]);
        plot::set_next_color(IM_COL32(90, 160, 255, 140));
        plot::set_next_size(1.2f);  // thinner than the default 2 px: 24 paths hid the points (lesson 05 s5)
        plot::plot_line(p == 0 ? tr_id("sampling.trajectories", "trajectories") : "##trajectory", path.data(),
                        path.data() + 1, k + 1, 8);
      }
      if (n_ <= 100) plot::set_next_size(5.0f);  // few points (the trajectories slide): each one visible
      plot::plot_scatter(k < steps ? "xₜ###state" : "x₀###state", trajectory[k].data(),
                         trajectory[k].data() + 1, n_, 8);
      plot::end_plot();
    }
    ImGui::PopID();
  }

  // The run's x̂₀ at the shown step (unclipped unless "show x̂₀ clipped"), with the data box when clipped.
  void draw_x0(Run& r, ImVec2 size, bool x_tick_labels, bool y_tick_labels, bool title_inside) {
    const std::vector<float>& data = data_points(dataset_, 1000, 0);
    const auto& trajectory = r.sampler->trajectory();
    const int k = std::min<int>(view_, static_cast<int>(trajectory.size()) - 1);
    ImGui::PushID(r.label_key.c_str());
    const std::string name = tr(r.label_key.c_str());
    const std::string right = name + ": x̂₀" + (show_clipped_ ? tr("sampling.clipped_suffix") : "") + "###x0";
    const int flags =
        plot::kPlotEqualAspect | plot::kPlotNoLegend | (title_inside ? plot::kPlotTitleInside : 0);
    if (plot::begin_plot(right.c_str(), size, flags)) {
      plot::setup_axes(nullptr, nullptr, x_tick_labels ? plot::kAxisNone : plot::kAxisNoTicks,
                       y_tick_labels ? plot::kAxisNone : plot::kAxisNoTicks);
      plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
      plot::setup_axis_limits(plot::Axis::Y, -3.5,
                              shared_top(right, size, x_tick_labels, y_tick_labels, title_inside));
      plot::set_next_color(IM_COL32(150, 150, 150, 80));
      plot::plot_scatter(tr_id("common.data", "data"), data.data(), data.data() + 1, 1000, 8);
      if (k >= 1) {
        const std::vector<float>* x0 = &r.sampler->x0_trajectory()[k - 1];
        if (!show_clipped_) {
          // x̂₀ of step k came from the state before it, at that step's t.
          if (r.x0_unclipped_step != k) {
            r.x0_unclipped = unclipped_x0(r.model->model(), trajectory[k - 1], r.sampler->timesteps()[k - 1]);
            r.x0_unclipped_step = k;
          }
          x0 = &r.x0_unclipped;
        }
        plot::set_next_color(plot::palette_color(1));
        if (n_ <= 100) plot::set_next_size(5.0f);
        plot::plot_scatter("x̂₀", x0->data(), x0->data() + 1, n_, 8);
        const DataBox& box = r.model->model().data_box();
        if (show_clipped_ && !box.empty()) {
          const float bx[] = {float(box.lo[0]), float(box.hi[0]), float(box.hi[0]), float(box.lo[0]),
                              float(box.lo[0])};
          const float by[] = {float(box.lo[1]), float(box.lo[1]), float(box.hi[1]), float(box.hi[1]),
                              float(box.lo[1])};
          plot::set_next_color(IM_COL32(240, 120, 90, 200));
          plot::set_next_size(1.0f);
          plot::plot_line(tr_id("sampling.box", "box"), bx, by, 5);
        }
      }
      plot::end_plot();
    }
    ImGui::PopID();
  }

  std::string dataset_, which_;
  bool compare_ = false, playing_ = false, show_clipped_ = false;
  double top_shown_ = 3.5, top_next_ = 3.5;  // the compare view's shared y top (shared_top)
  int n_ = 500, view_ = 0, scratch_generation_ = 0, chain_draw_ = 0;
  SamplerConfig config_;
  std::vector<Run> runs_;
  std::map<std::string, std::shared_ptr<LoadedModel>> models_;  // loaded, by "trained" / "oracle"
  ModelLoader loader_;
};

}  // namespace

std::unique_ptr<LivePanel> make_sampling_panel(const PanelDirective& d) {
  return std::make_unique<SamplingPanel>(d);
}

}  // namespace difflab::lecture
