// cli_schedule.cpp — `difflab schedule`: every schedule quantity per code index t, as CSV or JSON.
// Not a plot: the GUI's schedules panel draws the same numbers.
#include <cstdio>
#include <vector>

#include "app/cli.h"

namespace difflab {

void add_schedule_options(ArgParser& p, bool with_defaults) {
  p.option("schedule", "NAME", "linear | quadratic | cosine | sigmoid", with_defaults ? "linear" : "")
      .option("T", "N", "number of diffusion steps, 2 … 4000", with_defaults ? "1000" : "")
      .option("beta-start", "B", "first β (linear and quadratic)", with_defaults ? "1e-4" : "")
      .option("beta-end", "B", "last β (linear and quadratic)", with_defaults ? "0.02" : "");
}

std::optional<ScheduleConfig> schedule_from_options(const ArgParser& p, const ScheduleConfig& defaults) {
  const bool any = p.has("schedule") || p.has("T") || p.has("beta-start") || p.has("beta-end");
  if (!any) return std::nullopt;
  ScheduleConfig c = defaults;
  if (p.has("schedule") && !parse_schedule_kind(p.get("schedule"), &c.kind))
    throw UsageError("--schedule must be linear, quadratic, cosine or sigmoid (got '" + p.get("schedule") + "')");
  if (p.has("T")) c.T = p.get_int("T", 2, 4000);
  if (p.has("beta-start")) c.beta_start = p.get_double("beta-start", 1e-12, 0.999);
  if (p.has("beta-end")) c.beta_end = p.get_double("beta-end", 1e-12, 0.999);
  return c;
}

int cli_schedule(int argc, char** argv) {
  ArgParser p("difflab schedule [options]",
              "Prints every quantity derived from a β schedule, one row per code index t = 0 … T−1\n"
              "(the paper's t+1; conventions of Ho et al. 2020 and diffusers).");
  add_schedule_options(p, true);
  p.option("format", "csv|json", "output format", "csv");
  if (!p.parse(argc, argv, 2)) return 0;
  const NoiseSchedule s = make_schedule(*schedule_from_options(p, ScheduleConfig{}));
  const std::string format = p.get("format");
  if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
  const char* names[] = {"beta", "alpha", "alpha_bar", "alpha_bar_prev", "sqrt_alpha_bar",
                         "sqrt_one_minus_alpha_bar", "posterior_variance", "posterior_log_variance_clipped",
                         "posterior_mean_coef1", "posterior_mean_coef2", "snr", "vlb_weight"};
  const std::vector<double>* columns[] = {&s.beta, &s.alpha, &s.alpha_bar, &s.alpha_bar_prev, &s.sqrt_alpha_bar,
                                          &s.sqrt_one_minus_alpha_bar, &s.posterior_variance,
                                          &s.posterior_log_variance_clipped, &s.posterior_mean_coef1,
                                          &s.posterior_mean_coef2, &s.snr, &s.vlb_weight};
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
