// clip_run.cpp — the mini-CLIP's live run: a TrainJob (steps, and an evaluation of the embeddings whenever
// twice its own time has gone into training) on a LiveRunner. Not a UI. The job loads data and builds the
// model in start(), on the worker, so a panel never waits for it.
#include "train/clip_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "data/captions.h"
#include "train/clip_objective.h"

namespace difflab {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

class ClipJob final : public TrainJob {
 public:
  explicit ClipJob(const ClipRunConfig& c) : config(c), published(std::make_shared<ClipRunSnapshot>()) {
    state.shipped = c.shipped;
  }
  ClipRunConfig config;
  std::unique_ptr<ClipTrainer> trainer;
  ClipRunSnapshot state;
  std::shared_ptr<const ClipRunSnapshot> published;
  double budget = 0.5, trained = 0, loss_sum = 0;
  int loss_count = 0;
  bool broken = false, evaluated_once = false;

  void start() override {
    ImageDataset train = load_image_dataset(config.dataset, true);
    ImageDataset test = load_image_dataset(config.dataset, false);
    auto pool = std::make_shared<ImageDataset>();
    pool->description = test.description;
    pool->height = test.height;
    pool->width = test.width;
    pool->count = std::min(config.pool, test.count);
    pool->pixels.assign(test.pixels.begin(),
                        test.pixels.begin() + static_cast<std::ptrdiff_t>(pool->count) * test.dim());
    pool->labels.assign(test.labels.begin(), test.labels.begin() + pool->count);
    pool->num_classes = test.num_classes;
    pool->class_names = test.class_names;
    state.pool = pool;
    auto captions = std::make_shared<std::vector<std::string>>();
    auto labels = std::make_shared<std::vector<int>>();
    for (int c = 0; c < kCaptionClasses; ++c)
      for (const std::string& t : all_captions(c)) {
        captions->push_back(t);
        labels->push_back(c);
      }
    state.captions = captions;
    state.caption_labels = labels;
    ClipTrainConfig tc;
    tc.dataset = config.dataset;
    tc.batch = config.batch;
    tc.steps = config.steps;
    tc.seed = config.seed;
    tc.threads = 1;
    trainer = std::make_unique<ClipTrainer>(tc, std::move(train));
    if (config.shipped) {
      const auto loaded = load_clip(config.checkpoint.empty() ? default_clip_path() : config.checkpoint, 1);
      trainer->load_weights(loaded->checkpoint.ema_params, loaded->checkpoint.step);
      state.step = loaded->checkpoint.step;
    }
    state.ready = true;
  }

  StepResult step() override {
    const auto t0 = Clock::now();
    const StepResult r = trainer->step();
    const double seconds = since(t0);
    state.train_seconds += seconds;
    trained += seconds;
    ++state.step;
    const double a = trainer->objective().last_metrics()[0].second;
    const bool first = state.loss == 0;
    state.loss = first ? r.loss : 0.95 * state.loss + 0.05 * r.loss;
    state.batch_accuracy = first ? a : 0.95 * state.batch_accuracy + 0.05 * a;
    loss_sum += r.loss;
    if (++loss_count == 10) {
      state.loss_history.push_back(static_cast<float>(loss_sum / 10));
      loss_sum = 0;
      loss_count = 0;
    }
    return r;
  }
  int step_count() const override { return state.step; }
  void after_step(const StepResult&, const JobHooks&) override {
    if (trained >= budget) evaluate();
  }
  void on_error(const std::exception& e) override {
    broken = true;
    state.error = e.what();
  }

  std::shared_ptr<const void> snapshot(const RunInfo& info) override {
    if (!broken && state.ready && (!evaluated_once || (info.stopped && state.eval->step != state.step)))
      evaluate();
    if (info.steps_per_s > 0) state.steps_per_s = info.steps_per_s;
    published = std::make_shared<ClipRunSnapshot>(state);
    return published;
  }

  void evaluate() {
    const auto t0 = Clock::now();
    ClipModel& model = trainer->model();
    model.set_params_view(trainer->eval_params());
    auto e = std::make_shared<ClipEval>();
    e->step = state.step;
    e->dim = model.embed_dim();
    e->logit_scale = model.logit_scale();
    e->images = model.encode_images(state.pool->pixels.data(), state.pool->count, 250);
    std::vector<std::vector<int>> tokens;
    for (const std::string& t : *state.captions) tokens.push_back(caption_tokenizer().encode(t));
    e->captions = model.encode_texts(tokens);
    const ZeroShotPrompts kinds[3] = {ZeroShotPrompts::Spanish, ZeroShotPrompts::English,
                                      ZeroShotPrompts::Ensemble};
    const int d = e->dim, P = state.pool->count;
    for (int k = 0; k < 3; ++k) {
      e->prompts[k] = clip_class_embeddings(model, zero_shot_prompts(kinds[k]));
      int correct = 0;
      for (int i = 0; i < P; ++i) {
        int best = 0;
        double best_dot = -2;
        for (int c = 0; c < kCaptionClasses; ++c) {
          double dot = 0;
          for (int j = 0; j < d; ++j)
            dot += static_cast<double>(e->images[static_cast<size_t>(i) * d + j]) * e->prompts[k][c * d + j];
          if (dot > best_dot) best_dot = dot, best = c;
        }
        correct += best == state.pool->labels[i];
      }
      e->zero_shot[k] = P > 0 ? static_cast<double>(correct) / P : 0;
    }
    model.use_own_params();
    state.eval = e;
    evaluated_once = true;
    budget = std::max(0.5, 2 * since(t0));
    trained = 0;
  }
};

ClipRun::ClipRun(const ClipRunConfig& config, bool playing) : empty_(std::make_shared<ClipRunSnapshot>()) {
  runner_ = std::make_unique<LiveRunner>(
      [config]() -> std::unique_ptr<TrainJob> { return std::make_unique<ClipJob>(config); }, playing);
}

ClipRun::~ClipRun() = default;

std::shared_ptr<const ClipRunSnapshot> ClipRun::snapshot() const {
  std::shared_ptr<const ClipRunSnapshot> s = runner_->snapshot<ClipRunSnapshot>();
  return s ? s : empty_;
}

}  // namespace difflab
