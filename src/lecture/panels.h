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
std::unique_ptr<LivePanel> make_hero_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_nfe_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_samplers_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_image_steps_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_interp_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_trilemma_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_guidance_panel(const PanelDirective& d);
std::unique_ptr<LivePanel> make_cfg_images_panel(const PanelDirective& d);

}  // namespace difflab::lecture
