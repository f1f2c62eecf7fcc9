// panels.cpp — the registry map behind register_panel / make_panel.
// Not any panel's drawing: see panel_gallery.cpp, panel_train.cpp.
#include "ui/panels.h"

#include <map>

namespace difflab::ui {
namespace {

std::map<std::string, PanelFactory>& registry() {
  static std::map<std::string, PanelFactory> panels;
  return panels;
}

}  // namespace

void register_panel(const std::string& name, PanelFactory factory) {
  registry()[name] = std::move(factory);
}

void register_builtin_panels() {
  register_panel("gallery", make_gallery_panel);
  register_panel("train", make_train_panel);
}

std::unique_ptr<Panel> make_panel(const PanelDirective& directive) {
  const auto it = registry().find(directive.panel);
  if (it == registry().end()) return nullptr;
  return it->second(directive);
}

std::vector<std::string> registered_panel_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

}  // namespace difflab::ui
