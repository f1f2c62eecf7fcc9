// nfe_sweep.cpp — every sampler at every NFE from the same x_T (see nfe_sweep.h).
// Not a command and not a plot.
#include "sample/nfe_sweep.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/metrics.h"
#include "sample/sampler_table.h"

namespace difflab {

int steps_for_nfe(const SamplerConfig& config, int nfe, int T) {
  int steps = nfe;
  switch (config.kind) {
    case SamplerKind::OdeHeun:
    case SamplerKind::EdmHeun:
    case SamplerKind::EdmStochastic:
      steps = (nfe + 1) / 2;
      break;  // 2N − 1 (the last step is Euler)
    case SamplerKind::Langevin:
      steps = nfe / (config.corrector_steps + 1);
      break;
    default:
      break;
  }
  if (steps < 1) return 0;
  SamplerConfig c = config;
  c.steps = steps;
  if (!uses_sigma_steps(c) && steps > T) return 0;
  return steps;
}

namespace {

double rms_point_distance(const std::vector<float>& a, const std::vector<float>& b, int dim) {
  double sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
  return std::sqrt(sum / (a.size() / dim));
}

}  // namespace

std::vector<NfeSweepPoint> sweep_nfe(Denoiser& model, const NfeSweepOptions& options,
                                     const std::vector<float>& x_T, const std::vector<float>& held_out,
                                     double* reference_change) {
  std::vector<float> converged;
  if (reference_change) *reference_change = NAN;
  if (options.endpoint_error) {
    const std::string problem = sigma_max_problem(model.schedule());
    if (!problem.empty()) throw std::invalid_argument(problem);
    auto reference_solution = [&](int steps) {
      SamplerConfig reference;
      reference.kind = SamplerKind::EdmHeun;
      reference.sigmas = SigmaSpacing::Karras;
      reference.steps = steps;
      reference.record_trajectory = false;
      Sampler s(model, reference);
      s.begin(x_T, options.seed);
      s.run();
      return s.x();
    };
    converged = reference_solution(options.reference_steps);
    if (reference_change)
      *reference_change = rms_point_distance(reference_solution(std::max(1, options.reference_steps / 2)),
                                             converged, model.dim());
  }
  std::vector<NfeSweepPoint> points;
  for (const SamplerConfig& base : options.samplers) {
    for (int nfe : options.nfe) {
      const int steps = steps_for_nfe(base, nfe, model.schedule().T());
      if (steps == 0) continue;
      SamplerConfig c = base;
      c.steps = steps;
      c.record_trajectory = false;
      const auto start = std::chrono::steady_clock::now();
      Sampler s(model, c);
      s.begin(x_T, options.seed + 1);
      s.run();
      NfeSweepPoint p;
      p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      p.sampler = sampler_kind_name(c.kind);
      p.nfe_target = nfe;
      p.steps = steps;
      p.nfe = s.network_evaluations();
      if (!held_out.empty())
        p.swd = sliced_wasserstein2(s.x(), held_out, options.swd_projections, options.seed + 2);
      if (options.endpoint_error && !sampler_info(c.kind).stochastic)  // a stochastic sample has no ODE twin
        p.endpoint_rms = rms_point_distance(s.x(), converged, model.dim());
      points.push_back(p);
    }
  }
  return points;
}

}  // namespace difflab
