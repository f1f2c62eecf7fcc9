// cli_edit.cpp — `difflab invert` (DDIM and null-text inversion of a real image, reconstruction error against
// steps and γ) and `difflab edit` (the inverted image re-generated as another class, or SDEdit from t₀), with
// PNG grids and JSON numbers. Not the algorithms (src/edit/) and not the GUI panel (lecture/panel_edit.cpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "app/cli.h"
#include "app/progress.h"
#include "core/file_io.h"
#include "data/idx.h"
#include "edit/edit_study.h"
#include "nn/classifier.h"
#include "train/classifier_trainer.h"
#include "train/image_grid.h"

namespace difflab {
namespace {

constexpr const char* kShippedModel = "checkpoints/fashion-mnist-classroom-cond.ckpt";

struct EditInput {
  std::unique_ptr<LoadedModel> model;
  std::vector<float> image;
  int label = -1;  // the test image's class, −1 for a file
  std::string source;
  std::vector<std::string> class_names;
};

void add_common_options(ArgParser& p) {
  p.option("model", "CKPT",
           std::string("class-conditional U-Net checkpoint (the shipped one: ") + kShippedModel + ")")
      .option("image", "N|FILE", "test image index (0 … 9999) or a grayscale PNG of the model's size")
      .option("class", "K", "the image's class (default: a test image's label)")
      .option("guidance", "γ", "guidance weight γ (1 = conditional, the course's γ)", "7.5")
      .option("steps", "S", "DDIM steps of the inversion and the decoding", "50")
      .option("out", "FILE.png", "PNG grid of the images")
      .option("json", "FILE", "write the numbers as JSON here (default: standard output)")
      .option("threads", "N", "threads (default: all cores)");
  p.flag("quiet", "no progress bar");
}

EditInput load_input(const ArgParser& p) {
  EditInput in;
  const std::string path = p.require("model");
  if (!std::filesystem::exists(path))
    throw std::runtime_error("no base model at " + path + " (the shipped one is " + kShippedModel + ")");
  in.model = load_model(path, "", std::nullopt);
  if (!in.model->is_image() || in.model->num_classes == 0)
    throw std::runtime_error(path + " is not a class-conditional image model (train one with --classes K)");
  const int threads = p.given("threads")
                          ? p.get_int("threads", 1, 256)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  in.model->backend->set_threads(threads);
  const std::string spec = p.require("image");
  const bool index = !spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos;
  ImageDataset test;
  if (index || in.model->checkpoint->dataset.rfind("fashion-mnist", 0) == 0) {
    try {
      test = load_image_dataset(in.model->checkpoint->dataset, false);
      in.class_names = test.class_names;
    } catch (const std::exception&) {
      if (index) throw;
    }
  }
  if (index) {
    const long i = spec.size() > 9 ? -1 : std::stol(spec);
    if (i < 0 || i >= test.count)
      throw UsageError("--image " + spec + ": the test set has images 0 … " + std::to_string(test.count - 1));
    in.image.assign(test.image(static_cast<int>(i)), test.image(static_cast<int>(i)) + test.dim());
    in.label = test.labels.empty() ? -1 : test.labels[i];
    in.source = "test image " + spec;
  } else {
    in.image = load_image_file(spec, in.model->image_height, in.model->image_width);
    in.source = spec;
  }
  if (static_cast<int>(in.image.size()) != in.model->unet().dim())
    throw std::runtime_error("the image has " + std::to_string(in.image.size()) +
                             " values; the model takes " + std::to_string(in.model->unet().dim()));
  const int K = in.model->num_classes;
  if (p.given("class")) {
    const int k = p.get_int("class", -1000000, 1000000);
    if (k < 0 || k >= K)
      throw UsageError("--class " + std::to_string(k) + ": the model has classes 0 … " +
                       std::to_string(K - 1));
    in.label = k;
  }
  if (in.label < 0)
    throw UsageError("--class K is needed for an image file (the model has classes 0 … " +
                     std::to_string(K - 1) + ")");
  return in;
}

std::string class_name(const EditInput& in, int k) {
  return k >= 0 && k < static_cast<int>(in.class_names.size()) ? in.class_names[k] : std::to_string(k);
}

std::vector<double> parse_list(const std::string& text, const std::string& option) {
  // Any number of items: count the commas, then parse_number_list checks each cell.
  const size_t items = text.empty() ? 0 : 1 + std::count(text.begin(), text.end(), ',');
  if (items == 0 || items > 64) throw UsageError("--" + option + ": give 1 … 64 comma-separated numbers");
  return parse_number_list(text, option, items);
}

void emit_json(const ArgParser& p, const std::string& text) {
  if (p.given("json")) {
    write_file_atomically(p.get("json"), text);
  } else {
    std::fputs(text.c_str(), stdout);
  }
}

std::string error_json(const ReconstructionError& e) {
  char b[96];
  std::snprintf(b, sizeof b, "{\"mse\": %.6g, \"psnr\": %.4g}", e.mse, e.psnr);
  return b;
}

void write_grid(const ArgParser& p, const std::vector<std::vector<float>>& images, int h, int w,
                int columns) {
  if (!p.given("out")) return;
  std::vector<float> all;
  for (const auto& im : images) all.insert(all.end(), im.begin(), im.end());
  write_png_grid(p.get("out"), all, static_cast<int>(images.size()), h, w, columns);
  std::fprintf(stderr, "wrote %s\n", p.get("out").c_str());
}

NullTextConfig null_text_options(const ArgParser& p) {
  NullTextConfig c;
  c.inner_iterations = p.get_int("inner-steps", 1, 1000);
  c.learning_rate = p.get_double("null-lr", 1e-6, 10);
  return c;
}

void check_out(const ArgParser& p) {
  if (p.given("out")) {
    const std::string out = p.get("out");
    if (out.size() < 4 || out.substr(out.size() - 4) != ".png") throw UsageError("--out must be a .png file");
  }
}

}  // namespace

int cli_invert(int argc, char** argv) {
  ArgParser p(
      "difflab invert --model CKPT --image N|FILE [--class K] [--guidance γ] [--null-text] [--steps S] "
      "[--sweep-steps LIST] [--sweep-guidance LIST] [--out FILE.png] [--json FILE]",
      "DDIM inversion of a real image under the class-conditional model (Song et al. 2021, η = 0): x₀ → x_T\n"
      "with the guided ε̃ = (1 − γ) ε̂(x, ∅) + γ ε̂(x, y), then decoding x_T back; prints the reconstruction\n"
      "error (MSE and PSNR, images in [−1, 1]). With --null-text also null-text inversion (Mokady et al.\n"
      "2022): the γ = 1 inversion is the pivot and the null embedding is optimised per step (Adam) so the\n"
      "γ-guided decoding follows it. The grid: input, DDIM reconstruction, null-text reconstruction.");
  add_common_options(p);
  p.flag("null-text", "also run null-text inversion at γ");
  p.option("inner-steps", "N", "Adam iterations per step of null-text inversion", "10")
      .option("null-lr", "LR", "Adam's step for the null embedding", "0.01")
      .option("sweep-steps", "LIST",
              "also: plain DDIM error at γ = 1 for these step counts (e.g. 5,10,20,50,100)")
      .option("sweep-guidance", "LIST",
              "also: error against γ at --steps (e.g. 1,2,3,5,7.5), with null-text "
              "when --null-text is given");
  if (!p.parse(argc, argv, 2)) return 0;
  check_out(p);
  EditInput in = load_input(p);
  UNet& net = in.model->unet();
  const NoiseSchedule& s = in.model->schedule;
  const double gamma = p.get_double("guidance", 0, 100);
  const int steps = p.get_int("steps", 1, s.T());
  const bool quiet = p.get_flag("quiet");
  std::string json = "{\n  \"model\": \"" + p.get("model") + "\",\n  \"image\": \"" + in.source +
                     "\",\n  \"class\": " + std::to_string(in.label) + ",\n  \"class_name\": \"" +
                     class_name(in, in.label) + "\",\n";
  char line[256];
  std::snprintf(line, sizeof line, "  \"guidance\": %g,\n  \"steps\": %d,\n", gamma, steps);
  json += line;
  auto start = std::chrono::steady_clock::now();
  const CfgRoundTrip plain = cfg_round_trip(net, s, in.image, in.label, gamma, steps);
  const double plain_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::snprintf(line, sizeof line, "  \"ddim\": {\"mse\": %.6g, \"psnr\": %.4g, \"seconds\": %.2f},\n",
                plain.error.mse, plain.error.psnr, plain_s);
  json += line;
  std::fprintf(stderr, "DDIM inversion, γ = %g, %d steps: MSE %.4g, PSNR %.2f dB (%.1f s)\n", gamma, steps,
               plain.error.mse, plain.error.psnr, plain_s);
  std::vector<std::vector<float>> grid = {in.image, plain.reconstruction};
  if (p.get_flag("null-text")) {
    NullTextConfig c = null_text_options(p);
    c.label = in.label;
    c.gamma = gamma;
    c.steps = steps;
    ProgressBar bar("null-text", steps);
    start = std::chrono::steady_clock::now();
    const NullTextResult r = null_text_invert(net, s, in.image, c, [&](long done, long) {
      if (!quiet) bar.update(done);
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ReconstructionError e = reconstruction_error(r.reconstruction, in.image);
    std::snprintf(
        line, sizeof line,
        "  \"null_text\": {\"mse\": %.6g, \"psnr\": %.4g, \"seconds\": %.2f, \"adam_iterations\": %d},\n",
        e.mse, e.psnr, secs, r.iterations);
    json += line;
    std::fprintf(stderr, "null-text inversion, γ = %g: MSE %.4g, PSNR %.2f dB (%.1f s, %d Adam iterations)\n",
                 gamma, e.mse, e.psnr, secs, r.iterations);
    grid.push_back(r.reconstruction);
  }
  json += "  \"by_steps\": [";
  if (p.given("sweep-steps")) {
    std::vector<int> list;
    for (double v : parse_list(p.get("sweep-steps"), "sweep-steps")) {
      if (v < 1 || v > s.T() || v != static_cast<int>(v))
        throw UsageError("--sweep-steps: each count must be an integer in 1 … " + std::to_string(s.T()));
      list.push_back(static_cast<int>(v));
    }
    const auto rows = inversion_error_by_steps(net, s, in.image, in.label, 1.0, list);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::snprintf(line, sizeof line,
                    "%s\n    {\"steps\": %d, \"gamma\": 1, \"ddim\": %s, \"seconds\": %.2f}", i ? "," : "",
                    rows[i].steps, error_json(rows[i].ddim).c_str(), rows[i].seconds_ddim);
      json += line;
    }
  }
  json += "\n  ],\n  \"by_guidance\": [";
  if (p.given("sweep-guidance")) {
    const std::vector<double> gammas = parse_list(p.get("sweep-guidance"), "sweep-guidance");
    for (double g : gammas)
      if (g < 0 || g > 100) throw UsageError("--sweep-guidance: each γ must lie in 0 … 100");
    NullTextConfig c = null_text_options(p);
    ProgressBar bar("guidance sweep", 1);
    long last = 0;
    const auto rows =
        inversion_error_by_gamma(net, s, in.image, in.label, gammas, steps,
                                 p.get_flag("null-text") ? &c : nullptr, [&](long d, long total) {
                                   if (total != last) bar = ProgressBar("guidance sweep", last = total);
                                   if (!quiet) bar.update(d);
                                 });
    for (size_t i = 0; i < rows.size(); ++i) {
      std::snprintf(line, sizeof line, "%s\n    {\"gamma\": %g, \"steps\": %d, \"ddim\": %s", i ? "," : "",
                    rows[i].gamma, rows[i].steps, error_json(rows[i].ddim).c_str());
      json += line;
      if (rows[i].has_null_text) json += ", \"null_text\": " + error_json(rows[i].null_text);
      json += "}";
    }
  }
  json += "\n  ]\n}\n";
  write_grid(p, grid, in.model->image_height, in.model->image_width, static_cast<int>(grid.size()));
  emit_json(p, json);
  return 0;
}

int cli_edit(int argc, char** argv) {
  ArgParser p(
      "difflab edit --model CKPT --image N|FILE --to-class K [--class K] [--guidance γ] [--steps S] "
      "[--sdedit --t0 T [--samples N] [--sweep-t0 LIST]] [--out FILE.png] [--json FILE]",
      "Edits a real image into class K. Default: null-text inversion with its own class at γ, then the\n"
      "same x_T and optimised null embeddings decoded with class K (Mokady et al. 2022); the grid shows\n"
      "input, reconstruction, the plain DDIM edit (γ = 1 inversion decoded as K at γ) and the null-text\n"
      "edit. --sdedit (Meng et al. 2022): noise the image to t₀ and denoise as class K with CFG and the\n"
      "stochastic sampler (η = 1): small t₀ stays faithful, large t₀ becomes realistic. The shipped\n"
      "classifier judges every result (probability of K).");
  add_common_options(p);
  p.option("to-class", "K", "the target class")
      .option("inner-steps", "N", "Adam iterations per step of null-text inversion", "10")
      .option("null-lr", "LR", "Adam's step for the null embedding", "0.01")
      .option("t0", "T", "SDEdit: the code index to noise to (0 … T − 1)", "500")
      .option("samples", "N", "SDEdit: samples (seeds) per t₀", "8")
      .option("sweep-t0", "LIST", "SDEdit: the trade-off at these t₀ (e.g. 100,200,…,900)")
      .option("seed", "S", "SDEdit noise seed", "0")
      .option("classifier", "CKPT", "classifier that judges the edits", default_classifier_path());
  p.flag("sdedit", "SDEdit instead of inversion");
  if (!p.parse(argc, argv, 2)) return 0;
  check_out(p);
  EditInput in = load_input(p);
  UNet& net = in.model->unet();
  const NoiseSchedule& s = in.model->schedule;
  const int K = in.model->num_classes;
  const int to = p.get_int("to-class", -1000000, 1000000);
  if (!p.given("to-class")) throw UsageError("--to-class K is required");
  if (to < 0 || to >= K)
    throw UsageError("--to-class " + std::to_string(to) + ": the model has classes 0 … " +
                     std::to_string(K - 1));
  const double gamma = p.get_double("guidance", 0, 100);
  const int steps = p.get_int("steps", 1, s.T());
  const bool quiet = p.get_flag("quiet");
  std::unique_ptr<LoadedClassifier> classifier;
  if (std::filesystem::exists(p.get("classifier")))
    classifier = load_classifier(p.get("classifier"), 2);
  else
    std::fprintf(stderr, "no classifier at %s: no realism numbers\n", p.get("classifier").c_str());
  auto prob_of = [&](const std::vector<float>& im, int k) {
    return classifier ? class_probabilities(*classifier->model, im, 1)[k] : -1.0;
  };
  std::string json = "{\n  \"model\": \"" + p.get("model") + "\",\n  \"image\": \"" + in.source +
                     "\",\n  \"class\": " + std::to_string(in.label) +
                     ",\n  \"to_class\": " + std::to_string(to) + ",\n  \"to_class_name\": \"" +
                     class_name(in, to) + "\",\n";
  char line[320];
  std::snprintf(line, sizeof line, "  \"guidance\": %g,\n  \"steps\": %d,\n", gamma, steps);
  json += line;
  std::vector<std::vector<float>> grid = {in.image};
  int columns = 4;
  if (p.get_flag("sdedit")) {
    const int samples = p.get_int("samples", 1, 256);
    std::vector<int> t0s;
    if (p.given("sweep-t0")) {
      for (double v : parse_list(p.get("sweep-t0"), "sweep-t0")) {
        if (v < 0 || v >= s.T() || v != static_cast<int>(v))
          throw UsageError("--sweep-t0: each t₀ must be an integer in 0 … " + std::to_string(s.T() - 1));
        t0s.push_back(static_cast<int>(v));
      }
    } else {
      t0s.push_back(p.get_int("t0", 0, s.T() - 1));
    }
    ProgressBar bar("sdedit", static_cast<long>(t0s.size()));
    const auto start = std::chrono::steady_clock::now();
    const auto points =
        sdedit_sweep(net, s, classifier ? classifier->model.get() : nullptr, in.image, to, gamma, t0s,
                     samples, steps, static_cast<uint64_t>(p.get_double("seed", 0, 1e15)), [&](long d, long) {
                       if (!quiet) bar.update(d);
                     });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::snprintf(line, sizeof line,
                  "  \"method\": \"sdedit\",\n  \"samples\": %d,\n  \"seconds\": %.2f,\n  \"points\": [",
                  samples, secs);
    json += line;
    for (size_t i = 0; i < points.size(); ++i) {
      const SdeditPoint& q = points[i];
      std::snprintf(line, sizeof line,
                    "%s\n    {\"t0\": %d, \"distance_mse\": %.5g, \"confidence\": %.4g, \"accuracy\": %.4g}",
                    i ? "," : "", q.t0, q.distance, q.confidence, q.accuracy);
      json += line;
      std::fprintf(stderr, "t₀ = %4d: MSE to the input %.4f, classifier p(%s) %.3f, accuracy %.2f\n", q.t0,
                   q.distance, class_name(in, to).c_str(), q.confidence, q.accuracy);
      const int D = net.dim();
      for (int k = 0; k < samples; ++k)
        grid.emplace_back(q.images.begin() + static_cast<size_t>(k) * D,
                          q.images.begin() + static_cast<size_t>(k + 1) * D);
    }
    json += "\n  ]\n}\n";
    // One row per t₀: the input, then its samples.
    std::vector<std::vector<float>> rows;
    for (size_t i = 0; i < points.size(); ++i) {
      rows.push_back(in.image);
      for (int k = 0; k < samples; ++k) rows.push_back(grid[1 + i * samples + k]);
    }
    grid = rows;
    columns = samples + 1;
  } else {
    NullTextConfig c = null_text_options(p);
    c.label = in.label;
    c.gamma = gamma;
    c.steps = steps;
    ProgressBar bar("null-text", steps);
    const auto start = std::chrono::steady_clock::now();
    const NullTextResult r = null_text_invert(net, s, in.image, c, [&](long d, long) {
      if (!quiet) bar.update(d);
    });
    const std::vector<float> edit = decode_with_class(net, s, r.pivot.x_T, r.pivot.timesteps, to, gamma, &r);
    const std::vector<float> plain =
        decode_with_class(net, s, r.pivot.x_T, r.pivot.timesteps, to, gamma, nullptr);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ReconstructionError rec = reconstruction_error(r.reconstruction, in.image);
    const ReconstructionError moved = reconstruction_error(edit, in.image);
    const ReconstructionError moved_plain = reconstruction_error(plain, in.image);
    std::snprintf(line, sizeof line,
                  "  \"method\": \"null-text\",\n  \"seconds\": %.2f,\n  \"reconstruction\": %s,\n"
                  "  \"edit\": {\"distance_mse\": %.5g, \"confidence\": %.4g},\n",
                  secs, error_json(rec).c_str(), moved.mse, prob_of(edit, to));
    json += line;
    std::snprintf(line, sizeof line,
                  "  \"plain_ddim_edit\": {\"distance_mse\": %.5g, \"confidence\": %.4g},\n", moved_plain.mse,
                  prob_of(plain, to));
    json += line;
    std::snprintf(line, sizeof line, "  \"input_confidence\": %.4g\n}\n", prob_of(in.image, to));
    json += line;
    std::fprintf(stderr,
                 "reconstruction PSNR %.2f dB; edit into %s: MSE to the input %.4f, classifier p %.3f "
                 "(%.1f s)\n",
                 rec.psnr, class_name(in, to).c_str(), moved.mse, prob_of(edit, to), secs);
    grid = {in.image, r.reconstruction, plain, edit};
  }
  write_grid(p, grid, in.model->image_height, in.model->image_width, columns);
  emit_json(p, json);
  return 0;
}

}  // namespace difflab
