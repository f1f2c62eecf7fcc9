// panel_hero.cpp — the welcome slide's hero: thousands of points flowing from Gaussian noise to a 2-D data
// set under the shipped model (DDIM), in a loop, each point coloured by where it lands. Not a teaching panel:
// no controls and no axes, made to read from the back of a room; the sampling panel (lesson 05) explains it.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "sample/sampler.h"

namespace difflab::lecture {
namespace {

// One loop: the states from x_T to x₀ and the colour of every point.
struct Flow {
  std::string dataset;
  std::vector<std::vector<float>> frames;  // frames[k] = n × 2 after k DDIM steps; frames[0] = x_T
  std::vector<int> timesteps;              // t of each step
  std::vector<ImU32> colours;              // per point
  float extent = 3;                        // half-width of the square drawn, in data units
};

// The loop's timeline, in seconds.
constexpr double kHoldNoise = 1.0, kFlowTime = 5.0, kHoldData = 3.0, kFadeTime = 0.7;
constexpr double kLoop = kHoldNoise + kFlowTime + kHoldData;

// The data sets of the tour, one per loop: shapes that look unlike noise and unlike each other.
const std::vector<std::string>& tour() {
  static const std::vector<std::string> names = {"swiss-roll", "8gaussians", "spirals", "moons", "rings"};
  return names;
}

Flow compute_flow(const std::string& dataset, int n, int steps, uint64_t seed) {
  Flow flow;
  flow.dataset = dataset;
  std::unique_ptr<LoadedModel> model = load_panel_model("trained", dataset);
  SamplerConfig config;
  config.kind = SamplerKind::Ddim;
  config.eta = 0;  // deterministic: each point follows one smooth path
  config.steps = std::min(steps, model->schedule.T());
  config.spacing = Spacing::Trailing;  // the first step starts at t = T − 1: pure noise
  Sampler sampler(model->model(), config);
  sampler.begin(standard_normal(2 * n, seed), seed + 1);
  sampler.run();
  flow.frames = sampler.trajectory();
  flow.timesteps = sampler.timesteps();
  // Colour by the angle of the landing point around the data's centre: neighbours on the data get
  // neighbouring hues, so the shape is visible in the noise before it forms.
  const std::vector<float>& last = flow.frames.back();
  double cx = 0, cy = 0;
  for (int i = 0; i < n; ++i) cx += last[2 * i], cy += last[2 * i + 1];
  cx /= n, cy /= n;
  std::vector<float> radius(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double dx = last[2 * i] - cx, dy = last[2 * i + 1] - cy;
    const float hue = static_cast<float>(std::atan2(dy, dx) / (2 * M_PI) + 0.5);
    float r = 0, g = 0, b = 0;
    ImGui::ColorConvertHSVtoRGB(hue, 0.62f, 1.0f, r, g, b);
    flow.colours.push_back(ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 0.85f)));
    radius[static_cast<size_t>(i)] =
        static_cast<float>(std::max(std::abs(last[2 * i]), std::abs(last[2 * i + 1])));
  }
  // The square shows 99 % of the landed points and the bulk of the noise (|x| < 3).
  std::nth_element(radius.begin(), radius.begin() + n * 99 / 100, radius.end());
  flow.extent = std::max(3.0f, radius[static_cast<size_t>(n * 99 / 100)] * 1.12f);
  return flow;
}

// tr() text with its one "{}" replaced by value.
std::string with_value(const char* text, const std::string& value) {
  std::string s = text;
  const size_t at = s.find("{}");
  return at == std::string::npos ? s : s.replace(at, 2, value);
}

float smoothstep(float x) {
  x = std::clamp(x, 0.0f, 1.0f);
  return x * x * (3 - 2 * x);
}

class HeroPanel final : public LivePanel {
 public:
  explicit HeroPanel(const PanelDirective& d) : dataset_(d.value("dataset")) {
    n_ = std::stoi(d.value("n"));
    steps_ = std::stoi(d.value("steps"));
    noise_ = standard_normal(2 * n_, 5);  // shown while the first loop is computed
    start_next();
  }

  void toggle_play() override { playing_ = !playing_; }
  void step_once() override {
    playing_ = false;
    clock_ += 0.25;
  }
  bool playing() const override { return playing_; }
  std::string status() const override { return current_ ? current_->dataset : ""; }

  void draw() override {
    if (next_.poll() && next_.value()) {
      if (!current_) {
        current_ = *next_.value();
        clock_ = 0;
        start_next();  // compute the following loop while this one plays
      } else {
        pending_ = *next_.value();
      }
    }
    if (!next_.error().empty() && !current_) {
      ImGui::TextWrapped("%s", next_.error().c_str());
      return;
    }
    if (playing_ && current_) clock_ += std::min(0.1, static_cast<double>(ImGui::GetIO().DeltaTime));
    if (!pending_ && clock_ > kLoop - kFadeTime) clock_ = kLoop - kFadeTime;  // next loop late: hold the data
    if (pending_ && clock_ >= kLoop) {
      current_ = std::move(pending_);
      pending_.reset();
      clock_ -= kLoop;
      start_next();
    }

    const float caption_height = ImGui::GetTextLineHeightWithSpacing() * 2.6f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float side = std::max(40.0f, std::min(avail.x, avail.y - caption_height));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 corner(origin.x + (avail.x - side) * 0.5f, origin.y);
    ImGui::InvisibleButton("##hero", ImVec2(avail.x, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(corner, ImVec2(corner.x + side, corner.y + side), true);
    dl->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side), IM_COL32(12, 12, 18, 255), 6.0f);
    if (current_)
      draw_flow(dl, corner, side);
    else
      draw_points(dl, corner, side, noise_, nullptr, 3.0f, 1.0f);
    dl->PopClipRect();
    draw_caption(corner, side);
    // A later loop that failed says why (the panel holds the last data set meanwhile).
    if (!next_.error().empty() && current_) error_note(next_.error());
  }

 private:
  void start_next() {
    const std::string dataset =
        dataset_ == "tour" ? tour()[static_cast<size_t>(loops_ % tour().size())] : dataset_;
    const int n = n_, steps = steps_;
    const uint64_t seed = 100 + static_cast<uint64_t>(loops_);
    ++loops_;
    next_.start([dataset, n, steps, seed] { return compute_flow(dataset, n, steps, seed); });
  }

  // The state at the current time: frames blended at a fractional step, eased so the shape forms gently.
  void draw_flow(ImDrawList* dl, ImVec2 corner, float side) {
    const Flow& f = *current_;
    const int last = static_cast<int>(f.frames.size()) - 1;
    const double flow_time = std::clamp(clock_ - kHoldNoise, 0.0, kFlowTime);
    const float position = smoothstep(static_cast<float>(flow_time / kFlowTime)) * static_cast<float>(last);
    const int k = std::min(static_cast<int>(position), std::max(0, last - 1));
    const float u = std::clamp(position - static_cast<float>(k), 0.0f, 1.0f);
    blended_.resize(f.frames[0].size());
    for (size_t i = 0; i < blended_.size(); ++i)
      blended_[i] = (1 - u) * f.frames[static_cast<size_t>(k)][i] +
                    u * f.frames[static_cast<size_t>(std::min(k + 1, last))][i];
    // Fade out at the end of the loop into the next one's noise.
    const double to_end = kLoop - clock_;
    const float alpha = to_end < kFadeTime ? static_cast<float>(std::max(0.0, to_end / kFadeTime)) : 1.0f;
    const float fade_in = clock_ < kFadeTime ? static_cast<float>(clock_ / kFadeTime) : 1.0f;
    draw_points(dl, corner, side, blended_, &f.colours, f.extent, std::min(alpha, fade_in));
    t_shown_ = position >= static_cast<float>(last) ? -1 : f.timesteps[static_cast<size_t>(k)];
  }

  void draw_points(ImDrawList* dl, ImVec2 corner, float side, const std::vector<float>& xy,
                   const std::vector<ImU32>* colours, float extent, float alpha) {
    const float scale = side / (2 * extent);
    const float r = std::max(1.2f, side / 420.0f);
    const ImVec2 centre(corner.x + side * 0.5f, corner.y + side * 0.5f);
    const size_t n = xy.size() / 2;
    for (size_t i = 0; i < n; ++i) {
      ImU32 c = colours ? (*colours)[i] : IM_COL32(200, 200, 210, 200);
      const ImU32 a = static_cast<ImU32>(static_cast<float>((c >> IM_COL32_A_SHIFT) & 0xFF) * alpha);
      c = (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
      const ImVec2 p(centre.x + xy[2 * i] * scale, centre.y - xy[2 * i + 1] * scale);
      dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), c, r);
    }
  }

  void draw_caption(ImVec2 corner, float side) {
    // The step in the plot's corner, large enough for the back row; the sentence under the plot.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string step = !current_       ? std::string(tr("shell.hero_loading"))
                             : t_shown_ >= 0 ? with_value(tr("shell.hero_step"), std::to_string(t_shown_))
                                             : std::string("t = 0 → x₀");
    dl->AddText(ImVec2(corner.x + 12, corner.y + 8), IM_COL32(235, 235, 240, 230), step.c_str());
    if (current_) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s",
                          with_value(tr("shell.hero_caption"), dataset_label(current_->dataset)).c_str());
      ImGui::PopTextWrapPos();
    }
    (void)side;
  }

  std::string dataset_;
  int n_ = 4000, steps_ = 60, loops_ = 0, t_shown_ = -1;
  bool playing_ = true;  // the hero runs from the first frame
  double clock_ = 0;
  std::vector<float> noise_, blended_;
  Async<Flow> next_;
  std::optional<Flow> current_, pending_;
};

}  // namespace

std::unique_ptr<LivePanel> make_hero_panel(const PanelDirective& d) {
  return std::make_unique<HeroPanel>(d);
}

}  // namespace difflab::lecture
