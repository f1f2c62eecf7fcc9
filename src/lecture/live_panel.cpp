// live_panel.cpp — the factory of lecture panels by name, and their shared scatter helper.
// Not the app's registry (src/ui), which asks this factory for the lecture panels.
#include <imgui.h>

#include "lecture/panels.h"
#include "plot/plot.h"

namespace difflab::lecture {

namespace {
struct Entry {
  const char* name;
  std::unique_ptr<LivePanel> (*make)(const PanelDirective&);
};
const Entry kPanels[] = {
    {"forward", make_forward_panel}, {"schedules", make_schedules_panel}, {"sampling", make_sampling_panel},
    {"elbo", make_elbo_panel},       {"ddim", make_ddim_panel},           {"score", make_score_panel},
    {"ode", make_ode_panel},         {"images", make_images_panel},
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
  for (const Entry& e : kPanels) ui::register_panel(e.name, [make = e.make](const PanelDirective& d) -> std::unique_ptr<ui::Panel> {
    return make(d);
  });
}

void scatter_over_data(const char* title, const std::vector<float>& data, const std::vector<float>& points,
                       const char* label, float height, float width) {
  if (!plot::begin_plot(title, ImVec2(width, height), plot::kPlotEqualAspect)) return;
  plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
  plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
  plot::set_next_color(IM_COL32(150, 150, 150, 80));
  plot::plot_scatter("data", data.data(), data.data() + 1, static_cast<int>(data.size() / 2), 8);
  plot::plot_scatter(label, points.data(), points.data() + 1, static_cast<int>(points.size() / 2), 8);
  plot::end_plot();
}

}  // namespace difflab::lecture
