// live_panel.cpp — the factory of lecture panels by name, and their registration with the app.
// Not the app's registry (src/ui), which asks this factory for the lecture panels.

#include "lecture/panels.h"

namespace difflab::lecture {

namespace {
struct Entry {
  const char* name;
  std::unique_ptr<LivePanel> (*make)(const PanelDirective&);
};
const Entry kPanels[] = {
    {"forward", make_forward_panel},
    {"schedules", make_schedules_panel},
    {"sampling", make_sampling_panel},
    {"elbo", make_elbo_panel},
    {"ddim", make_ddim_panel},
    {"score", make_score_panel},
    {"ode", make_ode_panel},
    {"images", make_images_panel},
    {"hero", make_hero_panel},
    {"nfe", make_nfe_panel},
    {"image_steps", make_image_steps_panel},
    {"interp", make_interp_panel},
    {"samplers", make_samplers_panel},
    {"trilemma", make_trilemma_panel},
    {"guidance", make_guidance_panel},
    {"cfg_images", make_cfg_images_panel},
};
}  // namespace

bool is_lecture_panel(const std::string& name) {
  for (const Entry& e : kPanels)
    if (name == e.name) return true;
  return false;
}

std::unique_ptr<LivePanel> make_lecture_panel(const PanelDirective& directive) {
  for (const Entry& e : kPanels)
    if (directive.panel == e.name) return e.make(directive);
  return nullptr;
}

void register_lecture_panels() {
  for (const Entry& e : kPanels)
    ui::register_panel(
        e.name, [make = e.make](const PanelDirective& d) -> std::unique_ptr<ui::Panel> { return make(d); });
}

}  // namespace difflab::lecture
