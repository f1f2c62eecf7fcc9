// model_loader.cpp — background loading of the lecture panels' 2-D models and mixtures, with a count of
// foreground loads and a progress-reporting denoiser. Not a panel and not the worker (shared.cpp).
#include "lecture/model_loader.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include <imgui.h>

#include "lessons/ui_text.h"

namespace difflab::lecture {
namespace {

// Initialised before main, on the thread that runs main: the UI thread.
const std::thread::id g_ui_thread = std::this_thread::get_id();
std::atomic<int> g_foreground{0}, g_background{0};

void count_load() {
  (std::this_thread::get_id() == g_ui_thread ? g_foreground : g_background).fetch_add(1);
}

}  // namespace

std::unique_ptr<LoadedModel> load_panel_model(const std::string& which, const std::string& dataset) {
  count_load();
  return make_panel_model(which, dataset);
}

GaussianMixture2D load_panel_mixture(const std::string& dataset, int reference_points) {
  count_load();
  return Dataset2D::load(dataset).oracle_mixture(reference_points);
}

PanelLoadCounts panel_load_counts() {
  return {g_foreground.load(), g_background.load()};
}

PanelModels load_panel_models(const std::string& dataset, const std::vector<std::string>& which,
                              const std::function<void(double)>& progress) {
  PanelModels models;
  progress(0.0);
  for (const std::string& w : which) {
    models.push_back(load_panel_model(w, dataset));
    progress(static_cast<double>(models.size()) / static_cast<double>(which.size()));
  }
  return models;
}

void ModelLoader::start(const std::string& dataset, std::vector<std::string> which) {
  which_ = which;
  job_.start([dataset, which] { return load_panel_models(dataset, which, job_progress); });
}

bool ModelLoader::poll() {
  return job_.poll();
}

void ModelLoader::status() const {
  if (job_.busy())
    progress_note(tr(which_.size() > 1 ? "jobs.loading_models" : "jobs.loading_model"), job_);
  else if (!job_.error().empty())
    error_note(std::string(tr("jobs.load_failed")) + ": " + job_.error());
}

std::string clip_caption(const DataBox& box) {
  if (box.lo.size() < 2 || box.hi.size() < 2) return tr("jobs.clip_none");
  char text[320];
  std::snprintf(text, sizeof text, tr("jobs.clip_box"), box.lo[0], box.hi[0], box.lo[1], box.hi[1]);
  return text;
}

std::string ui_text_of(const UiMessage& message) {
  return format_message(message, [](const char* key) { return tr(key); });
}

void error_note(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

void ProgressDenoiser::predict_eps(const float* xt, int n, int t, float* eps) {
  inner_.predict_eps(xt, n, t, eps);
  report();
}

void ProgressDenoiser::predict_eps_continuous(const float* xt, int n, double t, double alpha_bar,
                                              float* eps) {
  inner_.predict_eps_continuous(xt, n, t, alpha_bar, eps);
  report();
}

void ProgressDenoiser::report() {
  ++passes_;
  if (progress_ && total_ > 0)
    progress_(std::min(1.0, static_cast<double>(offset_ + passes_) / static_cast<double>(total_)));
}

}  // namespace difflab::lecture
