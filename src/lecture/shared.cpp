// shared.cpp — background worker, model loading, schedule choice and captions for the lecture panels.
// Not a panel.
#include "lecture/shared.h"

#include "data/idx.h"
#include "lessons/ui_text.h"
#include "plot/scripted_draw.h"
#include "train/trainer.h"
#include "views/views.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <thread>

#include <imgui.h>
#include <unistd.h>

namespace difflab::lecture {
namespace {

thread_local BackgroundJob::State* t_current = nullptr;  // the job this thread runs, if any

class Worker {
 public:
  Worker() : thread_([this] { loop(); }) {}
  ~Worker() { stop(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) return;
      quit_ = true;
      for (auto& job : queue_) job->cancelled = true, job->done = true;
      queue_.clear();
      if (current_) current_->cancelled = true;  // the running job returns at its next check
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool busy() {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_ || !queue_.empty();
  }
  void push(std::shared_ptr<BackgroundJob::State> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) {
        job->done = true;
        return;
      }
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

 private:
  void loop() {
    while (true) {
      std::shared_ptr<BackgroundJob::State> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return quit_ || !queue_.empty(); });
        if (quit_) return;
        job = queue_.front();
        queue_.pop_front();
        running_ = true;
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        current_ = job;
      }
      t_current = job.get();
      if (!job->cancelled) job->work();
      t_current = nullptr;
      job->done = true;
      std::lock_guard<std::mutex> lock(mutex_);
      running_ = false;
      current_.reset();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<BackgroundJob::State>> queue_;
  std::shared_ptr<BackgroundJob::State> current_;
  bool quit_ = false, running_ = false;
  std::thread thread_;
};

Worker& worker() {
  static Worker w;
  return w;
}

std::string executable_dir() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  buffer[n] = '\0';
  return std::filesystem::path(buffer).parent_path().string();
}

}  // namespace

std::shared_ptr<BackgroundJob::State> BackgroundJob::submit(std::function<void()> work) {
  auto state = std::make_shared<State>();
  state->work = std::move(work);
  worker().push(state);
  return state;
}

void BackgroundJob::shutdown() {
  worker().stop();
}
void BackgroundJob::set_progress(float fraction) {
  if (t_current) t_current->progress = std::clamp(fraction, 0.0f, 1.0f);
}
bool BackgroundJob::cancelled() {
  return t_current && t_current->cancelled;
}
void BackgroundJob::check_cancelled() {
  if (cancelled()) throw JobCancelled();
}
bool BackgroundJob::busy() {
  return worker().busy();
}

ScheduleConfig panel_schedule(ScheduleKind kind, int T, bool rescale) {
  ScheduleConfig c{kind, T, 1e-4, 0.02};
  if (rescale && (kind == ScheduleKind::Linear || kind == ScheduleKind::Quadratic)) {
    const double scale = 1000.0 / T;
    c.beta_start = std::min(1e-4 * scale, 0.5);
    c.beta_end = std::min(0.02 * scale, 0.999);
  }
  return c;
}

std::string panel_schedule_note(const ScheduleConfig& c) {
  static const char* const names[] = {"schedule.linear", "schedule.quadratic", "schedule.cosine",
                                      "schedule.sigmoid"};
  const int kind = static_cast<int>(c.kind);
  const std::string name = kind >= 0 && kind < 4 ? std::string(tr(names[kind])) : schedule_kind_name(c.kind);
  char text[240];
  if (c.kind == ScheduleKind::Linear || c.kind == ScheduleKind::Quadratic)
    std::snprintf(text, sizeof text, tr("schedules.note_scaled"), name.c_str(), c.T, c.beta_start,
                  c.beta_end);
  else
    std::snprintf(text, sizeof text, "%s, T = %d", name.c_str(), c.T);
  return text;
}

ScheduleKind schedule_kind_or_linear(const std::string& name) {
  ScheduleKind k = ScheduleKind::Linear;
  parse_schedule_kind(name, &k);
  return k;
}

std::string checkpoint_path_2d(const std::string& dataset) {
  return checkpoint_path("2d/" + dataset + ".ckpt");
}

std::string checkpoint_path(const std::string& file) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("DIFFLAB_CHECKPOINTS_DIR")) dirs.push_back(env);
  dirs.push_back(executable_dir() + "/../share/difflab/checkpoints");
  dirs.push_back(std::string(DIFFLAB_SOURCE_DIR) + "/checkpoints");
  for (const std::string& d : dirs) {
    const std::string path = d + "/" + file;
    if (std::filesystem::exists(path)) return path;
  }
  return dirs.back() + "/" + file;
}

namespace {

// Models trained from scratch in this session, by data set.
struct ScratchModel {
  std::shared_ptr<std::atomic<int>> step;  // progress of the running job (null when none runs)
  int total = 0;
  std::chrono::steady_clock::time_point started;
  std::optional<Checkpoint> checkpoint;
  int generation = 0;
  std::string error;
};

std::mutex& scratch_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, ScratchModel>& scratch_models() {
  static std::map<std::string, ScratchModel> models;
  return models;
}

std::unique_ptr<LoadedModel> scratch_model(const std::string& dataset) {
  std::lock_guard<std::mutex> lock(scratch_mutex());
  auto it = scratch_models().find(dataset);
  if (it == scratch_models().end() || !it->second.checkpoint) return nullptr;
  return model_from_checkpoint(*it->second.checkpoint, "trained from scratch");
}

}  // namespace

bool train_from_scratch_button(const std::string& dataset, int* seen_generation) {
  ScratchModel snapshot;
  {
    std::lock_guard<std::mutex> lock(scratch_mutex());
    const ScratchModel& m = scratch_models()[dataset];
    snapshot.step = m.step;
    snapshot.total = m.total;
    snapshot.started = m.started;
    snapshot.generation = m.generation;
    snapshot.error = m.error;
  }
  if (snapshot.step) {
    const float done = snapshot.total ? float(snapshot.step->load()) / snapshot.total : 0.0f;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - snapshot.started).count();
    char text[160];
    const std::string left = time_left(done, seconds);
    std::snprintf(text, sizeof text, tr("scratch.progress"), snapshot.step->load(), snapshot.total,
                  left.c_str());
    const float width =
        std::max(ImGui::CalcTextSize(text).x + ImGui::GetFontSize(), ImGui::GetFontSize() * 10);
    same_line_if_fits(width);
    ImGui::ProgressBar(done, ImVec2(width, 0), text);
  } else if (same_line_if_fits(button_width(tr("scratch.button"))),
             ImGui::Button(tr_id("scratch.button", "scratch"))) {
    TrainConfig config;
    config.dataset = dataset;
    config.seed = static_cast<uint64_t>(snapshot.generation + 1);
    auto step = std::make_shared<std::atomic<int>>(0);
    {
      std::lock_guard<std::mutex> lock(scratch_mutex());
      ScratchModel& m = scratch_models()[dataset];
      m.step = step;
      m.total = config.steps;
      m.started = std::chrono::steady_clock::now();
      m.error.clear();
    }
    BackgroundJob::submit([config, step, dataset] {
      std::optional<Checkpoint> result;
      std::string error;
      try {
        Trainer trainer(config);
        while (trainer.step_count() < config.steps) {
          BackgroundJob::check_cancelled();  // the app is quitting
          if (trainer.step().diverged) throw std::runtime_error("training diverged");
          step->store(trainer.step_count());
        }
        result = checkpoint_of(trainer, true);
      } catch (const std::exception& e) {
        error = e.what();
      }
      std::lock_guard<std::mutex> lock(scratch_mutex());
      ScratchModel& m = scratch_models()[dataset];
      m.step.reset();
      m.error = error;
      if (result) {
        m.checkpoint = std::move(result);
        ++m.generation;
      }
    });
  }
  if (!snapshot.error.empty()) {
    same_line_if_fits(ImGui::CalcTextSize(snapshot.error.c_str()).x);
    ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", snapshot.error.c_str());
  }
  if (snapshot.generation != *seen_generation) {
    *seen_generation = snapshot.generation;
    return true;
  }
  return false;
}

std::unique_ptr<LoadedModel> make_panel_model(const std::string& which, const std::string& dataset) {
  std::unique_ptr<LoadedModel> trained = scratch_model(dataset);
  if (!trained) trained = load_model(checkpoint_path_2d(dataset), "", std::nullopt);
  if (which != "oracle") return trained;
  // The exact denoiser with the trained model's schedule, so both share every t.
  return load_model("oracle", dataset, trained->schedule.config);
}

const std::vector<float>& strip_image(bool* real) {
  static bool is_real = false;
  static const std::vector<float> image = [] {
    try {
      const ImageDataset test = load_image_dataset("fashion-mnist", false);
      if (test.count > 0 && test.height == 28 && test.width == 28) {
        is_real = true;
        // The most contrasted of the first 16 (a pullover; the first image, a dim boot, vanished by t = 249).
        const auto first = test.pixels.begin() + highest_variance_image(test.pixels, 28 * 28, 16) * 28 * 28;
        return std::vector<float>(first, first + 28 * 28);
      }
    } catch (const std::exception&) {
    }
    return synthetic_image();
  }();
  if (real) *real = is_real;
  return image;
}

const std::vector<float>& data_points(const std::string& dataset, int n, uint64_t seed) {
  static std::mutex mutex;
  static std::map<std::tuple<std::string, int, uint64_t>, std::vector<float>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_tuple(dataset, n, seed);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, Dataset2D::load(dataset).sample(n, seed).xy).first;
  return it->second;
}

SamplerConfig panel_sampler(SamplerKind kind, int steps, int T, double eta) {
  SamplerConfig c;
  c.kind = kind;
  c.steps = std::min(steps, T);
  c.eta = eta;
  c.spacing = Spacing::Trailing;  // from x_T at t = T − 1, as lesson 09's grid, σ view and samplers panel
  return c;
}

std::vector<SamplerRun> compare_on_shared_draw(Denoiser& model, const std::vector<SamplerConfig>& configs,
                                               const std::string& dataset, int timing_repeats) {
  return compare_samplers(model, configs, standard_normal(2 * SharedDraw::kPoints, SharedDraw::kXTSeed),
                          SharedDraw::kNoiseSeed, data_points(dataset, 2000, 1), timing_repeats,
                          job_progress);
}

// The caption's height of the last frame, kept in the window's ImGui storage: plots above it leave exactly
// that much room (a fixed five lines clipped long captions at 1280 × 720 and wasted space under short ones).
float caption_reserve() {
  const float last = ImGui::GetStateStorage()->GetFloat(ImGui::GetID("##caption_height"), 0.0f);
  // Two item spacings: the one above the caption and one a panel may place between two rows of plots.
  return (last > 0 ? last : ImGui::GetTextLineHeightWithSpacing() * 5.0f) +
         2 * ImGui::GetStyle().ItemSpacing.y;
}

void caption(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  const ImGuiStyle& style = ImGui::GetStyle();
  const float wrap = ImGui::GetContentRegionAvail().x - 2 * style.WindowPadding.x - style.ScrollbarSize;
  // Scripted text (plot/scripted_draw.h): ε_θ, x_T, ᾱ_{prev} with their scripts lowered, wrapped only at
  // spaces (ImGui's own wrapping also breaks after '.' and ',', splitting numbers such as "1.779").
  const float needed = plot::scripted_text_size(text, wrap).y + 2 * style.WindowPadding.y + 2;
  ImGui::GetStateStorage()->SetFloat(ImGui::GetID("##caption_height"), needed);
  const float height =
      std::min(needed, std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeight() * 2));
  ImGui::BeginChild("##caption", ImVec2(0, height), true,
                    height < needed ? ImGuiWindowFlags_None : ImGuiWindowFlags_NoScrollbar);
  plot::scripted_text_item(text, wrap);
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void scripted_tooltip(const char* text) {
  ImGui::BeginTooltip();
  plot::scripted_text_item(text, ImGui::GetFontSize() * 32);
  ImGui::EndTooltip();
}

void busy_note(const char* what) {
  const int dots = static_cast<int>(ImGui::GetTime() * 3) % 4;
  ImGui::TextDisabled("%s%.*s", what, dots, "...");
}

std::string time_left(float fraction, double seconds) {
  if (!(fraction > 0.02f) || fraction >= 1.0f || !(seconds > 0)) return "";
  const double left = seconds * (1.0 - fraction) / fraction;
  char text[96];
  if (left < 60)
    std::snprintf(text, sizeof text, tr("progress.left_seconds"), std::max(1.0, left));  // not "about 0 s"
  else
    std::snprintf(text, sizeof text, tr("progress.left_minutes"), static_cast<int>(left / 60),
                  static_cast<int>(left) % 60);
  return text;
}

void progress_note(const char* what, float fraction, double seconds, float width) {
  char text[200];
  if (fraction >= 0) {
    // Before a time left can be estimated (the first 2 %) the bar says so: "sampling: 1 %" alone, with no
    // time left, read as stuck on lesson 13's image grid.
    std::string left = time_left(fraction, seconds);
    if (left.empty() && fraction < 1.0f) left = tr("progress.estimating");
    std::snprintf(text, sizeof text, "%s: %.0f %%%s%s", what, 100.0 * fraction, left.empty() ? "" : ", ",
                  left.c_str());
    if (width <= 0) width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24);
    // A label wider than its bar was cut at both ends ("do con DDIM: 32 %…" in lesson 10's half-width
    // bars): then the words go above the bar, wrapped to its width, and the bar keeps the numbers.
    if (ImGui::CalcTextSize(text).x + 2 * ImGui::GetStyle().FramePadding.x > width) {
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
      ImGui::TextWrapped("%s", what);
      ImGui::PopTextWrapPos();
      std::snprintf(text, sizeof text, "%.0f %%%s%s", 100.0 * fraction, left.empty() ? "" : ", ",
                    left.c_str());
    }
    ImGui::ProgressBar(fraction, ImVec2(width, 0), text);
  } else {
    // No progress reported yet: an empty bar that says the time left is being estimated, and the seconds so
    // far.
    if (width <= 0) width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24);
    std::snprintf(text, sizeof text, tr("progress.elapsed"), what, seconds);
    const std::string label = std::string(text) + ", " + tr("progress.estimating");
    if (ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x <= width) {
      ImGui::ProgressBar(0.0f, ImVec2(width, 0), label.c_str());
      return;
    }
    // Wrapped to the bar's width when one was given (a half-width column), not run past the panel's edge.
    if (width > 0) {
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
      ImGui::TextDisabled("%s", text);
      ImGui::PopTextWrapPos();
    } else {
      busy_note(text);
    }
  }
}

void same_line_if_fits(float next_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  const float limit = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right <= limit) ImGui::SameLine();
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

float combo_width(const char* const* items, int count, float minimum) {
  float widest = 0;
  for (int i = 0; i < count; ++i) widest = std::max(widest, ImGui::CalcTextSize(items[i], nullptr, true).x);
  return std::max(minimum, widest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x);
}

float labeled_width(float widget, const char* label) {
  const float text = ImGui::CalcTextSize(label, nullptr, true).x;
  return widget + (text > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0);
}

std::string join_or_stack(const std::string& a, const std::string& b, float width) {
  const std::string line = a + "  ·  " + b;
  return ImGui::CalcTextSize(line.c_str()).x <= width ? line : a + "\n" + b;
}

}  // namespace difflab::lecture
