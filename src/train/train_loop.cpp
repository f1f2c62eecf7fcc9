// train_loop.cpp — the shared training loop: parts, their optimizers, the step count.
// Not a loss: objectives compute gradients and call update().
#include "train/train_loop.h"

#include <stdexcept>

namespace difflab {

TrainPart& TrainLoop::add_part(const std::string& name, Model& model, const OptimizerSettings& settings) {
  TrainPart& p = parts_.emplace_back();
  p.name = name;
  p.model = &model;
  p.settings = settings;
  p.optimizer = std::make_unique<Optimizer>(model.backend(), model.params(), model.grads());
  return p;
}

TrainPart& TrainLoop::part(const std::string& name) {
  for (TrainPart& p : parts_)
    if (p.name == name) return p;
  throw std::out_of_range("training loop has no part named '" + name + "'");
}

StepResult TrainLoop::step(Objective& objective) {
  const StepResult r = objective.step(*this);
  ++steps_;
  return r;
}

bool TrainLoop::update(TrainPart& part, double loss, double* grad_norm) {
  return part.optimizer->step(loss, part.settings, grad_norm);
}

void TrainLoop::reset(int step) {
  for (TrainPart& p : parts_) p.optimizer->reset(step);
  steps_ = step;
}

}  // namespace difflab
