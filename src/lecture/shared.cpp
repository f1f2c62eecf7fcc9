// shared.cpp — background worker, model loading, schedule choice and captions for the lecture panels.
// Not a panel.
#include "lecture/shared.h"

#include "data/idx.h"
#include "train/trainer.h"
#include "views/views.h"

#include <algorithm>
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

class Worker {
 public:
  Worker() : thread_([this] { loop(); }) {}
  ~Worker() { stop(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) return;
      quit_ = true;
      for (auto& job : queue_) job->done = true;
      queue_.clear();
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
      if (!job->cancelled) job->work();
      job->done = true;
      std::lock_guard<std::mutex> lock(mutex_);
      running_ = false;
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<BackgroundJob::State>> queue_;
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

void BackgroundJob::shutdown() { worker().stop(); }
bool BackgroundJob::busy() { return worker().busy(); }

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
  char text[160];
  if (c.kind == ScheduleKind::Linear || c.kind == ScheduleKind::Quadratic)
    std::snprintf(text, sizeof text, "%s, T = %d, β from %.3g to %.3g (DDPM's 1e-4 … 0.02 at T = 1000, ×1000/T)",
                  schedule_kind_name(c.kind).c_str(), c.T, c.beta_start, c.beta_end);
  else
    std::snprintf(text, sizeof text, "%s, T = %d", schedule_kind_name(c.kind).c_str(), c.T);
  return text;
}

ScheduleKind schedule_kind_or_linear(const std::string& name) {
  ScheduleKind k = ScheduleKind::Linear;
  parse_schedule_kind(name, &k);
  return k;
}

std::string checkpoint_path_2d(const std::string& dataset) { return checkpoint_path("2d/" + dataset + ".ckpt"); }

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
    snapshot.generation = m.generation;
    snapshot.error = m.error;
  }
  if (snapshot.step) {
    const float done = snapshot.total ? float(snapshot.step->load()) / snapshot.total : 0.0f;
    char text[64];
    std::snprintf(text, sizeof text, "training from scratch: %d / %d", snapshot.step->load(), snapshot.total);
    ImGui::ProgressBar(done, ImVec2(ImGui::GetFontSize() * 14, 0), text);
  } else if (ImGui::Button("Train from scratch")) {
    TrainConfig config;
    config.dataset = dataset;
    config.seed = static_cast<uint64_t>(snapshot.generation + 1);
    auto step = std::make_shared<std::atomic<int>>(0);
    {
      std::lock_guard<std::mutex> lock(scratch_mutex());
      ScratchModel& m = scratch_models()[dataset];
      m.step = step;
      m.total = config.steps;
      m.error.clear();
    }
    BackgroundJob::submit([config, step, dataset] {
      std::optional<Checkpoint> result;
      std::string error;
      try {
        Trainer trainer(config);
        while (trainer.step_count() < config.steps) {
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
    ImGui::SameLine();
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
        return std::vector<float>(test.pixels.begin(), test.pixels.begin() + 28 * 28);  // an ankle boot
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

float caption_reserve() { return ImGui::GetTextLineHeightWithSpacing() * 5.0f; }

void caption(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  const ImGuiStyle& style = ImGui::GetStyle();
  const float wrap = ImGui::GetContentRegionAvail().x - 2 * style.WindowPadding.x;
  const float needed = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap).y + 2 * style.WindowPadding.y + 2;
  const float height = std::min(needed, std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeight() * 2));
  ImGui::BeginChild("##caption", ImVec2(0, height), true);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void busy_note(const char* what) {
  const int dots = static_cast<int>(ImGui::GetTime() * 3) % 4;
  ImGui::TextDisabled("%s%.*s", what, dots, "...");
}

}  // namespace difflab::lecture
