// cli.h — the headless commands of `difflab` (schedule, data, train, sample, field, eval, bench).
// Not the GUI: every command is a thin layer over the libraries and returns a process exit code.
#pragma once

#include <optional>
#include <string>

#include "app/args.h"
#include "core/schedule.h"

namespace difflab {

int cli_schedule(int argc, char** argv);
int cli_data(int argc, char** argv);
int cli_train(int argc, char** argv);
int cli_sample(int argc, char** argv);
int cli_field(int argc, char** argv);
int cli_eval(int argc, char** argv);
int cli_bench(int argc, char** argv);
int cli_classifier(int argc, char** argv);

// Shared option groups.
void add_schedule_options(ArgParser& p, bool with_defaults);
// The schedule the options describe, or nothing when none of them was given and defaults are off.
std::optional<ScheduleConfig> schedule_from_options(const ArgParser& p, const ScheduleConfig& defaults);

}  // namespace difflab
