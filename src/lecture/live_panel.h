// live_panel.h — the interface of a lecture panel: drawn every frame beside its slide, driven by keys.
// Not the registry or the window (src/ui): a panel only draws inside the region it is given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "ui/panels.h"

namespace difflab::lecture {

// A ui::Panel whose keys arrive as calls. Subclasses draw their controls, plots and caption in the current
// ImGui region and never block: heavy work runs in the background and shows "computing…" until done.
class LivePanel : public ui::Panel {
 public:
  void draw(const ui::PanelInput& input) final {
    if (input.toggle_play) toggle_play();
    if (input.step) step_once();
    draw();
  }
  virtual void draw() = 0;
  virtual void toggle_play() {}  // Space
  virtual void step_once() {}    // S
};

// A panel for one of the lecture panels (panel_table.h: one per src/lecture/panel_<name>.cpp), set up
// from its directive (parameters already validated by the lesson parser); null for other names.
std::unique_ptr<LivePanel> make_lecture_panel(const PanelDirective& directive);
// The lecture panels' names, in the table's order (each one has a row in lessons/panel_spec.cpp).
std::vector<std::string> lecture_panel_names();
// Registers every lecture panel with the app's panel registry (ui::register_panel).
void register_lecture_panels();

}  // namespace difflab::lecture
