// cli_schedule.cpp — `difflab schedule`: every schedule quantity per code index t, as CSV or JSON.
// Not a plot: the GUI's schedules panel draws the same numbers.
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/cli.h"
#include "data/idx.h"
#include "train/image_trainer.h"
#include "train/trainer.h"

namespace difflab {

const char* const kScheduleRule =
    "Schedule rule (every command): an option not given takes the default of the data kind — 2-D data:\n"
    "linear, T = 100, β 1e-3 … 0.2; images (fashion-mnist, idx:…): linear, T = 1000, β 1e-4 … 0.02\n"
    "(Ho et al. 2020). A checkpoint's own schedule always wins; an option that contradicts it is an error.";

DataKind data_kind_of(const std::string& dataset) {
  return is_image_dataset_spec(dataset) ? DataKind::Images : DataKind::Points2D;
}

ScheduleConfig default_schedule(DataKind kind) {
  return kind == DataKind::Images ? ImageTrainConfig{}.schedule : TrainConfig{}.schedule;
}

void add_schedule_options(ArgParser& p) {
  p.option("schedule", "NAME", "linear | quadratic | cosine | sigmoid (default linear)")
      .option("T", "N", "number of diffusion steps, 2 … 4000 (default: 100 for 2-D data, 1000 for images)")
      .option("beta-start", "B",
              "first β, linear and quadratic (default: 1e-3 for 2-D data, 1e-4 for images)")
      .option("beta-end", "B", "last β, linear and quadratic (default: 0.2 for 2-D data, 0.02 for images)");
}

std::optional<ScheduleConfig> schedule_from_options(const ArgParser& p, DataKind kind) {
  const bool any = p.given("schedule") || p.given("T") || p.given("beta-start") || p.given("beta-end");
  if (!any) return std::nullopt;
  ScheduleConfig c = default_schedule(kind);
  if (p.given("schedule") && !parse_schedule_kind(p.get("schedule"), &c.kind))
    throw UsageError("--schedule must be linear, quadratic, cosine or sigmoid (got '" + p.get("schedule") +
                     "')");
  if (p.given("T")) c.T = p.get_int("T", 2, 4000);
  if (p.given("beta-start")) c.beta_start = p.get_double("beta-start", 1e-12, 0.999);
  if (p.given("beta-end")) c.beta_end = p.get_double("beta-end", 1e-12, 0.999);
  return c;
}

void check_schedule_options_against(const ArgParser& p, const ScheduleConfig& trained,
                                    const std::string& checkpoint) {
  const auto wanted = schedule_from_options(p, DataKind::Points2D);  // validates every given value
  if (!wanted) return;
  std::string conflicts;
  auto add = [&](const std::string& option, const std::string& given, const std::string& stored) {
    conflicts +=
        (conflicts.empty() ? "" : ", ") + option + " " + given + " (the checkpoint has " + stored + ")";
  };
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return std::string(text);
  };
  if (p.given("schedule") && wanted->kind != trained.kind)
    add("--schedule", p.get("schedule"), schedule_kind_name(trained.kind));
  if (p.given("T") && wanted->T != trained.T) add("--T", p.get("T"), std::to_string(trained.T));
  if (p.given("beta-start") && std::abs(wanted->beta_start - trained.beta_start) > 1e-12 * trained.beta_start)
    add("--beta-start", p.get("beta-start"), number(trained.beta_start));
  if (p.given("beta-end") && std::abs(wanted->beta_end - trained.beta_end) > 1e-12 * trained.beta_end)
    add("--beta-end", p.get("beta-end"), number(trained.beta_end));
  if (!conflicts.empty())
    throw UsageError(checkpoint + " was trained with its own schedule, which always wins: " + conflicts +
                     "; drop the option or give the checkpoint's value");
}

std::unique_ptr<LoadedModel> load_model_from_options(const ArgParser& p) {
  const std::string model = p.require("model");
  const std::string dataset = p.get("dataset");
  if (model == "oracle" || model == "exact")
    return load_model(
        model, dataset,
        schedule_from_options(p, data_kind_of(dataset)).value_or(default_schedule(data_kind_of(dataset))));
  BackendChoice choice;
  auto loaded = load_model(model, dataset, std::nullopt, backend_from_options(p), &choice);
  print_backend_note(choice);
  if (loaded->checkpoint) check_schedule_options_against(p, loaded->checkpoint->schedule, model);
  return loaded;
}

void add_backend_option(ArgParser& p) {
  p.option(
      "backend", "cpu|gl|auto",
      "where the network runs: cpu, gl (OpenGL 4.3 compute shaders) or auto (gl for models of at least " +
          std::to_string(kAutoGlMinParams) + " parameters when OpenGL 4.3 is there, else cpu)",
      "cpu");
}

BackendKind backend_from_options(const ArgParser& p) {
  if (!p.has("backend")) return BackendKind::cpu;
  BackendKind kind = BackendKind::cpu;
  const std::string name = p.get("backend");
  if (!parse_backend_kind(name, &kind) || kind == BackendKind::reference)
    throw UsageError("--backend must be cpu, gl or auto (not '" + name + "')");
  return kind;
}

void print_backend_note(const BackendChoice& choice) {
  static bool printed = false;
  if (choice.note.empty() || printed) return;
  printed = true;
  std::fprintf(stderr, "backend: %s\n", choice.note.c_str());
}

int cli_schedule(int argc, char** argv) {
  ArgParser p("difflab schedule [options]",
              "Prints every quantity derived from a β schedule, one row per code index t = 0 … T−1\n"
              "(the paper's t+1; conventions of Ho et al. 2020 and diffusers).\n" +
                  std::string(kScheduleRule));
  add_schedule_options(p);
  p.option("dataset", "D", "the data kind whose defaults fill options not given (default: 2-D data)")
      .option("format", "csv|json", "output format", "csv");
  if (!p.parse(argc, argv, 2)) return 0;
  const DataKind kind = data_kind_of(p.get("dataset"));
  const NoiseSchedule s = make_schedule(schedule_from_options(p, kind).value_or(default_schedule(kind)));
  const std::string format = p.get("format");
  if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
  const char* names[] = {"beta",
                         "alpha",
                         "alpha_bar",
                         "alpha_bar_prev",
                         "sqrt_alpha_bar",
                         "sqrt_one_minus_alpha_bar",
                         "posterior_variance",
                         "posterior_log_variance_clipped",
                         "posterior_mean_coef1",
                         "posterior_mean_coef2",
                         "snr",
                         "vlb_weight"};
  const std::vector<double>* columns[] = {&s.beta,
                                          &s.alpha,
                                          &s.alpha_bar,
                                          &s.alpha_bar_prev,
                                          &s.sqrt_alpha_bar,
                                          &s.sqrt_one_minus_alpha_bar,
                                          &s.posterior_variance,
                                          &s.posterior_log_variance_clipped,
                                          &s.posterior_mean_coef1,
                                          &s.posterior_mean_coef2,
                                          &s.snr,
                                          &s.vlb_weight};
  if (format == "csv") {
    std::printf("t");
    for (const char* n : names) std::printf(",%s", n);
    std::printf("\n");
    for (int t = 0; t < s.T(); ++t) {
      std::printf("%d", t);
      for (const auto* c : columns) std::printf(",%.17g", (*c)[t]);
      std::printf("\n");
    }
    return 0;
  }
  std::printf("{\n  \"schedule\": \"%s\",\n  \"T\": %d,\n  \"formula\": \"%s\",\n  \"t\": [",
              schedule_kind_name(s.config.kind).c_str(), s.T(), schedule_formula(s.config.kind).c_str());
  for (int t = 0; t < s.T(); ++t) std::printf("%s%d", t ? ", " : "", t);
  std::printf("]");
  for (size_t i = 0; i < std::size(names); ++i) {
    std::printf(",\n  \"%s\": [", names[i]);
    for (int t = 0; t < s.T(); ++t) std::printf("%s%.17g", t ? ", " : "", (*columns[i])[t]);
    std::printf("]");
  }
  std::printf("\n}\n");
  return 0;
}

}  // namespace difflab
