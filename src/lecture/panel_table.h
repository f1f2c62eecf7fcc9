// panel_table.h — the table of lecture panels: name → factory, generated at build time from the panel files
// (src/lecture/panel_<name>.cpp defines make_<name>_panel). Not the parameters: src/lessons/panel_spec.cpp.
#pragma once

#include <memory>
#include <vector>

#include "lecture/live_panel.h"

namespace difflab::lecture {

struct PanelTableEntry {
  const char* name;  // the file's <name>: the lesson directive's panel=<name>
  std::unique_ptr<LivePanel> (*make)(const PanelDirective& directive);
};

// Every lecture panel, in file-name order (generated: build/…/src/lecture/panel_table.cpp).
const std::vector<PanelTableEntry>& panel_table();

}  // namespace difflab::lecture
