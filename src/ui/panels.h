// panels.h — the live-panel registry: panel name → factory of a Panel that draws itself each frame.
// Not the panel descriptions (src/lessons/panel_spec.h holds names and typed parameters, headless).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lessons/lesson.h"

namespace difflab::ui {

// What the shell passes to a panel each frame: the keys the presenter pressed, and the presentation mode.
struct PanelInput {
  bool toggle_play = false;  // Space
  bool step = false;         // S
  bool presenter = false;    // presenter mode: hide controls until hovered
};

// One live panel on one slide. Created when the slide opens, destroyed when it closes (or on reset).
// draw() must never wait on computation: state lives in the panel, work runs elsewhere.
class Panel {
 public:
  virtual ~Panel() = default;
  virtual void draw(const PanelInput& input) = 0;
  // Writes the panel's curves as CSV; false (with a message) when it has none.
  virtual bool export_csv(const std::string& path, std::string* error) {
    *error = "this panel has no curves to export";
    (void)path;
    return false;
  }
  // A status line for the shell (e.g. "1234 steps, 850 steps/s"); "" when none.
  virtual std::string status() const { return ""; }
  // Whether the panel runs on its own now (training, playing); `--play` presses Space only when it does not.
  virtual bool playing() const { return false; }
};

using PanelFactory = std::function<std::unique_ptr<Panel>(const PanelDirective& directive)>;

// Adds (or replaces) a panel. The name must be one of panel_specs() for lessons to use it.
void register_panel(const std::string& name, PanelFactory factory);
// The built-in panels: "gallery" and "train". Idempotent.
void register_builtin_panels();
// A new panel for the directive, or null when no panel of that name is registered.
std::unique_ptr<Panel> make_panel(const PanelDirective& directive);
std::vector<std::string> registered_panel_names();

// Factories of the built-in panels (one file each).
std::unique_ptr<Panel> make_gallery_panel(const PanelDirective& directive);
std::unique_ptr<Panel> make_train_panel(const PanelDirective& directive);

}  // namespace difflab::ui
