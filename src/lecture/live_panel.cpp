// live_panel.cpp — the lecture panels by name (through the generated panel_table), and their registration
// with the app. Not a list of panels: panel_table.cpp is generated from the panel files.

#include "lecture/live_panel.h"

#include "lecture/panel_table.h"

namespace difflab::lecture {

std::vector<std::string> lecture_panel_names() {
  std::vector<std::string> names;
  for (const PanelTableEntry& e : panel_table()) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<LivePanel> make_lecture_panel(const PanelDirective& directive) {
  for (const PanelTableEntry& e : panel_table())
    if (directive.panel == e.name) return e.make(directive);
  return nullptr;
}

void register_lecture_panels() {
  for (const PanelTableEntry& e : panel_table())
    ui::register_panel(
        e.name, [make = e.make](const PanelDirective& d) -> std::unique_ptr<ui::Panel> { return make(d); });
}

}  // namespace difflab::lecture
