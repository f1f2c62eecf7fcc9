// panel_flow.cpp — flow matching and rectified flow in 2-D (lesson 16): the exact flow's curved paths, a flow
// and two Reflow rounds from the same noise with their straightness, sliced W₂ at 1, 2, 4 and 8 steps against
// DDIM, and a diffusion model read as a velocity next to DDPM. Cold from checkpoints/2d/flow-*.ckpt; "Train
// live" trains the three rounds on a worker. Not the computation (train/flow_run.h).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "train/flow_run.h"

namespace difflab::lecture {
namespace {

template <typename... Args>
std::string format(const char* fmt, Args... args) {
  char buf[320];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

enum class View { Exact, Reflow, Steps, Equivalence };
constexpr const char* kViewNames[] = {"exact", "reflow", "steps", "equivalence"};

// One coloured series: the exact flow, the three flows, the diffusion model (DDIM / read as a velocity).
const ImU32 kExactColour = IM_COL32(235, 220, 120, 230), kDiffusionColour = IM_COL32(190, 130, 245, 230),
            kDdpmColour = IM_COL32(150, 150, 250, 200);
const ImU32 kFlowColours[3] = {IM_COL32(245, 150, 70, 230), IM_COL32(110, 215, 120, 230),
                               IM_COL32(90, 200, 235, 230)};
const char* flow_title(int k) {
  return k == 0 ? tr("flow.flow") : k == 1 ? tr("flow.reflow1") : tr("flow.reflow2");
}

// base → hot with f ∈ [0, 1].
ImU32 mix(ImU32 base, float f) {
  const ImVec4 a = ImGui::ColorConvertU32ToFloat4(base);
  const ImVec4 hot(1.0f, 0.25f, 0.2f, a.w);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(a.x + (hot.x - a.x) * f, a.y + (hot.y - a.y) * f, a.z + (hot.z - a.z) * f, a.w));
}

class FlowPanel final : public LivePanel {
 public:
  explicit FlowPanel(const PanelDirective& d) : dataset_(d.value("dataset")) {
    const std::string v = d.value("view");
    for (int i = 0; i < 4; ++i)
      if (v == kViewNames[i]) view_ = static_cast<View>(i);
    start(false);
  }

  void toggle_play() override {
    if (!run_) return;
    run_->playing() ? run_->pause() : run_->play();
  }
  bool playing() const override { return run_ && run_->playing(); }
  std::string status() const override { return dataset_label(dataset_); }

  void draw() override {
    const std::shared_ptr<const FlowRunSnapshot> s = snapshot();
    draw_controls(*s);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float height = std::max(60.0f, avail.y - caption_reserve());
    if (!s->error.empty()) {
      ImGui::TextWrapped("%s", s->error.c_str());
    } else if (s->data.empty()) {
      ImGui::TextUnformatted(tr("flow.loading"));
      ImGui::Dummy(ImVec2(avail.x, height - line));
    } else if (view_ == View::Steps) {
      draw_steps(*s, avail.x, height);
    } else {
      draw_squares(*s, avail.x, height);
    }
    const char* captions[] = {"flow.caption_exact", "flow.caption_reflow", "flow.caption_steps",
                              "flow.caption_equivalence"};
    caption(tr(captions[static_cast<int>(view_)]));
  }

 private:
  void start(bool live) {
    FlowRunConfig c;
    c.dataset = dataset_;
    if (!live) {
      const std::string base = "2d/flow-" + dataset_;
      const std::vector<std::string> files = {checkpoint_path(base + ".ckpt"),
                                              checkpoint_path(base + "-reflow1.ckpt"),
                                              checkpoint_path(base + "-reflow2.ckpt")};
      bool all = true;
      for (const std::string& f : files) all = all && std::filesystem::exists(f);
      if (all) c.flow_checkpoints = files;
    }
    const std::string diffusion = checkpoint_path_2d(dataset_);
    if (std::filesystem::exists(diffusion)) c.diffusion_checkpoint = diffusion;
    run_.reset();  // the old run's worker stops first (it waits for one step)
    // The shipped models' measurements are the same on every slide: measured once per data set.
    cold_ = !c.flow_checkpoints.empty();
    if (cold_ && cold_cache().count(dataset_)) return;
    // A cold run still measuring for another panel (the slide before) is shared, not started again.
    if (cold_)
      if (std::shared_ptr<FlowRun> running = cold_runs()[dataset_].lock()) {
        run_ = std::move(running);
        return;
      }
    run_ = std::make_shared<FlowRun>(c, live || c.flow_checkpoints.empty());
    if (cold_) cold_runs()[dataset_] = run_;
  }

  static std::map<std::string, std::weak_ptr<FlowRun>>& cold_runs() {
    static std::map<std::string, std::weak_ptr<FlowRun>> runs;  // UI thread only
    return runs;
  }

  static std::map<std::string, std::shared_ptr<const FlowRunSnapshot>>& cold_cache() {
    static std::map<std::string, std::shared_ptr<const FlowRunSnapshot>> cache;  // UI thread only
    return cache;
  }

  std::shared_ptr<const FlowRunSnapshot> snapshot() {
    if (!run_) return cold_cache().at(dataset_);
    std::shared_ptr<const FlowRunSnapshot> s = run_->snapshot();
    if (cold_ && s->stage == FlowRunSnapshot::Stage::Done && s->error.empty()) cold_cache()[dataset_] = s;
    return s;
  }

  void draw_controls(const FlowRunSnapshot& s) {
    const char* views[] = {tr("flow.view_exact"), tr("flow.view_reflow"), tr("flow.view_steps"),
                           tr("flow.view_equivalence")};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    int v = static_cast<int>(view_);
    if (ImGui::Combo(tr_id("flow.view", "flow_view"), &v, views, 4)) view_ = static_cast<View>(v);
    const char* train = tr_id("flow.train", "flow_train");
    same_line_if_fits(button_width(train));
    if (ImGui::Button(train)) start(true);
    if (s.live && s.stage != FlowRunSnapshot::Stage::Done) {
      const char* play = playing() ? tr_id("flow.pause", "flow_play") : tr_id("flow.play", "flow_play");
      same_line_if_fits(button_width(play));
      if (ImGui::Button(play)) toggle_play();
    }
    std::string status;
    if (s.stage == FlowRunSnapshot::Stage::Loading)
      status = tr("flow.loading");
    else if (!s.live)
      status = tr("flow.shipped");
    else if (s.stage == FlowRunSnapshot::Stage::Training)
      status = format(tr("flow.training"), flow_title(s.round), s.step, run_steps_, s.train_seconds);
    else if (s.stage == FlowRunSnapshot::Stage::Coupling)
      status = format(tr("flow.coupling"), flow_title(s.round));
    else
      status = format(tr("flow.done_live"), s.train_seconds);
    same_line_if_fits(ImGui::CalcTextSize(status.c_str()).x);
    ImGui::TextUnformatted(status.c_str());
  }

  struct Square {
    const char* title;
    ImU32 colour;
    const std::vector<std::vector<float>>* states;
    std::string note;
    bool curvature;  // colour segments by how far they turn from the path's chord
    size_t max_paths = 1000;
  };

  void draw_squares(const FlowRunSnapshot& s, float width, float height) {
    std::vector<Square> squares;
    auto straight = [](const FlowCurve& c) {
      return c.ready ? format(tr("flow.straightness"), c.straightness) : std::string(tr("flow.waiting"));
    };
    if (view_ == View::Exact) {
      if (s.has_exact)
        squares.push_back({tr("flow.exact"), kExactColour, &s.exact.states, straight(s.exact), true});
      squares.push_back({tr("flow.flow"), kFlowColours[0], &s.flows[0].states, straight(s.flows[0]), true});
    } else if (view_ == View::Reflow) {
      for (int k = 0; k < 3; ++k)
        squares.push_back({flow_title(k), kFlowColours[k], &s.flows[k].states, straight(s.flows[k]), true});
    } else {
      if (s.has_diffusion) {
        squares.push_back({tr("flow.ddpm"), kDdpmColour, &s.ddpm, tr("flow.ddpm_note"), false, 8});
        squares.push_back({tr("flow.diffusion_velocity"), kDiffusionColour, &s.diffusion.states,
                           straight(s.diffusion), true});
      }
      squares.push_back({tr("flow.flow"), kFlowColours[0], &s.flows[0].states, straight(s.flows[0]), true});
    }
    float extent = 1;
    for (float v : s.data) extent = std::max(extent, std::abs(v));
    if (!s.flows[0].states.empty() || !s.exact.states.empty()) {
      const auto& first = s.exact.states.empty() ? s.flows[0].states : s.exact.states;
      for (float v : first.front()) extent = std::max(extent, std::abs(v));
    }
    extent *= 1.08f;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const int n = static_cast<int>(squares.size());
    const float column = (width - (n - 1) * gap) / n;
    const float side = std::max(40.0f, std::min(column, height - 2.5f * line));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int k = 0; k < n; ++k) {
      const Square& q = squares[k];
      const float left = origin.x + k * (column + gap);
      const ImVec2 corner(left + (column - side) / 2, origin.y + line);
      // The title over its square, inside its column: a long one ("difusión como velocidad" at 1280×720
      // presenter) starts further left, and shrinks (to 75 %) before it would run into the next title.
      const float title_w = ImGui::CalcTextSize(q.title).x;
      const float title_scale = title_w > column ? std::max(0.75f, column / title_w) : 1.0f;
      const float title_x = std::max(left, std::min(corner.x, left + column - title_w * title_scale));
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * title_scale, ImVec2(title_x, origin.y), q.colour,
                  q.title);
      dl->PushClipRect(corner, ImVec2(corner.x + side, corner.y + side), true);
      dl->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side), IM_COL32(14, 14, 20, 255), 4.0f);
      const float scale = side / (2 * extent);
      const ImVec2 centre(corner.x + side / 2, corner.y + side / 2);
      auto at = [&](float x, float y) { return ImVec2(centre.x + x * scale, centre.y - y * scale); };
      const float r = std::max(1.0f, side / 300.0f);
      for (size_t i = 0; i + 1 < s.data.size(); i += 2) {
        const ImVec2 p = at(s.data[i], s.data[i + 1]);
        dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), IM_COL32(150, 150, 160, 60));
      }
      draw_paths(dl, *q.states, q.colour, q.curvature, q.max_paths, at, r);
      dl->PopClipRect();
      const float width_note = ImGui::CalcTextSize(q.note.c_str()).x;
      dl->AddText(ImVec2(corner.x + std::max(0.0f, (side - width_note) / 2), corner.y + side + 4),
                  IM_COL32(225, 225, 232, 255), q.note.c_str());
    }
    ImGui::Dummy(ImVec2(width, side + 2.5f * line));
  }

  // Paths from their noise (white dots) to their ends (coloured dots); with `curvature`, each segment turns
  // hot as its direction leaves the path's chord (30° and more: fully hot), and the chord is drawn faintly.
  template <typename At>
  static void draw_paths(ImDrawList* dl, const std::vector<std::vector<float>>& states, ImU32 colour,
                         bool curvature, size_t max_paths, At at, float r) {
    if (states.size() < 2) return;
    const size_t points = std::min(max_paths, states.front().size() / 2);
    for (size_t p = 0; p < points; ++p) {
      const float x1 = states.front()[2 * p], y1 = states.front()[2 * p + 1];
      const float x0 = states.back()[2 * p], y0 = states.back()[2 * p + 1];
      const float cx = x0 - x1, cy = y0 - y1, cl = std::hypot(cx, cy);
      if (curvature) dl->AddLine(at(x1, y1), at(x0, y0), IM_COL32(200, 200, 210, 45), 1.0f);
      for (size_t k = 0; k + 1 < states.size(); ++k) {
        const float ax = states[k][2 * p], ay = states[k][2 * p + 1];
        const float bx = states[k + 1][2 * p], by = states[k + 1][2 * p + 1];
        if (!std::isfinite(ax + ay + bx + by)) continue;
        float f = 0;
        if (curvature) {
          const float sx = bx - ax, sy = by - ay, sl = std::hypot(sx, sy);
          if (sl > 1e-6f && cl > 1e-6f) {
            const float cosine = std::clamp((sx * cx + sy * cy) / (sl * cl), -1.0f, 1.0f);
            f = std::min(1.0f, std::acos(cosine) / 0.5236f);
          }
        }
        dl->AddLine(at(ax, ay), at(bx, by), mix(colour, f), 1.4f);
      }
      const ImVec2 start = at(x1, y1), end = at(x0, y0);
      dl->AddCircleFilled(start, r * 1.5f, IM_COL32(240, 240, 245, 200));
      dl->AddCircleFilled(end, r * 2.0f, colour);
    }
  }

  void draw_steps(const FlowRunSnapshot& s, float width, float height) {
    struct Row {
      const char* name;
      ImU32 colour;
      const FlowCurve* curve;
    };
    std::vector<Row> rows;
    if (s.has_exact) rows.push_back({tr("flow.exact"), kExactColour, &s.exact});
    for (int k = 0; k < 3; ++k) rows.push_back({flow_title(k), kFlowColours[k], &s.flows[k]});
    if (s.has_diffusion) rows.push_back({tr("flow.ddim"), kDiffusionColour, &s.diffusion});
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float table_height = line * (rows.size() + 2.5f);
    // The table: sliced W₂ at each budget.
    if (ImGui::BeginTable("flow_steps_table", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame,
                          ImVec2(std::min(width, ImGui::GetFontSize() * 34), 0))) {
      ImGui::TableSetupColumn(tr("flow.w2_header"));
      for (int b : kFlowStepBudgets) ImGui::TableSetupColumn(format(tr("flow.steps_header"), b).c_str());
      ImGui::TableHeadersRow();
      for (const Row& row : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(row.colour), "%s", row.name);
        for (int k = 0; k < 4; ++k) {
          ImGui::TableSetColumnIndex(k + 1);
          if (row.curve->ready || row.curve == &s.diffusion)
            ImGui::Text("%.3f", row.curve->w2[k]);
          else
            ImGui::TextUnformatted("—");
        }
      }
      ImGui::EndTable();
    }
    ImGui::TextUnformatted(format(tr("flow.floor"), s.floor).c_str());
    // The same numbers as bars: one group per budget, one bar per row; the floor as a line.
    const float plot_h = std::max(60.0f, height - table_height - line);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(o, ImVec2(o.x + width, o.y + plot_h), IM_COL32(14, 14, 20, 255), 4.0f);
    double top = 4 * s.floor;
    for (const Row& row : rows)
      for (double w : row.curve->w2) top = std::max(top, w);
    top *= 1.1;
    const float base = o.y + plot_h - line * 1.3f, usable = base - (o.y + line * 0.5f);
    const float group = width / 4, bar = group * 0.8f / std::max<size_t>(1, rows.size());
    for (int b = 0; b < 4; ++b) {
      const float gx = o.x + b * group + group * 0.1f;
      for (size_t r = 0; r < rows.size(); ++r) {
        const double w = rows[r].curve->w2[b];
        const float h = static_cast<float>(w / top) * usable;
        dl->AddRectFilled(ImVec2(gx + r * bar + 1, base - h), ImVec2(gx + (r + 1) * bar - 1, base),
                          rows[r].colour);
      }
      const std::string label = format(tr("flow.steps_header"), kFlowStepBudgets[b]);
      const float lw = ImGui::CalcTextSize(label.c_str()).x;
      dl->AddText(ImVec2(o.x + b * group + (group - lw) / 2, base + 2), IM_COL32(220, 220, 228, 255),
                  label.c_str());
    }
    const float fy = base - static_cast<float>(s.floor / top) * usable;
    dl->AddLine(ImVec2(o.x, fy), ImVec2(o.x + width, fy), IM_COL32(240, 240, 245, 160), 1.0f);
    ImGui::Dummy(ImVec2(width, plot_h));
  }

  std::string dataset_;
  View view_ = View::Exact;
  int run_steps_ = FlowRunConfig{}.train_steps;
  std::shared_ptr<FlowRun> run_;  // null: the cached measurements of the shipped models
  bool cold_ = false;
};

}  // namespace

std::unique_ptr<LivePanel> make_flow_panel(const PanelDirective& d) {
  return std::make_unique<FlowPanel>(d);
}

}  // namespace difflab::lecture
