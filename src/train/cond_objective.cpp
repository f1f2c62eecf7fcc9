// cond_objective.cpp — label-dropout L_simple for the class-conditional 2-D MLP, its trainer bundle and
// checkpoints. Not a sampler: guided sampling runs the samplers on nn/cond_mlp.h's guided denoiser.
#include "train/cond_objective.h"

#include "nn/backend_factory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace difflab {

CondDiffusionObjective::CondDiffusionObjective(TrainPart& part, CondMlpModel& model, const PointSet& data,
                                               const NoiseSchedule& schedule, int batch, double p_uncond,
                                               uint64_t seed)
    : part_(part),
      model_(model),
      data_(data),
      schedule_(schedule),
      batch_(batch),
      p_uncond_(p_uncond),
      rng_(seed * 0x9E3779B97F4A7C15ULL + 29) {
  if (batch < 1 || batch > 65536) throw std::invalid_argument("batch must be 1 … 65536");
  if (!(p_uncond >= 0 && p_uncond <= 1)) throw std::invalid_argument("p_uncond must be in 0 … 1");
  if (data.size() < 1 || data.labels.size() != static_cast<size_t>(data.size()))
    throw std::invalid_argument("conditional training needs labelled points");
  for (int l : data.labels)
    if (l < 0 || l >= model.num_classes())
      throw std::invalid_argument(
          "a point's label is outside 0 … K − 1 (K = " + std::to_string(model.num_classes()) + ")");
  input_.resize(3 * static_cast<size_t>(batch));
  eps_.resize(2 * static_cast<size_t>(batch));
  out_.resize(2 * static_cast<size_t>(batch));
  d_out_.resize(2 * static_cast<size_t>(batch));
  labels_.resize(batch);
}

StepResult CondDiffusionObjective::step(TrainLoop& loop) {
  const int B = batch_, T = schedule_.T();
  int dropped = 0;
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.size()));
    const int t = static_cast<int>(rng_.below(T));
    const bool drop = rng_.uniform() < p_uncond_;
    labels_[i] = drop ? model_.null_label() : data_.labels[j];
    dropped += drop;
    for (int d = 0; d < 2; ++d) {
      eps_[2 * i + d] = static_cast<float>(rng_.normal());
      input_[3 * i + d] = static_cast<float>(schedule_.sqrt_alpha_bar[t] * data_.xy[2 * j + d] +
                                             schedule_.sqrt_one_minus_alpha_bar[t] * eps_[2 * i + d]);
    }
    input_[3 * i + 2] = static_cast<float>(t);
  }
  last_uncond_fraction_ = static_cast<double>(dropped) / B;
  model_.forward(input_.data(), labels_.data(), B, out_.data());
  double loss = 0;
  for (int k = 0; k < 2 * B; ++k) {
    const double diff = out_[k] - eps_[k];
    loss += diff * diff / (2.0 * B);
    d_out_[k] = static_cast<float>(diff / B);  // ∂/∂out of Σ diff²/(2B)
  }
  StepResult r;
  r.loss = loss;
  if (std::isfinite(loss)) model_.backward(d_out_.data());
  r.diverged = !loop.update(part_, loss, &r.grad_norm);
  return r;
}

OptimizerSettings optimizer_settings(const LabelledTrainSettings& settings) {
  OptimizerSettings s;
  s.adamw.lr = settings.lr;
  s.grad_clip = settings.grad_clip;
  s.ema_decay = settings.ema_decay;
  return s;
}

void read_weights_into(Checkpoint& ck, Model& model, const Tensor& ema, bool ema_only) {
  ck.ema_params.resize(model.num_params());
  model.backend().read(ema, ck.ema_params.data());
  if (!ema_only) {
    ck.params.resize(model.num_params());
    model.backend().read(model.params(), ck.params.data());
  }
}

CondTrainer::CondTrainer(const CondTrainConfig& config)
    : LabelledTrainer(config),
      dataset_(config.custom_points.size() > 0
                   ? Dataset2D::from_points(config.custom_points, "labelled points")
                   : Dataset2D::load(config.dataset)) {
  train_data_ = config.custom_points.size() > 0 ? config.custom_points
                                                : dataset_.sample(config.train_points, config.seed * 2 + 1);
  data_box_ = bounding_box(train_data_.xy.data(), train_data_.xy.size() / 2, 2);
  config_.model.num_classes = dataset_.num_classes();
  if (config.classes_mod > 0) {
    if (config.classes_mod > dataset_.num_classes())
      throw std::invalid_argument("classes_mod must be at most the data set's number of labels");
    for (int& l : train_data_.labels) l %= config.classes_mod;
    config_.model.num_classes = config.classes_mod;
  }
  TrainPart& part = build_model();
  objective_ = std::make_unique<CondDiffusionObjective>(part, *model_, train_data_, schedule_, config.batch,
                                                        config.p_uncond, config.seed);
}

std::unique_ptr<CondMlpDenoiser> CondTrainer::denoiser() {
  return std::make_unique<CondMlpDenoiser>(*model_, schedule_, ema_params(), data_box_);
}

Checkpoint cond_checkpoint_of(CondTrainer& trainer, bool ema_only) {
  const CondTrainConfig& c = trainer.config();
  Checkpoint ck;
  ck.architecture = "mlp2d-cond";
  ck.model_config = trainer.model().config_map();
  ck.schedule = c.schedule;
  ck.prediction = Prediction::Eps;
  ck.dataset = c.dataset;
  ck.loss = "simple";
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  read_weights_into(ck, trainer.model(), trainer.ema_params(), ema_only);
  char number[64];
  std::snprintf(number, sizeof number, "%.6g", c.p_uncond);
  ck.extra["p_uncond"] = number;
  std::snprintf(number, sizeof number, "%.6g", c.lr);
  ck.extra["lr"] = number;
  ck.extra["batch"] = std::to_string(c.batch);
  ck.extra["data_box"] = format_data_box(trainer.data_box());
  return ck;
}

namespace {
// The checkpoint at `path`, which must be of `architecture` (else a CheckpointError calling it `what`), and
// its model config read by `parse` (a bad key: a CheckpointError naming the file).
template <class Config>
Checkpoint load_labelled_checkpoint(const std::string& path, const char* architecture, const char* what,
                                    Config (*parse)(const ModelConfigMap&), Config* config) {
  Checkpoint ck = load_checkpoint(path);
  if (ck.architecture != architecture)
    throw CheckpointError(path + ": architecture '" + ck.architecture + "' is not " + what + " (" +
                          architecture + ")");
  try {
    *config = parse(ck.model_config);
  } catch (const std::invalid_argument& e) {
    throw CheckpointError(path + ": " + e.what());
  }
  return ck;
}
}  // namespace

std::unique_ptr<LoadedCondModel> load_cond_model(const std::string& path, BackendKind backend) {
  CondMlpConfig config;
  const Checkpoint ck = load_labelled_checkpoint(path, "mlp2d-cond", "a class-conditional 2-D model",
                                                 cond_mlp_config_from_map, &config);
  auto m = std::make_unique<LoadedCondModel>();
  m->backend = make_backend(backend, nullptr, mlp_param_count(config.mlp));
  m->model = std::make_unique<CondMlpModel>(config, *m->backend);
  m->schedule = make_schedule(ck.schedule);
  m->ema_storage = m->backend->create_storage(m->model->num_params());
  m->ema = Tensor{m->ema_storage.get(), 0, 1, static_cast<int>(m->model->num_params())};
  m->backend->write(m->ema, ck.ema_params.data());
  m->backend->write(m->model->params(), (ck.params.empty() ? ck.ema_params : ck.params).data());
  if (ck.extra.count("data_box")) m->box = parse_data_box(ck.extra.at("data_box"), 2, path);
  m->denoiser = std::make_unique<CondMlpDenoiser>(*m->model, m->schedule, m->ema, m->box);
  return m;
}

NoiseClassifierObjective::NoiseClassifierObjective(TrainPart& part, NoiseClassifierModel& model,
                                                   const PointSet& data, const NoiseSchedule& schedule,
                                                   int batch, uint64_t seed)
    : part_(part),
      model_(model),
      data_(data),
      schedule_(schedule),
      batch_(batch),
      rng_(seed * 0x9E3779B97F4A7C15ULL + 31) {
  if (batch < 1 || batch > 65536) throw std::invalid_argument("batch must be 1 … 65536");
  if (data.size() < 1 || data.labels.size() != static_cast<size_t>(data.size()))
    throw std::invalid_argument("the classifier needs labelled points");
  for (int l : data.labels)
    if (l < 0 || l >= model.num_classes())
      throw std::invalid_argument("a point's label is outside 0 … K − 1");
  input_.resize(3 * static_cast<size_t>(batch));
  logits_.resize(static_cast<size_t>(batch) * model.num_classes());
  d_logits_.resize(logits_.size());
  labels_.resize(batch);
}

StepResult NoiseClassifierObjective::step(TrainLoop& loop) {
  const int B = batch_, T = schedule_.T(), K = model_.num_classes();
  for (int i = 0; i < B; ++i) {
    const int j = static_cast<int>(rng_.below(data_.size()));
    const int t = static_cast<int>(rng_.below(T));
    labels_[i] = data_.labels[j];
    for (int d = 0; d < 2; ++d)
      input_[3 * i + d] = static_cast<float>(schedule_.sqrt_alpha_bar[t] * data_.xy[2 * j + d] +
                                             schedule_.sqrt_one_minus_alpha_bar[t] * rng_.normal());
    input_[3 * i + 2] = static_cast<float>(t);
  }
  model_.forward(input_.data(), B, logits_.data());
  double loss = 0;
  int correct = 0;
  for (int i = 0; i < B; ++i) {
    const float* z = logits_.data() + static_cast<size_t>(i) * K;
    const float top = *std::max_element(z, z + K);
    double sum = 0;
    for (int k = 0; k < K; ++k) sum += std::exp(static_cast<double>(z[k] - top));
    loss += (top + std::log(sum) - z[labels_[i]]) / B;
    correct += static_cast<int>(std::max_element(z, z + K) - z) == labels_[i];
    for (int k = 0; k < K; ++k)  // ∂(−log softmax_y)/∂z = softmax − onehot, averaged over the batch
      d_logits_[static_cast<size_t>(i) * K + k] =
          static_cast<float>((std::exp(z[k] - top) / sum - (k == labels_[i])) / B);
  }
  last_accuracy_ = static_cast<double>(correct) / B;
  StepResult r;
  r.loss = loss;
  if (std::isfinite(loss)) model_.backward(d_logits_.data());
  r.diverged = !loop.update(part_, loss, &r.grad_norm);
  return r;
}

NoiseClassifierTrainer::NoiseClassifierTrainer(const NoiseClassifierTrainConfig& config)
    : LabelledTrainer(config) {
  if (config.custom_points.size() > 0) {
    train_data_ = config.custom_points;
  } else {
    const Dataset2D data = Dataset2D::load(config.dataset);
    train_data_ = data.sample(config.train_points, config.seed * 2 + 1);
  }
  if (config.classes_mod > 0)
    for (int& l : train_data_.labels) l %= config.classes_mod;
  int max_label = 0;
  for (int l : train_data_.labels) max_label = std::max(max_label, l);
  config_.model.num_classes = std::max(2, max_label + 1);
  TrainPart& part = build_model();
  objective_ = std::make_unique<NoiseClassifierObjective>(part, *model_, train_data_, schedule_, config.batch,
                                                          config.seed);
}

Checkpoint noise_classifier_checkpoint_of(NoiseClassifierTrainer& trainer, bool ema_only) {
  const NoiseClassifierTrainConfig& c = trainer.config();
  Checkpoint ck;
  ck.architecture = "mlp2d-noise-classifier";
  ck.model_config = trainer.model().config_map();
  // Not a denoiser, but it keeps the denoiser's schedule keys: its t is a code index of that schedule, and
  // classifier guidance checks it against the model's T.
  ck.denoiser = true;
  ck.schedule = c.schedule;
  ck.dataset = c.custom_points.size() > 0 ? "points" : c.dataset;
  ck.loss = "cross-entropy";
  ck.step = trainer.step_count();
  ck.seed = c.seed;
  read_weights_into(ck, trainer.model(), trainer.ema_params(), ema_only);
  if (c.classes_mod > 0) ck.extra["classes_mod"] = std::to_string(c.classes_mod);
  return ck;
}

std::unique_ptr<LoadedNoiseClassifier> load_noise_classifier(const std::string& path, BackendKind backend) {
  NoiseClassifierConfig config;
  const Checkpoint ck =
      load_labelled_checkpoint(path, "mlp2d-noise-classifier", "a noise-conditional classifier",
                               noise_classifier_config_from_map, &config);
  auto m = std::make_unique<LoadedNoiseClassifier>();
  m->backend = make_backend(backend, nullptr, mlp_param_count(config.mlp));
  m->model = std::make_unique<NoiseClassifierModel>(config, *m->backend);
  m->backend->write(m->model->params(), ck.ema_params.data());
  m->schedule = make_schedule(ck.schedule);
  return m;
}

}  // namespace difflab
