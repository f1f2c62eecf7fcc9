// model_source.cpp — builds the exact denoiser or loads a checkpointed MLP (see model_source.h).
// Not a file format (checkpoint.cpp).
#include "train/model_source.h"

#include <stdexcept>

#include "nn/edm_precond.h"
#include "nn/mlp_denoiser.h"
#include "nn/unet_denoiser.h"
#include "train/trainer.h"

namespace difflab {

std::unique_ptr<LoadedModel> load_model(const std::string& model, const std::string& dataset,
                                        const std::optional<ScheduleConfig>& schedule) {
  auto m = std::make_unique<LoadedModel>();
  if (model == "oracle" || model == "exact") {
    if (dataset.empty()) throw std::invalid_argument("the exact denoiser needs --dataset");
    const Dataset2D data = Dataset2D::load(dataset);
    m->schedule = make_schedule(schedule.value_or(TrainConfig{}.schedule));
    m->oracle = std::make_unique<ExactDenoiser>(data.oracle_mixture(), m->schedule);
    m->is_oracle = true;
    m->description =
        "exact denoiser for " + dataset +
        (data.is_mixture() ? " (Gaussian mixture)" : " (empirical distribution of its reference points)");
    return m;
  }
  Checkpoint c = load_checkpoint(model);
  if (schedule) {
    const ScheduleConfig& s = *schedule;
    if (s.kind != c.schedule.kind || s.T != c.schedule.T)
      throw std::invalid_argument(model + " was trained with the " + schedule_kind_name(c.schedule.kind) +
                                  " schedule, T = " + std::to_string(c.schedule.T) +
                                  "; drop --schedule/--T or give the same values");
  }
  return model_from_checkpoint(std::move(c), model);
}

std::unique_ptr<LoadedModel> model_from_checkpoint(Checkpoint c, const std::string& model) {
  if (c.architecture == "classifier")
    throw std::invalid_argument(model +
                                " is an image classifier, not a denoiser (use `difflab classifier eval`)");
  if (c.architecture != "unet" && c.architecture != "mlp2d")  // the family-table kinds (mlp2d-cond, …)
    throw std::invalid_argument(model + " is an '" + c.architecture +
                                "' checkpoint: sample it with --class K (and --guidance-kind)");
  auto m = std::make_unique<LoadedModel>();
  m->schedule = make_schedule(c.schedule);
  m->backend = make_cpu_backend();
  if (c.architecture == "unet") {
    if (c.prediction != Prediction::Eps)
      throw std::invalid_argument(model + ": U-Net checkpoints predict eps");
    m->unet = std::make_unique<UNet>(c.unet, *m->backend);
    m->backend->write(m->unet->params(), c.ema_params.data());
    m->denoiser = std::make_unique<UNetDenoiser>(*m->unet, m->schedule);
    m->description = model + " (" + describe(c.unet) + ", trained on " + c.dataset + " for " +
                     std::to_string(c.step) + " steps)";
    m->checkpoint = std::move(c);
    return m;
  }
  m->mlp = std::make_unique<MlpModel>(c.model, *m->backend);
  m->backend->write(m->mlp->params(), c.ema_params.data());
  const auto box = c.extra.find("data_box");
  DataBox data_box = box == c.extra.end() ? DataBox{} : parse_data_box(box->second, 2, model);
  if (c.edm)
    m->denoiser = std::make_unique<EdmMlpDenoiser>(*m->mlp, m->schedule, EdmPrecond{c.sigma_data}, Tensor{},
                                                   std::move(data_box));
  else
    m->denoiser =
        std::make_unique<MlpDenoiser>(*m->mlp, m->schedule, c.prediction, Tensor{}, std::move(data_box));
  m->description = model + " (MLP " + std::to_string(c.model.width) + "×" + std::to_string(c.model.depth) +
                   (c.edm ? ", EDM preconditioning" : "") + ", trained on " + c.dataset + " for " +
                   std::to_string(c.step) + " steps)";
  m->checkpoint = std::move(c);
  return m;
}

}  // namespace difflab
