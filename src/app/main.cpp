// main.cpp — the `difflab` executable: dispatches to a CLI command, or opens the GUI.
// Not command logic: each command lives in its own cli_*.cpp, the GUI in src/ui.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "app/cli.h"
#include "train/checkpoint.h"

#ifdef DIFFLAB_HAVE_GUI
#include "lecture/live_panel.h"
#include "lecture/shared.h"
#include "ui/gui.h"
#endif
#ifdef DIFFLAB_HAVE_LESSONS
#include "lessons/lessons_cli.h"
#endif

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

const Command kCommands[] = {
    {"schedule", difflab::cli_schedule, "β schedules and every derived quantity, per code index t"},
    {"data", difflab::cli_data, "sample a 2-D data set to CSV"},
    {"train", difflab::cli_train, "train a 2-D MLP denoiser, write a checkpoint"},
    {"sample", difflab::cli_sample, "DDPM, DDIM, probability-flow ODE or Langevin sampling"},
    {"field", difflab::cli_field, "ε̂, score, x̂₀ and log pₜ at points or on a grid"},
    {"eval", difflab::cli_eval, "L_simple, the variational bound term by term, sliced W2"},
    {"bench", difflab::cli_bench, "throughput of training and sampling"},
    {"flow", difflab::cli_flow, "flow matching and Reflow on 2-D data: train, compare, exact field"},
    {"classifier", difflab::cli_classifier,
     "train or evaluate the Fashion-MNIST feature classifier (for FID)"},
    {"latent", difflab::cli_latent, "latent diffusion: autoencoder, U-Net in its latent, samples, cost"},
    {"clip", difflab::cli_clip, "mini-CLIP: image-prompt similarities, zero-shot accuracy"},
    {"invert", difflab::cli_invert, "DDIM and null-text inversion of a real image, reconstruction error"},
    {"edit", difflab::cli_edit, "edit a real image into another class (null-text inversion or SDEdit)"},
    {"finetune", difflab::cli_finetune,
     "textual inversion, DreamBooth, ControlNet or IP-Adapter on a frozen or fine-tuned base"},
    {"cascade", difflab::cli_cascade, "two-stage cascade: 14x14 base, 28x28 super-resolution, FID"},
#ifdef DIFFLAB_HAVE_LESSONS
    {"lessons", difflab::lessons_cli, "check or list the lesson files"},
#endif
};

void print_usage() {
  std::printf(
      "Diffusion Lab — diffusion models you can run, touch and step through.\n\n"
      "usage: difflab                      open the app on its first lesson\n"
      "       difflab --lesson FILE [--slide N] [--screenshot OUT.png]\n"
      "       difflab slides DECK.md       open any Marp deck\n"
      "       difflab COMMAND [options]    (each command has --help)\n\ncommands:\n");
  for (const Command& c : kCommands) std::printf("  %-10s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage();
    return std::fflush(stdout) == 0 && !std::ferror(stdout) ? 0 : 1;
  }
  for (const Command& c : kCommands) {
    if (first != c.name) continue;
    try {
      const int status = c.run(argc, argv);
      // Results printed to standard output must have arrived (`difflab schedule > /dev/full` is an error).
      if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "difflab %s: error: cannot write to standard output: %s\n", c.name,
                     std::strerror(errno));
        return status != 0 ? status : 1;
      }
      return status;
    } catch (const difflab::UsageError& e) {
      std::fprintf(stderr, "difflab %s: %s\n", c.name, e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "difflab %s: error: %s\n", c.name, e.what());
      return 1;
    }
  }
#ifdef DIFFLAB_HAVE_GUI
  if (first.empty() || first == "slides" || first.rfind("--", 0) == 0) {
    difflab::lecture::register_lecture_panels();
    const int status = difflab::run_gui(argc, argv);
    // Settings are saved and the window is gone. Background jobs are cancellable: shutdown cancels the
    // running one (it returns at its next check) and joins the worker.
    difflab::lecture::BackgroundJob::shutdown();
    return status;
  }
#endif
  if (first.empty()) {
    print_usage();
    return 0;
  }
  std::fprintf(stderr, "difflab: unknown command '%s'\n\n", first.c_str());
  print_usage();
  return 2;
}
