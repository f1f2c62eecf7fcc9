// panels.h — the constructors of the lecture panels (one file each) and what they share.
// Not the registry: live_panel.h's make_lecture_panel dispatches by name.
#pragma once

#include "lecture/live_panel.h"
#include "lecture/shared.h"

namespace difflab::lecture {

std::unique_ptr<LivePanel> make_forward_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_schedules_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_sampling_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_elbo_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_ddim_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_score_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_ode_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_images_panel(const PanelDirective& d);

// Draws the data (grey) and points (coloured) in an equal-aspect plot of the given height.
void scatter_over_data(const char* title, const std::vector<float>& data, const std::vector<float>& points,
                       const char* label, float height, float width = -1);

}  // namespace difflab::lecture
