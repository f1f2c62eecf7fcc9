// cli_guidance.h — classifier-free guidance for image checkpoints in the CLI: `sample --class K|all
// --guidance G` and `eval --guidance-sweep LIST`. Not the option parsing of 2-D guidance
// (app/sampler_options.h).
#pragma once

#include <cstdint>
#include <string>

#include "app/args.h"
#include "sample/sampler.h"
#include "train/model_source.h"

namespace difflab {

// --class K|all and --guidance G of `difflab sample` for images (declared by sampler_options.h's
// add_guidance_options). True when --class or --guidance was given.
bool wants_image_guidance(const ArgParser& p);
// Samples a PNG grid with CFG (γ = --guidance, default 1: the conditional model). --class all: one row per
// class, --columns (or --n) images per row. Every step is ONE network forward of 2n images (γ ∉ {0, 1}).
int sample_images_guided(const ArgParser& p, LoadedModel& model, SamplerConfig sc, uint64_t seed,
                         const std::string& out);

// --guidance-sweep LIST and its options of `difflab eval`.
void add_guidance_sweep_options(ArgParser& p);
// Accuracy of the classifier on the samples and FID against each class's test images, per γ (text or JSON).
// With --guidance-kind classifier: classifier guidance from --noise-classifier at each scale instead.
int eval_guidance_sweep(const ArgParser& p, LoadedModel& model, const std::string& format);
// --guidance-match G: CFG at γ = G and classifier guidance at --cg-scales; the scale whose accuracy is
// closest to CFG's, with both FIDs (matched accuracy, Dhariwal & Nichol 2021 against Ho & Salimans 2022).
int eval_guidance_match(const ArgParser& p, LoadedModel& model, const std::string& format);

}  // namespace difflab
