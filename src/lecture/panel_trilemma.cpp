// panel_trilemma.cpp — the generative learning trilemma, live: a GAN, a VAE and a diffusion MLP train side
// by side on the same 2-D data, each on its own LiveRunner, with samples over the data and their scores
// (sliced W₂ and floor, modes covered, high-quality fraction, time per sample). Not the training
// (train/trilemma_run.h).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "train/trilemma_run.h"

namespace difflab::lecture {
namespace {

// A tr() format with its numbers (the tables' formats use %d for counts, %.Nf for measures).
template <typename... Args>
std::string format(const char* fmt, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

ImU32 model_colour(TrilemmaModel m) {
  switch (m) {
    case TrilemmaModel::Gan:
      return IM_COL32(240, 120, 90, 210);
    case TrilemmaModel::Vae:
      return IM_COL32(110, 170, 250, 210);
    default:
      return IM_COL32(120, 215, 130, 210);
  }
}

const char* model_title(TrilemmaModel m) {
  switch (m) {
    case TrilemmaModel::Gan:
      return tr("trilemma.gan");
    case TrilemmaModel::Vae:
      return tr("trilemma.vae");
    default:
      return tr("trilemma.diffusion");
  }
}

class TrilemmaPanel final : public LivePanel {
 public:
  explicit TrilemmaPanel(const PanelDirective& d) : dataset_(d.value("dataset")) {
    const auto& presets = dataset_presets();
    for (size_t i = 0; i < presets.size(); ++i)
      if (presets[i] == dataset_) dataset_index_ = static_cast<int>(i);
    playing_ = d.value("autoplay") != "false";
    const std::string gan = d.value("gan");
    gan_variant_ = gan == "spectral-norm" ? 1 : gan == "fast-d" ? 2 : 0;
    restart();
  }
  ~TrilemmaPanel() override { retire(); }

  void toggle_play() override { set_playing(!playing_); }
  bool playing() const override { return playing_; }
  std::string status() const override { return dataset_label(dataset_); }

  void draw() override {
    draw_controls();
    // The scatters are sized for the most lines a column shows (7: diffusion's three samplers), so they do
    // not jump when the first scores arrive; the caption follows the lines the longest column shows now (a
    // fixed 7 left an empty band above it while the columns still read "starting…" or one score, walk of 11
    // s2).
    std::vector<std::shared_ptr<const TrilemmaSnapshot>> snapshots;
    int lines_needed = 1;
    for (const auto& run : runs_) {
      snapshots.push_back(run->snapshot());
      lines_needed = std::max(lines_needed, text_lines(*snapshots.back()));
    }
    const float rows = static_cast<float>(lines_needed);
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    const float column = (avail.x - 2 * gap) / 3;
    constexpr float kMostRows = 7;
    const float side = std::max(
        40.0f, std::min(column, avail.y - caption_reserve() - line * (std::max(rows, kMostRows) + 1)));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    for (int k = 0; k < 3; ++k) {
      const ImVec2 corner(origin.x + k * (column + gap) + (column - side) / 2, origin.y + line);
      draw_column(*runs_[k], *snapshots[k], ImVec2(origin.x + k * (column + gap), origin.y), corner, column,
                  side);
    }
    ImGui::Dummy(ImVec2(avail.x, side + line * (rows + 1)));
    caption(tr("trilemma.caption"));
  }

 private:
  void set_playing(bool on) {
    playing_ = on;
    for (auto& r : runs_) on ? r->play() : r->pause();
  }

  // A run's destructor cancels its LiveRunner: it waits for one training or sampler step, not a scoring.
  void retire() { runs_.clear(); }

  void restart() {
    retire();
    TrilemmaRunConfig c;
    c.dataset = dataset_;
    c.gan_spectral_norm = gan_variant_ == 1;
    c.gan_fast_discriminator = gan_variant_ == 2;
    for (TrilemmaModel m : {TrilemmaModel::Gan, TrilemmaModel::Vae, TrilemmaModel::Diffusion})
      runs_.push_back(std::make_unique<TrilemmaRun>(m, c, playing_));
    data_ = data_points(dataset_, 2000, 3);
    extent_ = 1;
    for (float v : data_) extent_ = std::max(extent_, std::abs(v));
    extent_ *= 1.3f;
    set_playing(playing_);
  }

  void draw_controls() {
    const auto& presets = dataset_presets();
    std::vector<std::string> labels;
    for (const std::string& p : presets) labels.push_back(dataset_label(p));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    const std::string current = dataset_label(dataset_);
    if (ImGui::BeginCombo(tr_id("trilemma.dataset", "trilemma_dataset"), current.c_str())) {
      for (size_t i = 0; i < presets.size(); ++i)
        if (ImGui::Selectable(labels[i].c_str(), static_cast<int>(i) == dataset_index_)) {
          dataset_index_ = static_cast<int>(i);
          dataset_ = presets[i];
          restart();
        }
      ImGui::EndCombo();
    }
    const char* play =
        playing_ ? tr_id("trilemma.pause", "trilemma_play") : tr_id("trilemma.play", "trilemma_play");
    same_line_if_fits(button_width(play));
    if (ImGui::Button(play)) set_playing(!playing_);
    const char* again = tr_id("trilemma.restart", "trilemma_restart");
    same_line_if_fits(button_width(again));
    if (ImGui::Button(again)) restart();
    // The GAN's fix for its mode collapse: vanilla (the collapse-prone defaults), spectral norm on D, or a
    // discriminator as fast as the generator. Changing it restarts all three, so they stay comparable.
    const char* variants[] = {tr("trilemma.gan_vanilla"), tr("trilemma.gan_sn"), tr("trilemma.gan_fast_d")};
    const char* label = tr_id("trilemma.gan_variant", "trilemma_gan");
    const float combo = ImGui::GetFontSize() * 13;
    same_line_if_fits(combo + ImGui::CalcTextSize(label).x + ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(combo);
    if (ImGui::BeginCombo(label, variants[gan_variant_])) {
      for (int i = 0; i < 3; ++i)
        if (ImGui::Selectable(variants[i], i == gan_variant_) && i != gan_variant_) {
          gan_variant_ = i;
          restart();
        }
      ImGui::EndCombo();
    }
  }

  // The text lines draw_column writes under a column's scatter.
  static int text_lines(const TrilemmaSnapshot& s) {
    if (!s.evaluated) return 1;
    return 2 + (s.scores.front().score.has_modes ? 2 : 1) + static_cast<int>(s.scores.size()) +
           (s.diverged ? 1 : 0);
  }

  void draw_column(const TrilemmaRun& run, const TrilemmaSnapshot& snapshot, ImVec2 top, ImVec2 corner,
                   float column, float side) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const TrilemmaSnapshot* s = &snapshot;
    dl->AddText(ImVec2(top.x + 4, top.y), model_colour(run.model()), model_title(run.model()));
    dl->PushClipRect(corner, ImVec2(corner.x + side, corner.y + side), true);
    dl->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side), IM_COL32(14, 14, 20, 255), 4.0f);
    const float scale = side / (2 * extent_);
    const ImVec2 centre(corner.x + side / 2, corner.y + side / 2);
    auto dots = [&](const std::vector<float>& xy, ImU32 colour, float r) {
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        if (!std::isfinite(xy[i]) || !std::isfinite(xy[i + 1])) continue;
        const ImVec2 p(centre.x + xy[i] * scale, centre.y - xy[i + 1] * scale);
        dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), colour);
      }
    };
    const float r = std::max(1.0f, side / 320.0f);
    dots(data_, IM_COL32(150, 150, 160, 70), r * 1.6f);
    dots(s->samples, model_colour(run.model()), r);
    dl->PopClipRect();
    float y = corner.y + side + 4;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    // A line wider than the column is drawn with a smaller font (down to 70 %), then clipped.
    auto text = [&](const std::string& t, ImU32 colour = IM_COL32(225, 225, 232, 255)) {
      const float width = ImGui::CalcTextSize(t.c_str()).x, room = column - 8;
      const float size = ImGui::GetFontSize() * (width > room ? std::max(0.7f, room / width) : 1.0f);
      dl->PushClipRect(ImVec2(top.x, y), ImVec2(top.x + column, y + line), true);
      dl->AddText(ImGui::GetFont(), size, ImVec2(top.x + 4, y + (ImGui::GetFontSize() - size) / 2), colour,
                  t.c_str());
      dl->PopClipRect();
      y += line;
    };
    if (!s->evaluated) {
      text(tr("trilemma.starting"));
      return;
    }
    text(format(tr("trilemma.step"), s->step, s->train_seconds));
    const TrilemmaScore& first = s->scores.front();
    text(format(tr("trilemma.swd"), first.score.swd, first.score.swd_floor));
    if (first.score.has_modes) {
      text(format(tr("trilemma.modes"), first.score.coverage.modes_covered, first.score.coverage.modes));
      text(format(tr("trilemma.hq"), 100 * first.score.coverage.high_quality_fraction));
    } else {
      text(tr("trilemma.no_modes"));
    }
    for (const TrilemmaScore& sc : s->scores) {
      std::string t = format(tr("trilemma.time"), sc.nfe, sc.ms_per_sample);
      if (s->scores.size() > 1 && sc.score.has_modes)
        t += format(tr("trilemma.steps_quality"), sc.score.coverage.modes_covered,
                    100 * sc.score.coverage.high_quality_fraction);
      // A score kept from an earlier evaluation (DDPM with all T steps is scored every other time) is dimmer.
      text(t, sc.step == s->step ? IM_COL32(200, 200, 210, 255) : IM_COL32(150, 150, 160, 255));
    }
    if (s->diverged) text(tr("trilemma.diverged"), IM_COL32(250, 160, 90, 255));
  }

  std::string dataset_;
  int dataset_index_ = 0;
  int gan_variant_ = 0;  // 0 vanilla, 1 spectral norm, 2 fast discriminator
  bool playing_ = true;
  std::vector<std::unique_ptr<TrilemmaRun>> runs_;
  std::vector<float> data_;
  float extent_ = 3;
};

}  // namespace

std::unique_ptr<LivePanel> make_trilemma_panel(const PanelDirective& d) {
  return std::make_unique<TrilemmaPanel>(d);
}

}  // namespace difflab::lecture
