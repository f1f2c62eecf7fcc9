// panel_clip.cpp — CLIP in miniature, live: the similarity matrix of ten test images (one per class) against
// the ten class prompts sharpening into a diagonal as the encoders train, the zero-shot accuracy, the loss,
// the learned temperature, and the nearest captions of an image the student picks. Starts from the shipped
// checkpoint (loaded cold, on the run's worker) or from scratch. Not the training (train/clip_run.h).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "data/captions.h"
#include "lecture/panel_clip_layout.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/colormap.h"
#include "train/clip_run.h"

namespace difflab::lecture {
namespace {

template <typename... Args>
std::string format(const char* fmt, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

double dot(const float* a, const float* b, int d) {
  double s = 0;
  for (int k = 0; k < d; ++k) s += static_cast<double>(a[k]) * b[k];
  return s;
}

// A 28×28 image in [−1, 1] as grey squares.
// Draws `t` at `at` within `width`: shrunk down to 80 % of the font if that makes it fit, else wrapped at
// 80 %. Returns the height it took (one line, or as many as the wrap needs).
float fitted_text(ImDrawList* dl, ImVec2 at, float width, const std::string& t, ImU32 colour) {
  const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
  const float w = ImGui::CalcTextSize(t.c_str()).x;
  const float scale = w > width ? std::max(0.8f, width / w) : 1.0f;
  if (w * scale <= width + 0.5f) {
    dl->AddText(ImGui::GetFont(), font * scale, at, colour, t.c_str());
    return line;
  }
  const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(font * scale, FLT_MAX, width, t.c_str());
  dl->AddText(ImGui::GetFont(), font * scale, at, colour, t.c_str(), nullptr, width);
  return size.y + (line - font) * scale;
}

void draw_image(ImDrawList* dl, const float* pixels, int h, int w, ImVec2 corner, float side) {
  const float cell = side / static_cast<float>(std::max(h, w));
  dl->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side), IM_COL32(0, 0, 0, 255));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float v = pixels[y * w + x];
      if (v <= -0.98f) continue;
      const int g = static_cast<int>(std::clamp((v + 1) * 127.5f, 0.0f, 255.0f));
      const ImVec2 a(corner.x + x * cell, corner.y + y * cell);
      dl->AddRectFilled(a, ImVec2(a.x + cell + 0.5f, a.y + cell + 0.5f), IM_COL32(g, g, g, 255));
    }
}

class ClipPanel final : public LivePanel {
 public:
  explicit ClipPanel(const PanelDirective& d) {
    shipped_ = d.value("start") != "scratch";
    playing_ = d.value("autoplay") == "true";
    picked_ = std::atoi(d.value("image").c_str());
    restart();
  }

  void toggle_play() override { set_playing(!playing_); }
  void step_once() override {
    playing_ = false;
    run_->step_once();
  }
  bool playing() const override { return playing_; }
  std::string status() const override { return tr("clip.status"); }

  void draw() override {
    const std::shared_ptr<const ClipRunSnapshot> s = run_->snapshot();
    playing_ = run_->playing();
    draw_controls();
    if (!s->error.empty()) {
      ImGui::TextWrapped("%s", format(tr("clip.error"), s->error.c_str()).c_str());
      return;
    }
    if (!s->ready || !s->eval) {
      busy_note(shipped_ ? tr("clip.loading") : tr("clip.starting"));
      return;
    }
    const ClipEval& e = *s->eval;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float height = std::max(120.0f, avail.y - caption_reserve());
    // The matrix is 11 cells wide (thumbnails + 10 prompts) and 11 tall (10 rows + heads and its note).
    const float left_width = std::min(avail.x * 0.58f, (height - line * 4.3f) * 11 / 10);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    draw_matrix(*s, e, origin, left_width);
    const float gap = ImGui::GetFontSize();
    draw_side(*s, e, ImVec2(origin.x + left_width + gap, origin.y), avail.x - left_width - gap, height);
    ImGui::SetCursorScreenPos(origin);  // draw_side placed its slider lower down: the block starts here
    ImGui::Dummy(ImVec2(avail.x, height));
    caption(tr("clip.caption"));
  }

 private:
  void set_playing(bool on) {
    playing_ = on;
    on ? run_->play() : run_->pause();
  }

  void restart() {
    run_.reset();
    ClipRunConfig c;
    c.shipped = shipped_;
    run_ = std::make_unique<ClipRun>(c, playing_);
  }

  void draw_controls() {
    const char* play = playing_ ? tr_id("clip.pause", "clip_play") : tr_id("clip.play", "clip_play");
    if (ImGui::Button(play)) set_playing(!playing_);
    const char* items[] = {tr("clip.from_shipped"), tr("clip.from_scratch")};
    const char* label = tr_id("clip.start", "clip_start");
    const float combo = combo_width(items, 2, ImGui::GetFontSize() * 8);
    same_line_if_fits(labeled_width(combo, label));
    ImGui::SetNextItemWidth(combo);
    int current = shipped_ ? 0 : 1;
    if (ImGui::Combo(label, &current, items, 2) && (current == 0) != shipped_) {
      shipped_ = current == 0;
      restart();
    }
    const char* again = tr_id("clip.restart", "clip_restart");
    same_line_if_fits(button_width(again));
    if (ImGui::Button(again)) restart();
  }

  // Ten test images (the first of each class in the pool) against the ten class prompts of the lesson's
  // language: each row is the softmax over prompts of the learned 1/T times the cosine, as CLIP classifies.
  void draw_matrix(const ClipRunSnapshot& s, const ClipEval& e, ImVec2 origin, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImageDataset& pool = *s.pool;
    const int K = kCaptionClasses, d = e.dim;
    std::vector<int> rows(K, -1);
    for (int i = 0; i < pool.count; ++i)
      if (rows[pool.labels[i]] < 0) rows[pool.labels[i]] = i;
    const bool es = ui_language() == UiLanguage::es;
    const std::vector<float>& prompts = e.prompts[es ? 0 : 1];
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float cell = (width - line * 0.2f) / (K + 1);
    dl->AddText(ImVec2(origin.x, origin.y), IM_COL32(225, 225, 232, 255), tr("clip.matrix_title"));
    const float top = origin.y + line * 3.1f;  // the title, then the column heads on two staggered lines
    const float font = ImGui::GetFontSize();
    // Column heads: the class nouns on two staggered lines, so each may span almost two cells centred on
    // its column; one size for all of them (the largest at which the widest fits).
    std::vector<std::string> nouns(K);
    float head_scale = 1.0f;
    for (int c = 0; c < K; ++c) {
      nouns[c] = caption_nouns(es ? CaptionLanguage::Es : CaptionLanguage::En, c)[0].noun;
      const float w = ImGui::CalcTextSize(nouns[c].c_str()).x;
      head_scale = std::min(head_scale, (1.9f * cell - 4) / std::max(1.0f, w));
    }
    head_scale = std::max(head_scale, 0.5f);
    for (int c = 0; c < K; ++c) {
      const float w = ImGui::CalcTextSize(nouns[c].c_str()).x * head_scale;
      const float cx = origin.x + (c + 1.5f) * cell;
      const ImVec2 at(cx - w / 2, top - line * (c % 2 ? 1.0f : 2.0f) + line * 0.2f);
      dl->AddText(ImGui::GetFont(), font * head_scale, at, IM_COL32(200, 200, 210, 255), nouns[c].c_str());
    }
    for (int r = 0; r < K; ++r) {
      const float y = top + r * cell;
      if (rows[r] < 0) continue;
      draw_image(dl, pool.image(rows[r]), pool.height, pool.width, ImVec2(origin.x, y), cell - 2);
      const float* u = e.images.data() + static_cast<size_t>(rows[r]) * d;
      std::vector<double> logit(K);
      double best = -1e300, sum = 0;
      for (int c = 0; c < K; ++c)
        best = std::max(best, logit[c] = e.logit_scale * dot(u, &prompts[c * d], d));
      for (int c = 0; c < K; ++c) sum += logit[c] = std::exp(logit[c] - best);
      for (int c = 0; c < K; ++c) {
        const double p = logit[c] / sum;
        const plot::Rgb8 col = plot::colormap_lookup(plot::Colormap::Viridis, p);
        const ImVec2 a(origin.x + (c + 1) * cell, y);
        dl->AddRectFilled(a, ImVec2(a.x + cell - 1, a.y + cell - 1), IM_COL32(col.r, col.g, col.b, 255));
        if (cell > font * 1.6f) {
          const std::string t = format("%.0f", 100 * p);
          const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
          dl->AddText(ImVec2(a.x + (cell - ts.x) / 2, a.y + (cell - ts.y) / 2),
                      p > 0.5 ? IM_COL32(20, 20, 30, 255) : IM_COL32(230, 230, 235, 255), t.c_str());
        }
      }
    }
    dl->AddText(ImVec2(origin.x, top + K * cell + 2), IM_COL32(170, 170, 180, 255),
                format(tr("clip.matrix_note"), e.step).c_str());
  }

  void draw_side(const ClipRunSnapshot& s, const ClipEval& e, ImVec2 origin, float width, float height) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    float y = origin.y;
    auto text = [&](const std::string& t, ImU32 colour = IM_COL32(225, 225, 232, 255)) {
      y += fitted_text(dl, ImVec2(origin.x, y), width, t, colour);
    };
    if (s.train_seconds > 0)
      text(format(tr("clip.step"), s.step, s.train_seconds, s.steps_per_s));
    else
      text(format(tr(s.shipped ? "clip.step_shipped" : "clip.step_fresh"), s.step));
    if (s.loss > 0) text(format(tr("clip.loss"), s.loss, 100 * s.batch_accuracy));
    text(format(tr("clip.temperature"), e.logit_scale));
    text(format(tr("clip.zero_shot"), 100 * e.zero_shot[0], 100 * e.zero_shot[1], 100 * e.zero_shot[2]),
         IM_COL32(150, 230, 160, 255));
    text(format(tr("clip.zero_shot_note"), s.pool->count), IM_COL32(170, 170, 180, 255));
    // The loss curve (one point per 10 steps of this run): its label on the left, the curve beside it, so the
    // line never runs over the label.
    if (s.loss_history.size() > 1) {
      const float h = line * 2.5f;
      const char* label = tr("clip.loss_curve");
      const float label_w = ImGui::CalcTextSize(label).x + 8;
      const ImVec2 box(origin.x, y + 2), a(origin.x + label_w, y + 2), b(origin.x + width, y + h);
      dl->AddRectFilled(box, b, IM_COL32(14, 14, 20, 255), 3.0f);
      float lo = s.loss_history[0], hi = s.loss_history[0];
      for (float v : s.loss_history) lo = std::min(lo, v), hi = std::max(hi, v);
      std::vector<ImVec2> pts;
      const size_t n = s.loss_history.size();
      for (size_t i = 0; i < n; ++i)
        pts.emplace_back(a.x + (b.x - a.x - 2) * i / (n - 1),
                         b.y - 2 - (b.y - a.y - 4) * (s.loss_history[i] - lo) / std::max(1e-6f, hi - lo));
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(240, 180, 90, 255), 0, 1.5f);
      dl->AddText(ImVec2(box.x + 4, box.y + (h - ImGui::GetFontSize()) * 0.5f), IM_COL32(170, 170, 180, 255),
                  label);
      y += h + line * 0.4f;
    }
    // Nearest captions of a picked test image (all captions, both languages, ranked by cosine).
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y));
    ImGui::SetNextItemWidth(std::max(40.0f, width - ImGui::CalcTextSize(tr("clip.image")).x - 12));
    picked_ = std::clamp(picked_, 0, s.pool->count - 1);
    ImGui::SliderInt(tr_id("clip.image", "clip_image"), &picked_, 0, s.pool->count - 1);
    y += line * 1.2f;
    const int label = s.pool->labels[picked_];
    const bool es = ui_language() == UiLanguage::es;
    text(format(tr("clip.nearest"),
                caption_nouns(es ? CaptionLanguage::Es : CaptionLanguage::En, label)[0].noun),
         IM_COL32(200, 200, 210, 255));
    // The picked image, then its five nearest captions under it at the column's full width; where the column
    // is short (presenter mode at 720p), the image shrinks first and the list stops at the column's foot.
    const float bottom = origin.y + height;
    const ClipSideFoot foot = clip_side_foot(bottom - y, width, line);
    const float side = foot.image_side;
    draw_image(dl, s.pool->image(picked_), s.pool->height, s.pool->width, ImVec2(origin.x, y), side);
    y += side + line * 0.3f;
    const int d = e.dim, C = static_cast<int>(s.captions->size());
    const float* u = e.images.data() + static_cast<size_t>(picked_) * d;
    std::vector<std::pair<double, int>> ranked(C);
    for (int c = 0; c < C; ++c) ranked[c] = {dot(u, e.captions.data() + static_cast<size_t>(c) * d, d), c};
    std::partial_sort(ranked.begin(), ranked.begin() + std::min(C, 5), ranked.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (int k = 0; k < std::min(C, foot.captions) && y + line <= bottom + 0.5f; ++k) {
      const int c = ranked[k].second;
      const bool right = (*s.caption_labels)[c] == label;
      text(format("%.2f  %s", ranked[k].first, (*s.captions)[c].c_str()),
           right ? IM_COL32(150, 230, 160, 255) : IM_COL32(240, 150, 120, 255));
    }
  }

  bool shipped_ = true;
  bool playing_ = false;
  int picked_ = 0;
  std::unique_ptr<ClipRun> run_;
};

}  // namespace

std::unique_ptr<LivePanel> make_clip_panel(const PanelDirective& d) {
  return std::make_unique<ClipPanel>(d);
}

}  // namespace difflab::lecture
