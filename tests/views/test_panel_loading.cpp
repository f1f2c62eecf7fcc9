// test_panel_loading.cpp — the lecture panels' background loading: models and the exact mixture arrive
// through the job with progress and errors, panels never load on the UI thread (constructors and draws with
// the worker held busy), cancellation on destruction, fractional progress of the ELBO bound.
// Not the models themselves (tests/train) nor what panels draw once loaded (tests/ui screenshots).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/schedule.h"
#include "data/idx.h"
#include "lecture/live_panel.h"
#include "lecture/model_loader.h"
#include "lecture/panel_clip_layout.h"
#include "lecture/panel_images_parts.h"
#include "lecture/shared.h"
#include "lessons/ui_text.h"
#include "one_gaussian.h"
#include "plot/plot.h"
#include "train/checkpoint.h"
#include "views/views.h"

using namespace difflab;
using namespace difflab::lecture;

namespace {

// Waits (up to a minute) until the worker has nothing queued or running.
void drain_worker() {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (BackgroundJob::busy() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE_FALSE(BackgroundJob::busy());
}

// Polls a loader like a panel does every frame, until its load finished.
void wait_for(ModelLoader& loader) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!loader.poll() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

// Holds the single worker thread until released: jobs submitted meanwhile stay queued.
struct WorkerHold {
  std::shared_ptr<std::atomic<bool>> release = std::make_shared<std::atomic<bool>>(false);
  WorkerHold() {
    auto flag = release;
    BackgroundJob::submit([flag] {
      while (!*flag) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    });
  }
  ~WorkerHold() { *release = true; }
};

struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 720);
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    io.Fonts->AddFontDefault();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  void frame(LivePanel& panel) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1280, 720));
    ImGui::Begin("panel");
    panel.draw();
    ImGui::End();
    ImGui::Render();
  }
};

PanelDirective directive(const std::string& panel, std::vector<std::pair<std::string, std::string>> params) {
  PanelDirective d;
  d.panel = panel;
  d.params = std::move(params);
  return d;
}

}  // namespace

TEST_CASE("a model load returns the models through the job, reports progress and runs off the UI thread") {
  std::vector<double> fractions;
  const PanelLoadCounts before = panel_load_counts();
  ModelLoader loader;
  loader.start("moons", {"trained", "oracle"});
  CHECK(loader.busy());
  wait_for(loader);
  REQUIRE(loader.ready());
  CHECK(loader.error().empty());
  REQUIRE(loader.models().size() == 2);
  CHECK_FALSE(loader.models()[0]->is_oracle);
  CHECK(loader.models()[1]->is_oracle);
  // The exact denoiser takes the trained model's schedule (make_panel_model), so both share every t.
  CHECK(loader.models()[1]->schedule.T() == loader.models()[0]->schedule.T());
  const PanelLoadCounts after = panel_load_counts();
  CHECK(after.background == before.background + 2);
  CHECK(after.foreground == before.foreground);

  // The closure itself reports 0, ½, 1 for two models.
  load_panel_models("moons", {"trained", "oracle"}, [&](double f) { fractions.push_back(f); });
  CHECK(fractions == std::vector<double>{0.0, 0.5, 1.0});
}

TEST_CASE("a failed load keeps the loader's message (shown on screen), nothing swallowed") {
  ModelLoader loader;
  loader.start("no-such-data-set", {"trained"});
  wait_for(loader);
  CHECK_FALSE(loader.ready());
  // The message names what was missing: the checkpoint of that data set.
  CHECK(loader.error().find("no-such-data-set") != std::string::npos);
}

TEST_CASE("a loader destroyed before its job ran cancels it: the model is never loaded") {
  const PanelLoadCounts before = panel_load_counts();
  {
    WorkerHold hold;
    ModelLoader loader;
    loader.start("moons", {"trained"});
  }  // the loader goes first (the panel closed), then the worker is released
  drain_worker();
  CHECK(panel_load_counts().background == before.background);
}

TEST_CASE("no lecture panel loads a checkpoint or builds an exact mixture on the UI thread") {
  set_ui_language(UiLanguage::es);
  HeadlessImGui gui;
  const PanelLoadCounts before = panel_load_counts();
  {
    // With the worker held, every load a panel asks for stays queued: any load that happened anyway ran
    // synchronously, in the constructor or a draw.
    WorkerHold hold;
    const std::vector<PanelDirective> panels = {
        directive("score", {{"dataset", "moons"}, {"model", "trained"}}),
        directive("score", {{"dataset", "moons"}, {"model", "trained"}, {"view", "langevin"}}),
        directive("sampling", {{"dataset", "moons"}, {"model", "trained"}}),
        directive("sampling", {{"dataset", "moons"}, {"compare", "true"}}),
        directive("forward", {{"dataset", "moons"}, {"show", "density"}}),
        directive("ddim", {{"dataset", "moons"}}),
        directive("ode", {{"dataset", "moons"}}),
        directive("ode", {{"dataset", "moons"}, {"view", "sigma"}}),
        directive("hero", {{"dataset", "moons"}}),
        directive("nfe", {{"dataset", "moons"}}),
        directive("elbo", {{"dataset", "moons"}}),
        directive("cfg_images", {}),
    };
    for (const PanelDirective& d : panels) {
      INFO(d.panel);
      std::unique_ptr<LivePanel> panel = make_lecture_panel(d);
      REQUIRE(panel);
      for (int frame = 0; frame < 3; ++frame) gui.frame(*panel);
      panel->toggle_play();  // Space before anything arrived
      panel->step_once();    // S
      gui.frame(*panel);
      CHECK(panel_load_counts().foreground == before.foreground);
    }
  }
  drain_worker();  // the panels are gone: their queued loads were cancelled
  CHECK(panel_load_counts().foreground == before.foreground);
  CHECK(panel_load_counts().background == before.background);
}

TEST_CASE("panel sources reach the 2-D loaders only through the counted, backgrounded model_loader") {
  // make_panel_model and oracle_mixture called directly from a panel would bypass the count above.
  const std::regex direct(R"(\b(make_panel_model|oracle_mixture)\s*\()");
  int panels = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DIFFLAB_SOURCE_DIR "/src/lecture")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("panel_", 0) != 0 || entry.path().extension() != ".cpp") continue;
    ++panels;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    INFO(name);
    CHECK_FALSE(std::regex_search(source, direct));
  }
  CHECK(panels >= 10);
}

TEST_CASE("the ELBO bound reports fractional progress: one step per network pass, 2T in all, ending at 1") {
  const NoiseSchedule s = make_schedule({ScheduleKind::Linear, 40, 1e-3, 0.2});
  ExactDenoiser model(one_gaussian(0.5, -0.3), s), exact(one_gaussian(0.4, -0.2), s);
  std::vector<double> fractions;
  const auto record = [&](double f) { fractions.push_back(f); };
  ProgressDenoiser counted_model(model, 0, 2 * s.T(), record), counted_exact(exact, s.T(), 2 * s.T(), record);
  const std::vector<float> x0 = {0.1f, 0.2f, -0.4f, 0.3f, 1.0f, -1.0f};
  const BoundComparison counted =
      compare_bounds(counted_model, counted_exact, VarianceKind::FixedSmall, x0, 3);
  CHECK(counted_model.passes() == s.T());
  CHECK(counted_exact.passes() == s.T());
  REQUIRE(fractions.size() == static_cast<size_t>(2 * s.T()));
  CHECK(fractions.front() == doctest::Approx(1.0 / (2 * s.T())));
  CHECK(fractions[s.T() - 1] == doctest::Approx(0.5));
  CHECK(fractions.back() == 1.0);
  for (size_t i = 1; i < fractions.size(); ++i) CHECK(fractions[i] > fractions[i - 1]);
  // The wrapper changes nothing in the bound: the same numbers as without it.
  const BoundComparison plain = compare_bounds(model, exact, VarianceKind::FixedSmall, x0, 3);
  CHECK(counted.model.total == plain.model.total);
  CHECK(counted.exact.total == plain.exact.total);
}

TEST_CASE("the clipping note gives the data box, or says there is none") {
  set_ui_language(UiLanguage::en);
  DataBox box;
  box.lo = {-1.25, -0.5};
  box.hi = {2.0, 1.75};
  const std::string note = clip_caption(box);
  CHECK(note.find("x ∈ [-1.25, 2.00]") != std::string::npos);
  CHECK(note.find("y ∈ [-0.50, 1.75]") != std::string::npos);
  CHECK(clip_caption(DataBox{}) == tr("jobs.clip_none"));
  set_ui_language(UiLanguage::es);
  CHECK(clip_caption(box).find("caja de los datos") != std::string::npos);
}

TEST_CASE(
    "lesson 09's ODE-Euler and lesson 07's DDIM (eta = 0) at N = 10 give the same samples and sliced W2") {
  // Lesson 09 says one Euler step of the probability-flow ODE is exactly DDIM's step with η = 0 and asks the
  // student to compare with lesson 07's panel at 10 steps: both panels must then show the same number (they
  // read 0.125 against 0.103 when the ODE panel drew other points on trailing steps).
  auto model = load_panel_model("trained", "moons");
  const int T = model->schedule.T();
  const SamplerConfig ddim = panel_sampler(SamplerKind::Ddim, 10, T, 0.0);
  const SamplerConfig euler = panel_sampler(SamplerKind::OdeEuler, 10, T);
  const auto ddim_runs = compare_on_shared_draw(model->model(), {ddim}, "moons");
  const auto euler_runs = compare_on_shared_draw(model->model(), {euler}, "moons");
  REQUIRE(ddim_runs.size() == 1);
  REQUIRE(euler_runs.size() == 1);
  REQUIRE(ddim_runs[0].samples.size() == 2u * SharedDraw::kPoints);
  REQUIRE(euler_runs[0].samples.size() == ddim_runs[0].samples.size());
  double worst = 0;
  for (size_t i = 0; i < ddim_runs[0].samples.size(); ++i)
    worst =
        std::max(worst, static_cast<double>(std::abs(ddim_runs[0].samples[i] - euler_runs[0].samples[i])));
  CHECK(worst < 1e-3);
  CHECK(euler_runs[0].network_evaluations == ddim_runs[0].network_evaluations);
  CHECK(euler_runs[0].swd == doctest::Approx(ddim_runs[0].swd).epsilon(1e-3));
  MESSAGE("sliced W2 at N = 10: DDIM " << ddim_runs[0].swd << ", ODE-Euler " << euler_runs[0].swd);
}

TEST_CASE("lesson 10's live panel has samples before Play: the grid of the shipped early checkpoint") {
  // The panel shows this grid from the slide's first frames until training publishes its own (issue 10:
  // the grid was empty until Play). It must be the network training starts from, at that network's step.
  const std::string path = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classroom-early.ckpt";
  std::unique_ptr<ImageTrainer> trainer;
  try {
    trainer = make_live_image_trainer(path);
  } catch (const IdxError& e) {
    MESSAGE("Fashion-MNIST not installed, skipped: " << e.what());
    return;
  }
  CHECK(trainer->step_count() == load_checkpoint(path).step);
  CHECK(trainer->step_count() > 0);
  const std::vector<float> grid = live_sample_grid(*trainer);
  REQUIRE(grid.size() == static_cast<size_t>(kLiveGridImages) * 28 * 28);
  // Pictures, not noise: neighbouring pixels of an image are strongly correlated; those of the starting
  // noise x_T are independent (correlation 0 up to sampling error, ≈ 0.013 for these 6 048 pairs).
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  int pairs = 0;
  for (int k = 0; k < kLiveGridImages; ++k)
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x + 1 < 28; ++x) {
        const double a = grid[(k * 28 + y) * 28 + x], b = grid[(k * 28 + y) * 28 + x + 1];
        CHECK(std::abs(a) <= 1.0);
        sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b, ++pairs;
      }
  const double cov = sxy / pairs - (sx / pairs) * (sy / pairs);
  const double correlation =
      cov / std::sqrt((sxx / pairs - sx * sx / pairs / pairs) * (syy / pairs - sy * sy / pairs / pairs));
  MESSAGE("neighbour correlation of the starting grid: " << correlation);
  CHECK(correlation > 0.5);
  // The same seed every time: the class sees the same 8 samples sharpen.
  CHECK(live_sample_grid(*trainer) == grid);
}

TEST_CASE(
    "lesson 10's live panel reads the starting step from the checkpoint header, as load_checkpoint does") {
  // Before the starting grid is sampled (seconds) the panel said "step 0" and "first point at step 50" while
  // training would start at the early checkpoint's step 300: the step now comes from the header's first
  // bytes.
  const std::string path = DIFFLAB_SOURCE_DIR "/checkpoints/fashion-mnist-classroom-early.ckpt";
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(in.gcount()));
  CHECK(checkpoint_header_step(head) == load_checkpoint(path).step);
  CHECK(checkpoint_header_step(head) > 0);
  CHECK(checkpoint_header_step("DIFFLAB-CHECKPOINT 1\nstep = 42\nEND-HEADER\n") == 42);
  CHECK(checkpoint_header_step("DIFFLAB-CHECKPOINT 1\nEND-HEADER\nstep = 42\n") == -1);  // a tensor byte
  CHECK(checkpoint_header_step("DIFFLAB-CHECKPOINT 1\nstep = 4x\nEND-HEADER\n") == -1);
  CHECK(checkpoint_header_step("") == -1);
}

TEST_CASE("lesson 10's architecture view fits its area: no scrolling at 1280×720, presenter or not") {
  // 22 entries (input, 20 modules of the classroom U-Net, output) in two columns of 11. Areas measured on
  // the 1280×720 screenshots (panel width × height above the caption; presenter mode ≈ 760 × 470, normal
  // mode ≈ 620 × 520), fonts 18–22 px, and the 1920×1080 ones; the old one-column layout with 2.2-font cells
  // needed 22 × (2.2 · 20 + 4) = 1056 px.
  struct Area {
    float width, height, line, font;
  };
  for (const Area& a : {Area{760, 470, 23, 21}, Area{620, 520, 19, 18}, Area{1140, 760, 27, 25}}) {
    CAPTURE(a.width);
    CAPTURE(a.height);
    const float spacing_x = 8, spacing_y = 4, label = 5.5f * a.font;
    const ArchitectureLayout l =
        architecture_layout(a.width, a.height, 11, a.line, a.font, spacing_x, spacing_y, label);
    CHECK(11 * l.row_height <= a.height + 1e-3f);
    CHECK(2 * l.column_width <= a.width + 1e-3f);
    // A row holds the two label lines and a cell with its gap; a column holds the label and four cells.
    CHECK(l.label_scale * (2 * a.line + 0.5f * spacing_y) + spacing_y <= l.row_height);
    CHECK(l.cell + 2 + spacing_y <= l.row_height + 1e-3f);
    CHECK(l.label_width + spacing_x + 4 * (l.cell + 2) <= l.column_width + 1e-3f);
    CHECK(l.label_width >= label * l.label_scale);
    // Legible: a 28-pixel image at no less than one screen pixel per image pixel, labels at ≥ 0.6.
    CHECK(l.cell >= 28);
    CHECK(l.label_scale >= 0.6f);
  }
}

TEST_CASE("two plots side by side lay out their frames only: the panel does not scroll") {
  // The live-training panel at 1280×720 scrolled: the second plot's hover area, laid out after SameLine,
  // took the line's height (the first plot's) from its own top, 40 px past the frames.
  HeadlessImGui gui;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("plots");
  const float top = ImGui::GetCursorScreenPos().y;
  const float x[] = {0, 1, 2}, y[] = {1, 0.5f, 0.25f};
  for (int k = 0; k < 2; ++k) {
    if (k) ImGui::SameLine();
    REQUIRE(plot::begin_plot(k ? "right" : "left", ImVec2(300, 400), plot::kPlotAutoFit));
    plot::setup_axes("step", k ? nullptr : "y", plot::kAxisNone, k ? plot::kAxisLog : plot::kAxisNone);
    plot::plot_line("curve", x, y, 3);
    plot::end_plot();
  }
  CHECK(ImGui::GetCurrentWindow()->DC.CursorMaxPos.y <= top + 400 + 0.5f);
  ImGui::End();
  ImGui::Render();
}

TEST_CASE(
    "the CLIP panel's nearest captions stay above its caption: the image shrinks, then the list stops") {
  // Lesson 14 at 1280x720 --presenter (line 26 px, side column 290 px): from the image's top to the caption
  // there were 197 px; the image took 3 lines (78 px) and five captions 130 px more, so the fifth ran under
  // the caption box. At 1920x1080 the room is ~500 px and nothing changes: a 30 %-of-width image, 5 captions.
  const float line = 26, width = 290;
  const ClipSideFoot presenter = clip_side_foot(197, width, line);
  CHECK(presenter.captions == 5);
  CHECK(presenter.image_side == doctest::Approx(197 - 0.3 * 26 - 5 * 26));
  CHECK(presenter.image_side >= 2 * line);  // still a picture, not a dot
  const ClipSideFoot wide = clip_side_foot(500, 440, 22);
  CHECK(wide.image_side == doctest::Approx(0.3 * 440));
  CHECK(wide.captions == 5);
  // Any room from the gap up: the image, the gap and the listed captions never pass the foot.
  for (float room = 0.3f * line; room <= 400; room += 7) {
    CAPTURE(room);
    const ClipSideFoot f = clip_side_foot(room, width, line);
    CHECK(f.image_side + 0.3f * line + f.captions * line <= room + 1e-3f);
    CHECK(f.captions >= 0);
    CHECK(f.captions <= 5);
  }
  CHECK(clip_side_foot(2 * line + 0.3f * line + 2.5f * line, width, line).captions == 2);  // room for two
}

TEST_CASE(
    "an equal-aspect plot shows x beyond its ±3.5 limits and the score panel's ±8 error map covers it") {
  // Lesson 08 slide 3: the error heat map was computed on ±3.5 only, so the wide plot showed blank bands at
  // |x| > 3.5 (the axis read ±4.6). The shown range follows from the plot's pixel aspect, not from the map.
  HeadlessImGui gui;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1000, 600));
  ImGui::Begin("wide");
  REQUIRE(plot::begin_plot("field", ImVec2(900, 500), plot::kPlotEqualAspect));
  plot::setup_axis_limits(plot::Axis::X, -3.5, 3.5);
  plot::setup_axis_limits(plot::Axis::Y, -3.5, 3.5);
  const plot::Range sx = plot::shown_x(), sy = plot::shown_y();
  plot::end_plot();
  ImGui::End();
  ImGui::Render();
  CHECK(sy.min == doctest::Approx(-3.5));
  CHECK(sy.max == doctest::Approx(3.5));
  CHECK(sx.min < -3.6);  // wider than tall: more x than the limits asked for
  CHECK(sx.max > 3.6);
  const GridSpec error_grid{-8, 8, -8, 8, 129};  // panel_score.cpp's error map, drawn half a step beyond
  CHECK(error_grid.x_min - error_grid.x_step() / 2 <= sx.min);
  CHECK(error_grid.x_max + error_grid.x_step() / 2 >= sx.max);
}

TEST_CASE("join_or_stack: two texts share a line only where the line fits the width") {
  HeadlessImGui gui;
  ImGui::NewFrame();
  const std::string a = "= ref. 100 %", b = "= clase 100 %";
  const std::string line = a + "  ·  " + b;
  const float w = ImGui::CalcTextSize(line.c_str()).x;
  REQUIRE(w > ImGui::CalcTextSize(a.c_str()).x + ImGui::CalcTextSize(b.c_str()).x);
  CHECK(join_or_stack(a, b, w) == line);
  CHECK(join_or_stack(a, b, w + 50) == line);
  // A pixel less (the IP-Adapter block at 1280 × 720 was ~30 px too narrow): a over b, each whole.
  CHECK(join_or_stack(a, b, w - 1) == a + "\n" + b);
  CHECK(join_or_stack(a, b, 0) == a + "\n" + b);
  ImGui::EndFrame();
}
