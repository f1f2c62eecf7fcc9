// presenter_view.cpp — drawing the presenter view: notes, next slide, timer, in an ImGui window at the
// bottom of the screen. Not the texts' logic (shell_logic.cpp) nor the key that opens it (gui.cpp).
#include "ui/presenter_view.h"

#include <imgui.h>

#include <algorithm>

#include "lessons/ui_text.h"
#include "plot/scripted_draw.h"
#include "plot/scripted_text.h"
#include "ui/lesson_view.h"
#include "ui/shell_logic.h"

namespace difflab::ui {

double PresenterView::elapsed() const {
  if (!started) return 0;
  if (paused) return paused_seconds;
  return paused_seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

namespace {
// The view's text is at most about 22 pixels, whatever the slides' size: presenter mode enlarges the slides
// for the room, and the notes must leave them most of a 720-pixel screen.
float text_scale() {
  return std::clamp(22.0f / ImGui::GetFontSize(), 0.65f, 1.0f);
}
}  // namespace

float presenter_view_height(const PresenterView& view) {
  if (!view.open) return 0;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float line = ImGui::GetFontSize() * text_scale();
  return std::clamp(vp->WorkSize.y * 0.3f, std::min(line * 8, vp->WorkSize.y * 0.5f), vp->WorkSize.y * 0.5f);
}

void draw_presenter_view(PresenterView* view, const PresenterContent& content, const FontSet& fonts) {
  if (!view->open) return;
  if (!view->started) {
    view->started = true;
    view->paused = false;
    view->paused_seconds = 0;
    view->start = std::chrono::steady_clock::now();
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // The lower part of the screen, full width: notes on the left, the next slide and the timer on the right.
  const float height = presenter_view_height(*view);
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - height), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, height), ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(0.97f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoTitleBar;
  const float scale = text_scale();
  if (ImGui::Begin(tr_id("presenter.title", "presenter"), &view->open, flags)) {
    ImGui::SetWindowFontScale(scale);  // inherited by the two columns
    const float side = std::max(ImGui::GetFontSize() * 14, ImGui::GetContentRegionAvail().x * 0.34f);
    const float inner = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild(
        "##notes", ImVec2(ImGui::GetContentRegionAvail().x - side - ImGui::GetStyle().ItemSpacing.x, inner),
        false);
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(tr("presenter.notes"));
    ImGui::PopFont();
    const std::vector<std::string> notes =
        content.slide ? speaker_notes(*content.slide) : std::vector<std::string>{};
    if (notes.empty()) ImGui::TextDisabled("%s", tr("presenter.no_notes"));
    // Notes are inline Markdown like the slide: $x_T$ is x with a lowered T, **bold** is bold.
    for (const std::string& n : notes) {
      draw_note_text(n, fonts);
      ImGui::Spacing();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##next", ImVec2(0, inner), false);
    // The timer first, large: it is what a speaker glances at.
    ImGui::PushFont(fonts.heading);
    ImGui::TextUnformatted(format_elapsed(view->elapsed()).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextDisabled("%s", fill(tr("presenter.slide"), {std::to_string(content.slide_index + 1),
                                                           std::to_string(content.slide_count)})
                                  .c_str());
    if (ImGui::SmallButton(view->paused ? tr_id("presenter.resume_timer", "pause")
                                        : tr_id("presenter.pause_timer", "pause"))) {
      if (view->paused) {
        view->start = std::chrono::steady_clock::now();
        view->paused = false;
      } else {
        view->paused_seconds = view->elapsed();
        view->paused = true;
      }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(tr_id("presenter.reset_timer", "restart"))) view->started = false;
    ImGui::Separator();
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(tr("presenter.next"));
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0);
    if (content.next) {
      // The heading as the slide draws it (its formulas with their scripts), not its one-line plain text.
      for (const Block& b : content.next->blocks) {
        if (b.kind != BlockKind::Heading) continue;
        draw_inline_text(b.text, fonts, fonts.regular);
        break;
      }
      // Whether a live panel comes, in words (the panel's id, "[elbo]", was clipped at the bottom and meant
      // nothing to a speaker).
      if (content.next->panel) ImGui::TextDisabled("%s", tr("presenter.next_panel"));
      const std::string preview = slide_preview(*content.next, 120);
      // Drawn as scripted text (escaped: no scripts) so that combining accents sit on their letter (β̃ₜ).
      if (!preview.empty())
        plot::scripted_text_item(plot::scripted_escape(preview), 0,
                                 ImGui::GetColorU32(ImGuiCol_TextDisabled));
    } else if (!content.next_lesson_title.empty()) {
      plot::scripted_text_item(fill(tr("presenter.next_lesson"), {content.next_lesson_title}), 0);
    } else {
      ImGui::TextDisabled("%s", tr("presenter.end"));
    }
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
  }
  ImGui::End();
}

}  // namespace difflab::ui
