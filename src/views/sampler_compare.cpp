// sampler_compare.cpp — several samplers from the same x_T at one NFE budget (see sampler_compare.h).
// Not a sampler and not drawing.
#include "views/sampler_compare.h"

#include <algorithm>
#include <cmath>

#include "core/metrics.h"
#include "sample/nfe_sweep.h"
#include "sample/sampler_table.h"

namespace difflab {
namespace {

// Forwards every call to the model and notes what the first one saw, and how many calls came: the
// comparison's own count of evaluations, independent of the sampler's.
class CountingDenoiser final : public Denoiser {
 public:
  explicit CountingDenoiser(Denoiser& model) : model_(model) {}
  int dim() const override { return model_.dim(); }
  const NoiseSchedule& schedule() const override { return model_.schedule(); }
  const DataBox& data_box() const override { return model_.data_box(); }
  void predict_eps(const float* xt, int n, int t, float* eps) override {
    note(xt, n, model_.schedule().alpha_bar[t]);
    model_.predict_eps(xt, n, t, eps);
  }
  void predict_eps_continuous(const float* xt, int n, double t, double alpha_bar, float* eps) override {
    note(xt, n, alpha_bar);
    model_.predict_eps_continuous(xt, n, t, alpha_bar, eps);
  }
  int calls = 0;
  std::vector<float> first_input;
  double first_alpha_bar = 0;

 private:
  void note(const float* xt, int n, double alpha_bar) {
    if (calls++ == 0) {
      first_input.assign(xt, xt + static_cast<size_t>(n) * model_.dim());
      first_alpha_bar = alpha_bar;
    }
  }
  Denoiser& model_;
};

// Heun-type samplers spend 2N − 1 evaluations, Langevin N·(corrector steps + 1), the others N.
int evaluations_per_budget_step(const SamplerConfig& config) {
  switch (config.kind) {
    case SamplerKind::OdeHeun:
    case SamplerKind::EdmHeun:
    case SamplerKind::EdmStochastic:
      return 2;
    case SamplerKind::Langevin:
      return config.corrector_steps + 1;
    default:
      return 1;
  }
}

}  // namespace

int steps_within_budget(const SamplerConfig& config, int nfe, int T) {
  const int steps = steps_for_nfe(config, nfe, T);
  if (steps > 0 || nfe < 1) return steps;
  // Too many for the schedule's T steps: every step of the schedule, if that fits the budget at all.
  SamplerConfig all = config;
  all.steps = T;
  if (uses_sigma_steps(all)) return 0;
  return steps_for_nfe(config, std::min(nfe, T * evaluations_per_budget_step(config)), T);
}

SamplerComparison compare_at_budget(Denoiser& model, const SamplerCompareOptions& options,
                                    const std::vector<float>& x_T, const std::vector<float>& data,
                                    const std::function<void(double)>& progress) {
  const int dim = model.dim(), T = model.schedule().T();
  const size_t n = x_T.size() / dim;
  const int paths = static_cast<int>(std::min<size_t>(std::max(options.paths, 0), n));
  SamplerComparison result;
  // The work, in evaluations, for the progress fraction: the reference, then each sampler's budget.
  double total = options.endpoint_error ? 2.0 * options.reference_steps : 0, done = 0;
  total += static_cast<double>(options.nfe) * options.samplers.size();
  const auto report = [&](double evaluations) {
    done += evaluations;
    if (progress) progress(std::min(1.0, done / std::max(total, 1.0)));
  };
  if (options.endpoint_error) {
    SamplerConfig reference;
    reference.kind = SamplerKind::EdmHeun;
    reference.steps = options.reference_steps;
    reference.record_trajectory = false;
    Sampler s(model, reference);
    s.begin(x_T, options.seed);
    while (!s.done()) s.step(), report(2);
    result.converged = s.x();
  }
  for (const SamplerConfig& base : options.samplers) {
    SamplerCompareRun run;
    run.name = sampler_kind_name(base.kind);
    run.config = base;
    run.steps = steps_within_budget(base, options.nfe, T);
    if (run.steps == 0) {
      result.runs.push_back(std::move(run));
      report(options.nfe);
      continue;
    }
    run.config.steps = run.steps;
    run.config.record_trajectory = paths > 0;
    CountingDenoiser counted(model);
    Sampler s(counted, run.config);
    s.begin(x_T, options.seed + 1);  // every stochastic sampler draws the same noise stream
    int reported = 0;
    while (!s.done()) {
      s.step();
      report(s.network_evaluations() - reported);
      reported = s.network_evaluations();
    }
    report(options.nfe - reported);
    run.nfe = s.network_evaluations();
    run.model_calls = counted.calls;
    run.first_input = std::move(counted.first_input);
    run.first_alpha_bar = counted.first_alpha_bar;
    run.samples = s.x();
    for (const NoiseLevel& level : s.noise_levels()) run.sigmas.push_back(level.sigma);
    for (const std::vector<float>& state : s.trajectory())
      run.paths.emplace_back(state.begin(), state.begin() + static_cast<size_t>(paths) * dim);
    if (!data.empty())
      run.swd = sliced_wasserstein2(run.samples, data, options.swd_projections, options.seed + 2);
    if (options.endpoint_error && !sampler_info(base.kind).stochastic) {
      double sum = 0;
      for (size_t k = 0; k < result.converged.size(); ++k) {
        const double d = double(run.samples[k]) - result.converged[k];
        sum += d * d;
      }
      run.endpoint_rms = std::sqrt(sum / static_cast<double>(n));
    }
    result.runs.push_back(std::move(run));
  }
  return result;
}

}  // namespace difflab
