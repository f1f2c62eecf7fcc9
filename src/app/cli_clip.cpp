// cli_clip.cpp — `difflab train --model clip` (the mini-CLIP on Fashion-MNIST with captions in Spanish and
// English) and `difflab clip` (similarities of one test image to typed prompts; zero-shot test accuracy).
// Not the model or the loss (nn/clip.h) and not the training step (train/clip_objective.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.h"
#include "app/progress.h"
#include "core/stopwatch.h"
#include "data/captions.h"
#include "data/idx.h"
#include "train/clip_objective.h"

namespace difflab {

namespace {
std::vector<std::string> split_prompts(const std::string& text) {
  std::vector<std::string> prompts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string p = text.substr(start, comma - start);
    while (!p.empty() && p.front() == ' ') p.erase(p.begin());
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (!p.empty()) prompts.push_back(p);
    start = comma + 1;
  }
  return prompts;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

// Test accuracy from the three prompt sets, or from ten given prompts.
struct ZeroShotLine {
  std::string name;
  double accuracy;
};
std::vector<ZeroShotLine> zero_shot_lines(ClipModel& model, const ImageDataset& test, int n,
                                          const std::vector<std::string>& given) {
  std::vector<ZeroShotLine> lines;
  if (!given.empty()) {
    std::vector<std::vector<std::string>> prompts;
    for (const std::string& p : given) prompts.push_back({p});
    lines.push_back(
        {"given prompts", clip_zero_shot_accuracy(model, test, clip_class_embeddings(model, prompts), n)});
    return lines;
  }
  const std::pair<const char*, ZeroShotPrompts> kinds[] = {
      {"es: \"una foto de …\"", ZeroShotPrompts::Spanish},
      {"en: \"a photo of …\"", ZeroShotPrompts::English},
      {"ensemble (es + en)", ZeroShotPrompts::Ensemble}};
  for (const auto& [name, kind] : kinds)
    lines.push_back({name, clip_zero_shot_accuracy(
                               model, test, clip_class_embeddings(model, zero_shot_prompts(kind)), n)});
  return lines;
}
}  // namespace

bool train_wants_clip(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--model=clip") == 0) return true;
    if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc && std::strcmp(argv[i + 1], "clip") == 0)
      return true;
  }
  return false;
}

int cli_train_clip(int argc, char** argv) {
  ClipTrainConfig c;
  ArgParser p(
      "difflab train --model clip --out CKPT [--dataset fashion-mnist --steps N --batch B …]",
      "Trains the mini-CLIP (Radford et al. 2021) on Fashion-MNIST: each training image gets a random\n"
      "caption of its class in Spanish or English (\"una foto de una zapatilla\", \"a photo of a "
      "sneaker\",\n"
      "synonyms and templates in src/data/captions.cpp); a small CNN and a word-embedding MLP map "
      "both to\n"
      "one space, trained with the symmetric InfoNCE loss and a learned temperature. Prints the "
      "zero-shot\n"
      "test accuracy from prompts alone. checkpoints/fashion-mnist-clip.ckpt was made with the "
      "defaults.");
  p.option("model", "clip", "the family (clip)")
      .option("out", "CKPT", "checkpoint to write (atomically)")
      .option("dataset", "D", "fashion-mnist | fashion-mnist:DIR | idx:IMAGES,LABELS (10 classes)", c.dataset)
      .option("steps", "N", "optimizer steps", std::to_string(c.steps))
      .option("batch", "B", "image-caption pairs per step (the similarity matrix is B×B)",
              std::to_string(c.batch))
      .option("lr", "LR", "peak AdamW learning rate (warm-up, cosine)", "0.002")
      .option("embed-dim", "D", "dimension of the shared space", std::to_string(c.model.embed_dim))
      .option("seed", "S", "seed of the weights, batches and captions", "0")
      .option("threads", "N", "threads for large ops", "2")
      .option("eval-n", "N", "test images for the zero-shot accuracy (0 = all)", "0");
  p.flag("quiet", "no progress bar");
  if (!p.parse(argc, argv, 2)) return 0;
  if (p.get("model") != "clip") throw UsageError("--model must be clip here");
  const std::string out = p.require("out");
  c.dataset = p.get("dataset");
  c.steps = p.get_int("steps", 1, 10000000);
  c.batch = p.get_int("batch", 2, 4096);
  c.optimizer.lr = static_cast<float>(p.get_double("lr", 1e-9, 10));
  c.model.embed_dim = p.get_int("embed-dim", 2, 4096);
  c.seed = static_cast<uint64_t>(p.get_double("seed", 0, 1e15));
  c.threads = p.get_int("threads", 1, 256);
  ImageDataset train = load_image_dataset(c.dataset, true);
  const ImageDataset test = load_image_dataset(c.dataset, false);
  std::fprintf(stderr, "data: %s\n", train.description.c_str());
  ClipTrainer trainer(c, std::move(train));
  std::fprintf(stderr, "training: %s, %zu parameters\n", describe(c).c_str(), trainer.model().num_params());
  ProgressBar bar("train", c.steps);
  const bool quiet = p.get_flag("quiet");
  double loss = NAN, accuracy = NAN;
  int failures = 0;
  const auto start = std::chrono::steady_clock::now();
  while (trainer.step_count() < c.steps) {
    const StepResult r = trainer.step();
    if (r.diverged) {
      if (++failures > 5) {
        std::fprintf(stderr, "error: training keeps diverging; try a smaller --lr\n");
        return 1;
      }
      continue;
    }
    const double a = trainer.objective().last_metrics()[0].second;
    loss = std::isnan(loss) ? r.loss : 0.98 * loss + 0.02 * r.loss;
    accuracy = std::isnan(accuracy) ? a : 0.98 * accuracy + 0.02 * a;
    if (!quiet) {
      char extra[96];
      std::snprintf(extra, sizeof extra, "InfoNCE %.4f  batch match %.3f  1/T %.1f", loss, accuracy,
                    trainer.objective().last_metrics()[1].second);
      bar.update(trainer.step_count(), extra);
    }
  }
  const double seconds = seconds_since(start);
  save_checkpoint(out, trainer.to_checkpoint());
  trainer.model().set_params_view(trainer.eval_params());
  std::printf("trained %d steps (batch %d) in %.1f s; InfoNCE %.4f; learned 1/T = %.2f\n",
              trainer.step_count(), c.batch, seconds, loss, trainer.model().logit_scale());
  const int n = p.get_int("eval-n", 0, 100000000);
  for (const ZeroShotLine& l : zero_shot_lines(trainer.model(), test, n, {}))
    std::printf("zero-shot test accuracy, %s: %.4f\n", l.name.c_str(), l.accuracy);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

int cli_clip(int argc, char** argv) {
  ArgParser p(
      "difflab clip [--model CKPT] (--image N --prompts \"bolso,zapatilla,…\" | --zero-shot [--prompts "
      "P0,…,P9])",
      "The mini-CLIP (`difflab train --model clip`). With --image: the cosine similarity of test image N to\n"
      "each prompt and the softmax over the prompts of the similarities times the learned 1/T (how CLIP\n"
      "classifies zero-shot). With --zero-shot: the test accuracy from prompts alone (es, en and their\n"
      "ensemble; or ten given prompts, one per class in label order). Words outside the caption vocabulary\n"
      "are <unk>.");
  p.option("model", "CKPT", "CLIP checkpoint", default_clip_path())
      .option("image", "N", "index of a test image")
      .option("prompts", "LIST", "comma-separated prompts")
      .option("dataset", "D", "data set (default: the checkpoint's)")
      .option("n", "N", "--zero-shot: test images (0 = all)", "0")
      .option("threads", "N", "threads", "2")
      .option("format", "text|json", "output format", "text");
  p.flag("zero-shot", "test accuracy from prompts alone");
  if (!p.parse(argc, argv, 2)) return 0;
  const std::string format = p.get("format");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  const bool zero_shot = p.get_flag("zero-shot");
  if (!zero_shot && (!p.given("image") || !p.given("prompts")))
    throw UsageError("give --image N and --prompts \"…,…\", or --zero-shot");
  const std::vector<std::string> prompts =
      p.given("prompts") ? split_prompts(p.get("prompts")) : std::vector<std::string>{};
  if (p.given("prompts") && prompts.empty()) throw UsageError("--prompts is empty");
  if (prompts.size() > 1000) throw UsageError("--prompts: at most 1000 prompts");
  if (zero_shot && !prompts.empty() && prompts.size() != kCaptionClasses)
    throw UsageError("--zero-shot --prompts needs exactly 10 prompts, one per class in label order");
  auto loaded = load_clip(p.get("model"), p.get_int("threads", 1, 256));
  ClipModel& model = *loaded->model;
  const std::string dataset = p.given("dataset") ? p.get("dataset") : loaded->checkpoint.dataset;
  const ImageDataset test = load_image_dataset(dataset, false);
  if (test.height != model.config().height || test.width != model.config().width || test.channels != 1)
    throw std::runtime_error(dataset + ": images are not the model's " +
                             std::to_string(model.config().height) + "×" +
                             std::to_string(model.config().width));
  if (zero_shot) {
    const int n = p.get_int("n", 0, 100000000);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<ZeroShotLine> lines = zero_shot_lines(model, test, n, prompts);
    const int images = n == 0 ? test.count : std::min(n, test.count);
    if (format == "json") {
      std::printf("{\n  \"model\": \"%s\",\n  \"images\": %d,\n  \"accuracy\": {",
                  json_escape(p.get("model")).c_str(), images);
      for (size_t i = 0; i < lines.size(); ++i)
        std::printf("%s\n    \"%s\": %.6f", i ? "," : "", json_escape(lines[i].name).c_str(),
                    lines[i].accuracy);
      std::printf("\n  },\n  \"seconds\": %.3f\n}\n", seconds_since(start));
      return 0;
    }
    std::printf("zero-shot accuracy on %d test images of %s:\n", images, dataset.c_str());
    for (const ZeroShotLine& l : lines) std::printf("  %-22s %.4f\n", l.name.c_str(), l.accuracy);
    return 0;
  }
  const int index = p.get_int("image", 0, test.count - 1);
  const std::vector<float> u = model.encode_images(test.image(index), 1);
  std::vector<std::vector<int>> tokens;
  for (const std::string& t : prompts) tokens.push_back(caption_tokenizer().encode(t));
  const std::vector<float> v = model.encode_texts(tokens);
  const int d = model.embed_dim(), K = static_cast<int>(prompts.size());
  const double scale = model.logit_scale();
  std::vector<double> cosine(K), prob(K);
  double top = -1e300, sum = 0;
  for (int k = 0; k < K; ++k) {
    double dot = 0;
    for (int j = 0; j < d; ++j) dot += static_cast<double>(u[j]) * v[static_cast<size_t>(k) * d + j];
    cosine[k] = dot;
    top = std::max(top, scale * dot);
  }
  for (int k = 0; k < K; ++k) sum += prob[k] = std::exp(scale * cosine[k] - top);
  for (double& q : prob) q /= sum;
  const int label = test.labels.empty() ? -1 : test.labels[index];
  const std::string label_name =
      label >= 0 && label < static_cast<int>(test.class_names.size()) ? test.class_names[label] : "";
  if (format == "json") {
    std::printf(
        "{\n  \"image\": %d,\n  \"label\": %d,\n  \"label_name\": \"%s\",\n  \"logit_scale\": %.6f,\n"
        "  \"prompts\": [",
        index, label, json_escape(label_name).c_str(), scale);
    for (int k = 0; k < K; ++k)
      std::printf(
          "%s\n    {\"prompt\": \"%s\", \"tokens\": \"%s\", \"similarity\": %.6f, \"probability\": %.6f}",
          k ? "," : "", json_escape(prompts[k]).c_str(),
          json_escape(caption_tokenizer().decode(tokens[k])).c_str(), cosine[k], prob[k]);
    std::printf("\n  ]\n}\n");
    return 0;
  }
  std::printf("test image %d (label %d %s), learned 1/T = %.2f\n", index, label, label_name.c_str(), scale);
  std::printf("%-36s %10s %12s\n", "prompt", "cosine", "softmax");
  for (int k = 0; k < K; ++k) std::printf("%-36s %10.4f %12.4f\n", prompts[k].c_str(), cosine[k], prob[k]);
  return 0;
}

}  // namespace difflab
