// cli.h — the headless commands of `difflab` (schedule, data, train, sample, field, eval, bench).
// Not the GUI: every command is a thin layer over the libraries and returns a process exit code.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/args.h"
#include "core/schedule.h"
#include "nn/backend_factory.h"
#include "train/model_source.h"

namespace difflab {

int cli_schedule(int argc, char** argv);
int cli_data(int argc, char** argv);
int cli_train(int argc, char** argv);
int cli_sample(int argc, char** argv);
int cli_field(int argc, char** argv);
int cli_eval(int argc, char** argv);
int cli_bench(int argc, char** argv);
int cli_classifier(int argc, char** argv);
int cli_flow(int argc, char** argv);
int cli_field_flow(int argc, char** argv);         // `field --objective flow` (cli_flow.cpp)
int cli_latent(int argc, char** argv);             // latent diffusion: ae, train, sample, measure
int cli_train_autoencoder(int argc, char** argv);  // `train --model autoencoder` = `latent ae`
// The mini-CLIP (issue 14 §2, app/cli_clip.cpp): `difflab clip` and `difflab train --model clip`.
int cli_clip(int argc, char** argv);
int cli_train_clip(int argc, char** argv);
bool train_wants_clip(int argc, char** argv);  // argv has --model clip
int cli_invert(int argc, char** argv);         // cli_edit.cpp
int cli_edit(int argc, char** argv);           // cli_edit.cpp
int cli_finetune(int argc, char** argv);       // textual inversion, DreamBooth (lesson 18)
int cli_cascade(int argc, char** argv);        // two-stage cascade, 14x14 base + 28x28 SR (cli_cascade.cpp)
// `sample --model FILE.ipa --reference N` (cli_sample_ip.cpp): an IP-Adapter file (by its .ipa name or
// header).
bool is_ip_adapter_file(const std::string& path);

// Shared option groups.
//
// The schedule rule, the same in every command (and printed by each one's --help, kScheduleRule): an option
// not given takes the default of the data kind, and nothing else — 2-D data: linear, T = 100,
// β 1e-3 … 0.2; images: linear, T = 1000, β 1e-4 … 0.02 (Ho et al. 2020). The kind comes from --dataset
// (fashion-mnist, fashion-mnist:DIR or idx:… are images; anything else, or none, is 2-D). A checkpoint's own
// schedule always wins: a schedule option that contradicts it is a usage error naming both values.
enum class DataKind { Points2D, Images };
extern const char* const kScheduleRule;
DataKind data_kind_of(const std::string& dataset);
ScheduleConfig default_schedule(DataKind kind);
void add_schedule_options(ArgParser& p);
// The schedule the options describe, with the kind's defaults for those not given; nothing when none was
// given.
std::optional<ScheduleConfig> schedule_from_options(const ArgParser& p, DataKind kind);
// Throws UsageError when a schedule option given on the command line differs from `trained` (a checkpoint's).
void check_schedule_options_against(const ArgParser& p, const ScheduleConfig& trained,
                                    const std::string& checkpoint);
// --model oracle|CKPT with --dataset and the schedule options, under the rule above; a trained network on
// --backend (when the command has that option; see add_backend_option).
std::unique_ptr<LoadedModel> load_model_from_options(const ArgParser& p);

// --backend cpu|gl|auto (default cpu). auto gives the GL backend to models of at least kAutoGlMinParams
// parameters when OpenGL 4.3 is there and keeps the rest on the CPU.
void add_backend_option(ArgParser& p);
// The option's value (cpu when the command has no such option); a UsageError for anything else.
BackendKind backend_from_options(const ArgParser& p);
// Prints choice.note on standard error when it is not empty (what auto picked and why). Once per process.
void print_backend_note(const BackendChoice& choice);

}  // namespace difflab
