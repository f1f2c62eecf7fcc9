// model_source.cpp — builds the exact denoiser or loads a checkpointed network (see model_source.h).
// Not a file format (checkpoint.cpp).
#include "train/model_source.h"

#include <stdexcept>

#include "nn/backend_factory.h"
#include "nn/edm_precond.h"
#include "nn/flow_mlp.h"
#include "nn/mlp.h"
#include "nn/mlp_denoiser.h"
#include "nn/model_family.h"
#include "nn/unet.h"
#include "nn/unet_denoiser.h"
#include "train/image_flow_objective.h"
#include "train/trainer.h"

namespace difflab {

UNet& LoadedModel::unet() const {
  auto* u = dynamic_cast<UNet*>(network.get());
  if (!u) throw std::invalid_argument(description + " is not an image U-Net");
  return *u;
}

std::unique_ptr<LoadedModel> load_model(const std::string& model, const std::string& dataset,
                                        const std::optional<ScheduleConfig>& schedule, BackendKind backend,
                                        BackendChoice* choice) {
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
  return model_from_checkpoint(std::move(c), model, backend, choice);
}

std::unique_ptr<LoadedModel> model_from_checkpoint(Checkpoint c, const std::string& model,
                                                   BackendKind backend, BackendChoice* choice) {
  if (c.architecture == "classifier")
    throw std::invalid_argument(model +
                                " is an image classifier, not a denoiser (use `difflab classifier eval`)");
  const ModelFamily* family = find_model_family(c.architecture);
  if (!family) throw std::invalid_argument(model + ": unknown architecture '" + c.architecture + "'");
  if (!c.denoiser || (c.architecture != "mlp2d" && c.architecture != "unet" && c.architecture != "dit"))
    throw std::invalid_argument(model + " is a " + family->description + ", not a denoiser");
  auto m = std::make_unique<LoadedModel>();
  m->schedule = make_schedule(c.schedule);
  m->backend = make_backend(backend, choice, family->param_count(c.model_config));
  m->network = family->make(c.model_config, *m->backend);
  m->backend->write(m->network->params(), c.ema_params.data());
  // The denoiser around the network: the families that sample (nn/mlp_denoiser.h, nn/unet_denoiser.h).
  if (auto* net = dynamic_cast<ImageNet*>(m->network.get())) {  // the U-Net, the DiT, …
    const auto* unet = dynamic_cast<const UNet*>(net);
    if (c.prediction != Prediction::Eps)
      throw std::invalid_argument(model + (unet ? ": U-Net" : ": image") + " checkpoints predict eps");
    if (c.flow)  // a velocity read as ε̂ (core/flow.h, train/image_flow_objective.h), so every sampler runs it
      m->denoiser = std::make_unique<ImageFlowDenoiser>(*net, m->schedule);
    else
      m->denoiser = std::make_unique<UNetDenoiser>(*net, m->schedule);
    m->image_height = net->height();
    m->image_width = net->width();
    m->num_classes = net->num_classes();
    m->description = model + " (" + (unet ? describe(unet->config()) : std::string(family->description)) +
                     (c.flow ? ", flow matching" : "") + ", trained on " + c.dataset + " for " +
                     std::to_string(c.step) + " steps)";
    m->checkpoint = std::move(c);
    return m;
  }
  auto& mlp = dynamic_cast<MlpModel&>(*m->network);
  const auto box = c.extra.find("data_box");
  DataBox data_box = box == c.extra.end() ? DataBox{} : parse_data_box(box->second, 2, model);
  if (c.flow)
    m->denoiser = std::make_unique<FlowMlpDenoiser>(mlp, m->schedule, Tensor{}, std::move(data_box));
  else if (c.edm)
    m->denoiser = std::make_unique<EdmMlpDenoiser>(mlp, m->schedule, EdmPrecond{c.sigma_data}, Tensor{},
                                                   std::move(data_box));
  else
    m->denoiser =
        std::make_unique<MlpDenoiser>(mlp, m->schedule, c.prediction, Tensor{}, std::move(data_box));
  m->description = model + " (MLP " + std::to_string(mlp.config().width) + "×" +
                   std::to_string(mlp.config().depth) + (c.edm ? ", EDM preconditioning" : "") +
                   (c.flow ? ", flow matching" : "") + ", trained on " + c.dataset + " for " +
                   std::to_string(c.step) + " steps)";
  m->checkpoint = std::move(c);
  return m;
}

}  // namespace difflab
