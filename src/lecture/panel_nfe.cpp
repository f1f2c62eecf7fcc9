// panel_nfe.cpp — quality against network evaluations (issue 13): for each sampler, the endpoint error
// against the converged ODE solution (exact denoiser) or the sliced W₂ to the data (trained model), on
// log–log axes. Not the sweep (sample/nfe_sweep.h computes it, in the background) and not the samplers.
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "lecture/model_loader.h"
#include "lecture/panels.h"
#include "lessons/ui_text.h"
#include "plot/plot.h"
#include "sample/nfe_sweep.h"
#include "sample/sampler_table.h"

namespace difflab::lecture {
namespace {

const ImU32 kColors[] = {IM_COL32(230, 120, 60, 255), IM_COL32(70, 150, 230, 255),
                         IM_COL32(90, 190, 100, 255), IM_COL32(200, 90, 200, 255),
                         IM_COL32(220, 200, 60, 255), IM_COL32(150, 150, 150, 255)};

class NfePanel final : public LivePanel {
 public:
  explicit NfePanel(const PanelDirective& d) : dataset_(d.value("dataset")), which_(d.value("model")) {
    samplers_ = {"ddim", "edm-heun", "dpm-solver++", "unipc"};
    start();
  }

  void draw() override {
    sweep_.poll();
    if (ImGui::Button(tr_id("nfe.recompute", "recompute"))) start();
    ImGui::SameLine();
    if (sweep_.busy()) ImGui::TextUnformatted(tr("nfe.computing"));
    if (!sweep_.error().empty()) ImGui::TextWrapped("%s", sweep_.error().c_str());
    const bool oracle = which_ == "oracle";
    const float height = ImGui::GetContentRegionAvail().y - caption_reserve();
    if (plot::begin_plot(tr_id(oracle ? "nfe.title_error" : "nfe.title_swd", "nfe"), ImVec2(-1, height))) {
      plot::setup_axes(tr("nfe.axis_nfe"), tr(oracle ? "nfe.axis_error" : "nfe.axis_swd"), plot::kAxisLog,
                       plot::kAxisLog);
      // Heun's first step from σ_max ≈ 150 explodes at 3–9 NFE; the view starts at the useful range
      // (zoomable).
      plot::setup_axis_limits(plot::Axis::X, 1, 600);
      if (oracle) plot::setup_axis_limits(plot::Axis::Y, 1e-6, 10);
      if (sweep_.value()) {
        for (size_t s = 0; s < samplers_.size(); ++s) {
          std::vector<double> xs, ys;
          for (const NfeSweepPoint& p : *sweep_.value()) {
            const double y = oracle ? p.endpoint_rms : p.swd;
            if (p.sampler == samplers_[s] && std::isfinite(y) && y > 0) xs.push_back(p.nfe), ys.push_back(y);
          }
          plot::set_next_color(kColors[s % 6]);
          plot::plot_line(samplers_[s].c_str(), xs.data(), ys.data(), static_cast<int>(xs.size()));
          plot::set_next_color(kColors[s % 6]);
          plot::plot_scatter(("##" + samplers_[s]).c_str(), xs.data(), ys.data(),
                             static_cast<int>(xs.size()));
        }
      }
      plot::end_plot();
    }
    caption(tr(oracle ? "nfe.caption_oracle" : "nfe.caption_trained"));
  }

 private:
  void start() {
    const std::string dataset = dataset_, which = which_;
    const std::vector<std::string> samplers = samplers_;
    sweep_.start([dataset, which, samplers] {
      auto model = load_panel_model(which, dataset);
      NfeSweepOptions options;
      options.nfe = {2, 4, 7, 10, 15, 20, 35, 50, 100, 200, 500};
      for (const std::string& name : samplers) {
        SamplerConfig c;
        parse_sampler_kind(name, &c.kind);
        c.spacing = Spacing::Trailing;  // timestep samplers start at t = T − 1, where σ-steps start
        options.samplers.push_back(c);
      }
      options.endpoint_error = which == "oracle";
      options.reference_steps = 1000;
      const int n = 300;
      const std::vector<float> held_out = data_points(dataset, n, 1);
      return sweep_nfe(model->model(), options, standard_normal(2 * n, 3), held_out);
    });
  }

  std::string dataset_, which_;
  std::vector<std::string> samplers_;
  Async<std::vector<NfeSweepPoint>> sweep_;
};

}  // namespace

std::unique_ptr<LivePanel> make_nfe_panel(const PanelDirective& d) {
  return std::make_unique<NfePanel>(d);
}

}  // namespace difflab::lecture
