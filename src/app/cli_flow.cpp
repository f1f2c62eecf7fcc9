// cli_flow.cpp — `difflab flow train|compare|field`: flow matching and Reflow on 2-D data (issue 14 §1).
// Not VP diffusion (`difflab train`); a flow checkpoint also samples with `difflab sample --model F.ckpt`.
#include <cstdio>
#include <cstring>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "core/metrics.h"
#include "data/toy2d.h"
#include "nn/mlp_denoiser.h"
#include "sample/sampler.h"
#include "train/checkpoint.h"
#include "train/flow_trainer.h"
#include "train/trainer.h"

namespace difflab {
namespace {

void add_training_options(ArgParser& p) {
  p.option("dataset", "D", "2-D data set (preset, gmm:FILE.json, csv:FILE.csv)", "8gaussians")
      .option("steps", "N", "optimizer steps", "4000")
      .option("batch", "B", "batch size", "256")
      .option("lr", "LR", "AdamW learning rate", "0.002")
      .option("time", "uniform|logit-normal", "how t is drawn (logit-normal: SD3's, m = 0, s = 1)", "uniform")
      .option("seed", "S", "random seed", "0")
      .option("backend", "cpu|gl|auto", "where the model runs", "cpu");
}

FlowTrainConfig training_config(const ArgParser& p) {
  FlowTrainConfig c;
  c.dataset = p.get("dataset");
  c.steps = p.get_int("steps", 1, 10000000);
  c.batch = p.get_int("batch", 1, 65536);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-8, 10));
  if (!parse_flow_time_distribution(p.get("time"), &c.time_distribution))
    throw UsageError("--time must be uniform or logit-normal, not '" + p.get("time") + "'");
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  if (!parse_backend_kind(p.get("backend"), &c.backend))
    throw UsageError(std::string("--backend must be one of ") + kBackendKindNames);
  return c;
}

void train_with_progress(FlowTrainer& trainer, const std::string& label) {
  ProgressBar bar(label, trainer.config().steps);
  double loss = 0;
  for (int i = 0; i < trainer.config().steps; ++i) {
    const StepResult r = trainer.step();
    loss = r.loss;
    char extra[64];
    std::snprintf(extra, sizeof extra, "loss %.4f", loss);
    bar.update(i + 1, extra);
  }
}

// The pairs of a Reflow round, with a progress line (an ODE per pair).
CoupledPairs pairs_with_progress(VelocityField& field, int n, int steps, uint64_t seed) {
  std::fprintf(stderr, "coupling %d noise draws to their endpoints (%d Heun steps each)…\n", n, steps);
  return couple_pairs(field, n, steps, seed);
}

int flow_train(int argc, char** argv) {
  ArgParser p(
      "difflab flow train [--dataset D] [--steps N] [--time uniform|logit-normal] "
      "[--reflow-from F.ckpt [--pairs N] [--pair-steps K]] --out F.ckpt",
      "Trains a 2-D MLP by flow matching: xₜ = (1 − t)·x₀ + t·ε, target v = ε − x₀ (Lipman et al. 2023; "
      "Liu et al. 2023). With --reflow-from, retrains on the (x₀, ε) pairs that flow couples (Reflow).");
  add_training_options(p);
  p.option("reflow-from", "F.ckpt", "a flow checkpoint whose ODE makes the training pairs")
      .option("pairs", "N", "Reflow: number of pairs", "8000")
      .option("pair-steps", "K", "Reflow: Heun steps per pair", "50")
      .option("out", "F.ckpt", "where to write the checkpoint");
  if (!p.parse(argc, argv, 3)) return 0;
  const FlowTrainConfig config = training_config(p);
  const std::string out = p.require("out");
  CoupledPairs pairs;
  if (p.given("reflow-from")) {
    auto model = load_model(p.get("reflow-from"), config.dataset, std::nullopt);
    if (!model->checkpoint || !model->checkpoint->flow)
      throw UsageError("--reflow-from needs a flow checkpoint (header 'prediction = flow'); " +
                       p.get("reflow-from") + " is not one");
    auto& mlp = dynamic_cast<MlpModel&>(*model->network);
    MlpVelocity velocity(mlp);
    pairs = pairs_with_progress(velocity, p.get_int("pairs", 1, 10000000), p.get_int("pair-steps", 1, 10000),
                                config.seed + 777);
  }
  FlowTrainer trainer(config, std::move(pairs));
  train_with_progress(trainer, trainer.reflow() ? "reflow" : "flow");
  save_checkpoint(out, trainer.checkpoint(false));
  const FlowPath path = trainer.sample(config.eval_points, 50, FlowMethod::Heun, config.seed + 1000003);
  std::fprintf(stderr, "wrote %s (sliced W2 with 50 Heun steps %.4f, data floor %.4f)\n", out.c_str(),
               sliced_wasserstein2(path.x, trainer.eval_data().xy), trainer.swd_floor());
  return 0;
}

struct Row {
  std::string name;
  std::vector<double> w2;  // per step count
  std::vector<double> straightness;
};

int flow_compare(int argc, char** argv) {
  ArgParser p("difflab flow compare [--dataset D] [--steps N] [--seed S] [--format text|json]",
              "Trains a flow, two Reflow rounds and a VP diffusion model (ε, DDIM) with the same steps, and "
              "prints sliced W2 against held-out data at 1, 2, 4 and 8 steps, with each flow's straightness "
              "(Liu et al. 2023). The exact velocity (for mixtures) is the reference row.");
  add_training_options(p);
  p.option("pairs", "N", "Reflow: pairs per round", "8000")
      .option("samples", "N", "points per W2 estimate", "1000")
      .option("format", "text|json", "output", "text");
  if (!p.parse(argc, argv, 3)) return 0;
  const FlowTrainConfig config = training_config(p);
  const int pairs = p.get_int("pairs", 1, 10000000), n = p.get_int("samples", 2, 1000000);
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  const std::vector<int> budgets = {1, 2, 4, 8};

  std::vector<Row> rows;
  std::vector<std::unique_ptr<FlowTrainer>> flows;
  for (int round = 0; round < 3; ++round) {
    FlowTrainConfig c = config;
    c.seed = config.seed + static_cast<uint64_t>(round);
    CoupledPairs coupled;
    if (round > 0) {
      MlpVelocity previous(flows.back()->model(), flows.back()->ema_params());
      coupled = pairs_with_progress(previous, pairs, 50, config.seed + 100 + round);
    }
    flows.push_back(std::make_unique<FlowTrainer>(c, std::move(coupled)));
    const std::string name = round == 0 ? "flow" : "reflow-" + std::to_string(round);
    train_with_progress(*flows.back(), name);
    Row row{name, {}, {}};
    for (int steps : budgets) {
      const FlowPath path = flows.back()->sample(n, steps, FlowMethod::Euler, config.seed + 4242);
      row.w2.push_back(sliced_wasserstein2(path.x, flows.front()->eval_data().xy));
      row.straightness.push_back(path.straightness);
    }
    rows.push_back(row);
  }
  const PointSet& held_out = flows.front()->eval_data();
  if (flows.front()->dataset().is_mixture()) {
    ExactVelocity exact(flows.front()->dataset().oracle_mixture());
    Row row{"exact flow", {}, {}};
    for (int steps : budgets) {
      const FlowPath path =
          integrate_flow(exact, standard_normal(2 * n, config.seed + 4242), steps, FlowMethod::Euler);
      row.w2.push_back(sliced_wasserstein2(path.x, held_out.xy));
      row.straightness.push_back(path.straightness);
    }
    rows.push_back(row);
  }
  {
    TrainConfig vp;
    vp.dataset = config.dataset;
    vp.steps = config.steps;
    vp.batch = config.batch;
    vp.optimizer.lr = config.optimizer.lr;
    vp.seed = config.seed;
    vp.eval_every = 0;
    Trainer trainer(vp);
    ProgressBar bar("diffusion", vp.steps);
    for (int i = 0; i < vp.steps; ++i) {
      trainer.step();
      bar.update(i + 1);
    }
    MlpDenoiser denoiser(trainer.model(), trainer.schedule(), vp.prediction, trainer.ema_params(),
                         trainer.data_box());
    Row row{"DDIM (ε-model)", {}, {}};
    for (int steps : budgets) {
      SamplerConfig sc;
      sc.kind = SamplerKind::Ddim;
      sc.steps = steps;
      sc.spacing = Spacing::Trailing;
      sc.record_trajectory = false;
      Sampler sampler(denoiser, sc);
      sampler.begin(standard_normal(2 * n, config.seed + 4242), config.seed + 1);
      sampler.run();
      row.w2.push_back(sliced_wasserstein2(sampler.x(), held_out.xy));
      row.straightness.push_back(-1);
    }
    rows.push_back(row);
  }
  const double floor = flows.front()->swd_floor();
  if (format == "json") {
    std::printf(
        "{\"dataset\": \"%s\", \"train_steps\": %d, \"floor\": %.6g, \"steps\": [1, 2, 4, 8], \"rows\": [",
        config.dataset.c_str(), config.steps, floor);
    for (size_t r = 0; r < rows.size(); ++r) {
      std::printf("%s{\"name\": \"%s\", \"sliced_w2\": [", r ? ", " : "", rows[r].name.c_str());
      for (size_t k = 0; k < budgets.size(); ++k) std::printf("%s%.6g", k ? ", " : "", rows[r].w2[k]);
      std::printf("], \"straightness\": [");
      for (size_t k = 0; k < budgets.size(); ++k)
        std::printf("%s%.6g", k ? ", " : "", rows[r].straightness[k]);
      std::printf("]}");
    }
    std::printf("]}\n");
    return 0;
  }
  std::printf("sliced W2 against %d held-out points of %s (data-vs-data floor %.4f), Euler steps:\n",
              held_out.size(), config.dataset.c_str(), floor);
  std::printf("%-16s %8s %8s %8s %8s   straightness (8 steps)\n", "", "1", "2", "4", "8");
  for (const Row& row : rows) {
    std::printf("%-16s", row.name.c_str());
    for (double w : row.w2) std::printf(" %8.4f", w);
    if (row.straightness.back() >= 0) std::printf("   %.4f", row.straightness.back());
    std::printf("\n");
  }
  return 0;
}

int flow_field(int argc, char** argv) {
  ArgParser p(
      "difflab flow field --dataset D --t T [--grid N] [--range R] [--out FILE.csv]",
      "The exact flow-matching velocity v*(x, t) = E[ε − x₀ | xₜ = x] of a 2-D data set (its Gaussian "
      "mixture, or its points) on an N × N grid over [−R, R]²: CSV x,y,vx,vy.");
  p.option("dataset", "D", "2-D data set", "8gaussians")
      .option("t", "T", "time in [0, 1] (1 = noise)", "0.5")
      .option("grid", "N", "grid points per side", "21")
      .option("range", "R", "half-width of the grid", "3")
      .option("out", "FILE.csv", "where to write (default: standard output)");
  if (!p.parse(argc, argv, 3)) return 0;
  const Dataset2D data = Dataset2D::load(p.get("dataset"));
  ExactVelocity field(data.oracle_mixture());
  const double t = p.get_double("t", 0, 1), range = p.get_double("range", 1e-6, 1e6);
  const int grid = p.get_int("grid", 1, 2000);
  std::vector<float> xy;
  for (int i = 0; i < grid; ++i)
    for (int j = 0; j < grid; ++j) {
      xy.push_back(static_cast<float>(grid == 1 ? 0 : -range + 2 * range * j / (grid - 1)));
      xy.push_back(static_cast<float>(grid == 1 ? 0 : -range + 2 * range * i / (grid - 1)));
    }
  std::vector<float> v(xy.size());
  field.predict_velocity(xy.data(), grid * grid, t, v.data());
  FILE* out = p.given("out") ? std::fopen(p.get("out").c_str(), "w") : stdout;
  if (!out) throw std::runtime_error("cannot write " + p.get("out"));
  std::fprintf(out, "x,y,vx,vy\n");
  for (size_t k = 0; k < xy.size(); k += 2)
    std::fprintf(out, "%.6g,%.6g,%.6g,%.6g\n", xy[k], xy[k + 1], v[k], v[k + 1]);
  if (out != stdout) std::fclose(out);
  return 0;
}

}  // namespace

// `difflab field --objective flow`: the velocity v(x, t), t ∈ [0, 1], of the exact flow (--model oracle), of
// a flow checkpoint, or of a VP checkpoint read as a velocity (core/flow.h's DenoiserVelocity): CSV
// x,y,vx,vy.
int cli_field_flow(int argc, char** argv) {
  ArgParser p(
      "difflab field --objective flow --model oracle|CKPT --dataset D --t T (--at x,y | --grid "
      "xmin,xmax,ymin,ymax,n) [--out FILE.csv]",
      "The flow-matching velocity v(x, t) at flow time t ∈ [0, 1] (1 = noise, xₜ = (1 − t)·x₀ + t·ε):\n"
      "oracle = the exact E[ε − x₀ | xₜ = x] of the data set's mixture (or its points); a flow checkpoint = "
      "its\nnetwork; a diffusion checkpoint = its ε̂ read as a velocity, v = (ε̂ − x)/(1 − t) at ᾱ(t).");
  p.option("objective", "eps|flow", "flow here (eps: the diffusion quantities, the default)", "flow")
      .option("model", "oracle|CKPT", "the exact velocity or a 2-D checkpoint", "oracle")
      .option("dataset", "D", "2-D data set (for oracle)", "")
      .option("t", "T", "flow time in [0, 1]")
      .option("at", "x,y", "one point")
      .option("grid", "xmin,xmax,ymin,ymax,n", "an n × n grid")
      .option("out", "FILE.csv", "output (default: standard output)");
  if (!p.parse(argc, argv, 2)) return 0;
  if (p.get("objective") != "flow") throw UsageError("--objective must be eps or flow");
  const double t = p.get_double("t", 0, 1);
  if (p.has("at") == p.has("grid")) throw UsageError("give exactly one of --at and --grid");
  std::vector<float> xy;
  if (p.has("at")) {
    const auto v = parse_number_list(p.get("at"), "at", 2);
    xy = {static_cast<float>(v[0]), static_cast<float>(v[1])};
  } else {
    const auto g = parse_number_list(p.get("grid"), "grid", 5);
    const int n = static_cast<int>(g[4]);
    if (n < 1 || n > 2000 || g[4] != n) throw UsageError("--grid: n must be a whole number 1 … 2000");
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const double fx = n == 1 ? 0.5 : static_cast<double>(i) / (n - 1);
        const double fy = n == 1 ? 0.5 : static_cast<double>(j) / (n - 1);
        xy.push_back(static_cast<float>(g[0] + fx * (g[1] - g[0])));
        xy.push_back(static_cast<float>(g[2] + fy * (g[3] - g[2])));
      }
  }
  const int n = static_cast<int>(xy.size() / 2);
  std::vector<float> v(xy.size());
  const std::string model_name = p.get("model");
  if (model_name == "oracle" || model_name == "exact") {
    if (p.get("dataset").empty()) throw UsageError("the exact velocity needs --dataset");
    ExactVelocity exact(Dataset2D::load(p.get("dataset")).oracle_mixture());
    exact.predict_velocity(xy.data(), n, t, v.data());
  } else {
    auto model = load_model(model_name, p.get("dataset"), std::nullopt);
    if (model->is_image()) throw UsageError("field is for 2-D models; for images use sample or eval");
    if (model->checkpoint && model->checkpoint->flow) {
      MlpVelocity velocity(dynamic_cast<MlpModel&>(*model->network));
      velocity.predict_velocity(xy.data(), n, t, v.data());
    } else {
      DenoiserVelocity velocity(model->model());
      velocity.predict_velocity(xy.data(), n, t, v.data());
    }
  }
  std::string csv = "x,y,vx,vy\n";
  char line[160];
  for (int i = 0; i < n; ++i) {
    std::snprintf(line, sizeof line, "%.9g,%.9g,%.9g,%.9g\n", xy[2 * i], xy[2 * i + 1], v[2 * i],
                  v[2 * i + 1]);
    csv += line;
  }
  if (p.has("out"))
    write_file_atomically(p.get("out"), csv);
  else
    std::fputs(csv.c_str(), stdout);
  return 0;
}

int cli_flow(int argc, char** argv) {
  const char* usage =
      "difflab flow train|compare|field …   flow matching and Reflow on 2-D data (--help after each)\n";
  if (argc < 3 || std::strcmp(argv[2], "--help") == 0) {
    std::printf("%s", usage);
    return argc < 3 ? 2 : 0;
  }
  const std::string sub = argv[2];
  if (sub == "train") return flow_train(argc, argv);
  if (sub == "compare") return flow_compare(argc, argv);
  if (sub == "field") return flow_field(argc, argv);
  throw UsageError("unknown 'flow' command '" + sub + "'\n" + usage);
}

}  // namespace difflab
