// image_steps.cpp — every step's (xₜ, x̂₀) pair of DDIM or DDPM from a few x_T (see image_steps.h).
// Not a sampler: sample/ runs the steps; this only keeps what each step saw and predicted.
#include "views/image_steps.h"

#include <stdexcept>
#include <string>

namespace difflab {

ImageSteps image_steps(Denoiser& model, const std::vector<float>& x_T, const ImageStepsConfig& config,
                       const std::function<void(double)>& progress) {
  const size_t dim = static_cast<size_t>(model.dim());
  if (x_T.empty() || dim == 0 || x_T.size() % dim != 0)
    throw std::invalid_argument("x_T must hold a whole number of images of " + std::to_string(dim) +
                                " values");
  if (config.kind != SamplerKind::Ddim && config.kind != SamplerKind::Ddpm)
    throw std::invalid_argument("the per-step view runs DDIM or DDPM");
  if (config.steps < 1 || config.steps > model.schedule().T())
    throw std::invalid_argument("steps must be 1 … T = " + std::to_string(model.schedule().T()));
  SamplerConfig c;
  c.kind = config.kind;
  c.steps = config.steps;
  c.eta = config.eta;
  c.spacing = config.spacing;
  c.clip_x0 = config.clip_x0;
  c.record_trajectory = false;  // kept here instead, with the step's t beside each pair
  Sampler sampler(model, c);
  sampler.begin(x_T, config.noise_seed);
  ImageSteps result;
  result.count = static_cast<int>(x_T.size() / dim);
  result.dim = static_cast<int>(dim);
  result.timesteps = sampler.timesteps();
  for (size_t k = 0; k < result.timesteps.size(); ++k)
    result.alpha_bars.push_back(sampler.noise_levels()[k].alpha_bar);
  result.states.push_back(sampler.x());
  const double total = static_cast<double>(result.timesteps.size());
  while (!sampler.done()) {
    sampler.step();
    result.x0_hats.push_back(sampler.x0_prediction());
    result.states.push_back(sampler.x());
    if (progress) progress(sampler.steps_done() / total);
  }
  return result;
}

}  // namespace difflab
