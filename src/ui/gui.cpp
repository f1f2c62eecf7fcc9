// gui.cpp — the app shell: window, frame loop, navigation, keys, presenter mode, keys window, screenshots,
// settings; every word through tr(). Not any panel (panel_*.cpp), slide drawing or the presenter view's.
#include "ui/gui.h"

#include <epoxy/gl.h>  // before GLFW, which would include GL/gl.h

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // BeginComboPreview: the lesson title as scripted text

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/stopwatch.h"
#include "gl/context.h"
#include "gl/readback.h"
#include "lessons/lesson.h"
#include "lessons/lesson_index.h"
#include "lessons/panel_spec.h"
#include "lessons/ui_text.h"
#include "plot/layout.h"
#include "plot/plot.h"
#include "plot/scripted_draw.h"
#include "plot/texture_cache.h"
#include "train/live_backend.h"
#include "ui/fonts.h"
#include "ui/gui_options.h"
#include "ui/lesson_view.h"
#include "ui/panels.h"
#include "ui/presenter_view.h"
#include "ui/settings.h"
#include "ui/shell_logic.h"
#include "ui/slide_fit.h"
#include "ui/slide_images.h"

namespace difflab {
namespace ui {
namespace {

constexpr float kPresenterFontScale = 1.5f;

struct Message {
  std::string text;
  bool error = false;
  std::chrono::steady_clock::time_point when = std::chrono::steady_clock::now();
};
// Notes such as "saved …" leave the slide after this long; errors stay (the last 8).
constexpr double kMessageSeconds = 6.0;

struct App {
  GuiOptions options;
  Settings settings;
  gl::Window window;
  FontSet fonts;
  float content_scale = 1.0f;
  float font_size = 20.0f;  // logical pixels, before presenter and HiDPI scaling
  bool fonts_dirty = false;
  bool presenter = false;
  bool show_help = false;
  std::string lang = "es";
  std::string lessons_dir;
  std::vector<LessonEntry> index;
  Lesson lesson;
  bool lesson_ok = false;
  bool has_twin = false;  // the lesson exists in the other language: the toolbar offers the switch
  int slide = 0;
  std::unique_ptr<Panel> panel;
  // The panel open now, by what it shows (lesson without language, slide, directive), not by file: the twin
  // lesson's slide has the same key, so switching language keeps the panel and everything it has computed.
  PanelKey panel_key;
  bool panel_open = false;    // panel_key is current (the panel, or panel_note when it cannot be made)
  std::string sandbox_panel;  // a panel opened from the menu, shown instead of the slide's
  std::string panel_note;     // why no panel is shown
  ImVec2 panel_min, panel_max;
  bool panel_drawn = false;
  float panel_overflow = 0;  // how far the last frame's panel content ran past its area (px; 0 = it fits)
  std::vector<Message> messages;
  bool want_screenshot = false, want_panel_screenshot = false;
  bool want_fullscreen = false;  // toggled between frames, never while a frame is being built
  PresenterView presenter_view;
  std::string title;
  std::string imgui_ini;
  // The slide text's scale fitted to its column (slide_fit.h), for the slide, column and font it was
  // measured with; any change starts again at 1.
  std::string text_fit_key;
  float text_scale = 1.0f;
  // Presenter mode: the fonts grow with the window's height (slide_fit.h, 1 at 720 lines); the panel is
  // drawn at 1 / window_factor of them, so only the slide's text (and the chrome) takes the larger size.
  float window_factor = 1.0f;
};

void say(App& app, const std::string& text, bool error) {
  std::fprintf(stderr, "difflab: %s%s\n", error ? "error: " : "", text.c_str());
  app.messages.push_back({text, error, std::chrono::steady_clock::now()});
  if (app.messages.size() > 8) app.messages.erase(app.messages.begin());
}

// A message from the string table: English on stderr (the CLI's language), the UI language on screen.
void say(App& app, const char* key, const std::vector<std::string>& args, bool error) {
  // Messages are drawn as plain text: the table's \_ (DIFFLAB\_LESSONS\_DIR) is written as "_".
  std::fprintf(stderr, "difflab: %s%s\n", error ? "error: " : "",
               fill(plot::scripted_visible_text(tr(key, UiLanguage::en)), args).c_str());
  app.messages.push_back(
      {fill(plot::scripted_visible_text(tr(key)), args), error, std::chrono::steady_clock::now()});
  if (app.messages.size() > 8) app.messages.erase(app.messages.begin());
}

void set_language(App& app, const std::string& lang) {
  app.lang = lang;
  set_ui_language(ui_language_from_code(lang));
}

// ---- settings ----------------------------------------------------------------------------------------
// False when there is no settings file yet (a first run).
bool load_settings(App& app) {
  const std::string path = settings_path();
  if (path.empty() || !std::filesystem::exists(path)) return false;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  if (!parse_settings(text.str(), &app.settings, &error))
    say(app, "shell.corrupt_settings", {path, error}, false);
  return true;
}

void save_settings(App& app) {
  if (!app.options.screenshot.empty()) return;  // automated runs leave the user's settings alone
  const std::string dir = settings_dir();
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Settings s = app.settings;
  s.last_lesson = app.lesson_ok ? app.lesson.path : s.last_lesson;
  s.slide = app.slide;
  s.lang = app.lang;
  s.font_size = app.font_size;
  s.presenter = app.presenter;
  if (app.window.handle && !glfwGetWindowMonitor(app.window.handle))
    glfwGetWindowSize(app.window.handle, &s.window_width, &s.window_height);
  const std::string error = gl::write_file_atomically(settings_path(), format_settings(s));
  if (!error.empty()) std::fprintf(stderr, "difflab: cannot save settings: %s\n", error.c_str());
}

// ---- lessons and slides ------------------------------------------------------------------------------
const Slide* current_slide(const App& app) {
  if (!app.lesson_ok || app.lesson.slides.empty()) return nullptr;
  return &app.lesson.slides[size_t(std::clamp(app.slide, 0, int(app.lesson.slides.size()) - 1))];
}

void close_panel(App& app) {
  app.panel.reset();
  app.panel_open = false;
  app.panel_key = PanelKey{};
  app.panel_note.clear();
}

// Moving to a slide leaves the panel alone: ensure_panel replaces it only when the new slide shows another.
void set_slide(App& app, int slide) {
  const int count = app.lesson_ok ? int(app.lesson.slides.size()) : 0;
  app.slide = count ? std::clamp(slide, 0, count - 1) : 0;
  app.sandbox_panel.clear();
}

bool open_lesson(App& app, const std::string& path, int slide) {
  Lesson lesson = load_lesson(path);
  check_lesson_images(&lesson);
  fold_lesson_to_bmp(&lesson);
  for (const Diagnostic& d : lesson.diagnostics)
    if (d.severity == Severity::Error) say(app, format_diagnostic(d), true);
  if (lesson.slides.empty()) {
    say(app, "shell.no_slides", {path}, true);
    return false;
  }
  app.lesson = std::move(lesson);
  app.lesson_ok = true;
  app.has_twin = !find_lesson_twin(app.lesson.path, app.lesson.lang == "en" ? "es" : "en").empty();
  if (app.lesson.lang == "es" || app.lesson.lang == "en") set_language(app, app.lesson.lang);
  set_slide(app, slide);
  return true;
}

// The panel key of what the window should show now: the sandbox panel, else the slide's.
PanelKey wanted_panel_key(const App& app) {
  if (!app.sandbox_panel.empty()) return sandbox_panel_key(app.sandbox_panel);
  if (!app.lesson_ok) return PanelKey{};
  return panel_key(app.lesson, app.slide);
}

// L: the same slide of the twin lesson. The live panel stays (same key), so training, samples, zoom and
// every control keep their state; only the words change language.
void switch_language(App& app) {
  const std::string from = app.lang;
  set_language(app, app.lang == "es" ? "en" : "es");
  if (!app.lesson_ok) return;
  const std::string twin = find_lesson_twin(app.lesson.path, app.lang);
  if (twin.empty()) {
    say(app, app.lang == "es" ? "shell.no_twin_es" : "shell.no_twin_en", {}, false);
    return;
  }
  const std::string sandbox = app.sandbox_panel;  // a panel opened from the menu stays open too
  if (!open_lesson(app, twin, app.slide)) return;
  app.sandbox_panel = sandbox;
  const bool kept = app.panel && app.panel_open && app.panel_key == wanted_panel_key(app);
  std::fprintf(stderr, "difflab: language %s → %s: %s, slide %d%s\n", from.c_str(), app.lang.c_str(),
               twin.c_str(), app.slide + 1, kept ? ", live panel kept" : "");
}

void reset_slide(App& app) {
  close_panel(app);
}

// → past the last slide opens the next lesson; ← before the first, the previous lesson's last slide.
// A deck opened with `difflab slides` has no neighbours.
void next_slide(App& app) {
  if (app.lesson_ok && !app.options.slides_mode && app.slide + 1 >= int(app.lesson.slides.size())) {
    const int at = lesson_position(app.index, app.lesson.path);
    if (at >= 0 && at + 1 < int(app.index.size())) {
      open_lesson(app, app.index[size_t(at + 1)].path(app.lang), 0);
      return;
    }
  }
  set_slide(app, app.slide + 1);
}

void previous_slide(App& app) {
  if (app.lesson_ok && !app.options.slides_mode && app.slide == 0) {
    const int at = lesson_position(app.index, app.lesson.path);
    if (at > 0) {
      open_lesson(app, app.index[size_t(at - 1)].path(app.lang), 1 << 20);
      return;
    }
  }
  set_slide(app, app.slide - 1);
}

// Makes the open panel the one wanted_panel_key names: kept when the key is the same, else replaced.
void ensure_panel(App& app) {
  const PanelKey key = wanted_panel_key(app);
  if (app.panel_open && app.panel_key == key) return;
  close_panel(app);
  app.panel_open = true;
  app.panel_key = key;
  if (key.panel.empty()) return;
  PanelDirective directive;
  if (!app.sandbox_panel.empty()) {
    directive.panel = app.sandbox_panel;
  } else {
    const Slide* slide = current_slide(app);
    if (!slide || !slide->panel) return;
    directive = *slide->panel;
  }
  app.panel = make_panel(directive);
  if (!app.panel) {
    const PanelSpec* spec = find_panel_spec(directive.panel);
    app.panel_note = fill(tr("shell.panel_missing"), {directive.panel}) + (spec ? ":\n" + spec->help : ".");
  }
}

// Whether the open panel is running on its own: it says so, or its directive asked for it (autoplay/play).
bool panel_is_playing(const App& app) {
  if (!app.panel) return false;
  if (app.panel->playing()) return true;
  const Slide* slide = app.sandbox_panel.empty() ? current_slide(app) : nullptr;
  return slide && slide->panel &&
         (slide->panel->value("autoplay") == "true" || slide->panel->value("play") == "true");
}

bool slide_has_panel(const App& app) {
  if (!app.sandbox_panel.empty()) return true;
  const Slide* s = current_slide(app);
  return s && s->panel.has_value();
}

std::string file_stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

std::string export_base(const App& app) {
  const std::string stem = app.lesson_ok ? file_stem(app.lesson.path) : "difflab";
  return "difflab-" + stem + "-slide" + std::to_string(app.slide + 1);
}

// ---- screenshots -------------------------------------------------------------------------------------
std::string save_window_png(App& app, const std::string& path, bool panel_only) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(app.window.handle, &w, &h);
  gl::Image image = gl::read_framebuffer(0, 0, w, h);
  if (panel_only) {
    if (!app.panel_drawn) return tr("shell.no_panel_to_save");
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    image = gl::crop(image, int(app.panel_min.x * scale.x), int(app.panel_min.y * scale.y),
                     int((app.panel_max.x - app.panel_min.x) * scale.x),
                     int((app.panel_max.y - app.panel_min.y) * scale.y));
  }
  return gl::save_png(image, path);
}

// ---- fonts -------------------------------------------------------------------------------------------
void rebuild_fonts(App& app) {
  const float pixels =
      app.font_size * (app.presenter ? kPresenterFontScale * app.window_factor : 1.0f) * app.content_scale;
  std::string warning;
  app.fonts = build_fonts(pixels, &warning);
  if (!warning.empty()) say(app, warning, true);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  app.fonts_dirty = false;
}

void change_font_size(App& app, float delta) {
  app.font_size = std::clamp(app.font_size + delta, 10.0f, 64.0f);
  app.fonts_dirty = true;  // rebuilt before the next frame, never in the middle of one
}

// ---- keys --------------------------------------------------------------------------------------------
// Key presses (and repeats) recorded by the GLFW callback, consumed once per frame by handle_keys.
std::vector<int>& pressed_keys() {
  static std::vector<int> keys;
  return keys;
}

void record_key(GLFWwindow*, int key, int, int action, int) {
  if (action == GLFW_PRESS || action == GLFW_REPEAT) pressed_keys().push_back(key);
}

void handle_keys(App& app, PanelInput* input) {
  ImGuiIO& io = ImGui::GetIO();
  std::vector<int> keys;
  keys.swap(pressed_keys());  // consumed even while a text field has the keyboard
  if (io.WantTextInput) return;
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    switch (io.InputQueueCharacters[i]) {
      case 'f':
      case 'F':
        app.want_fullscreen = true;
        break;
      case 'l':
      case 'L':
        switch_language(app);
        break;
      case 'r':
      case 'R':
        reset_slide(app);
        break;
      case 's':
      case 'S':
        input->step = true;
        break;
      case ' ':
        input->toggle_play = true;
        break;
      case 'p':
      case 'P':
        app.want_screenshot = true;
        break;
      case '+':
      case '=':
        change_font_size(app, 2);
        break;
      case '-':
      case '_':
        change_font_size(app, -2);
        break;
      case '?':
      case 'h':
      case 'H':
        app.show_help = !app.show_help;
        break;
      case 'n':
      case 'N':
        app.presenter_view.open = !app.presenter_view.open;
        break;
      default:
        break;
    }
  }
  // Navigation keys come from the GLFW key callback's queue: a tap shorter than one frame (common when a
  // frame takes 30 ms on software GL) would be missed by polling ImGui's key state.
  for (int key : keys) {
    switch (key) {
      case GLFW_KEY_RIGHT:
      case GLFW_KEY_PAGE_DOWN:
        next_slide(app);
        break;
      case GLFW_KEY_LEFT:
      case GLFW_KEY_PAGE_UP:
        previous_slide(app);
        break;
      case GLFW_KEY_HOME:
        set_slide(app, 0);
        break;
      case GLFW_KEY_END:
        set_slide(app, 1 << 20);
        break;
      case GLFW_KEY_F11:
        app.want_fullscreen = true;
        break;
      case GLFW_KEY_KP_ADD:
        change_font_size(app, 2);
        break;
      case GLFW_KEY_KP_SUBTRACT:
        change_font_size(app, -2);
        break;
      // Esc closes what is open, one thing per press: the keys window, the presenter view, fullscreen.
      case GLFW_KEY_ESCAPE:
        if (app.show_help)
          app.show_help = false;
        else if (app.presenter_view.open)
          app.presenter_view.open = false;
        else if (glfwGetWindowMonitor(app.window.handle))
          app.want_fullscreen = true;
        break;
      default:
        break;
    }
  }
}

// ---- drawing -----------------------------------------------------------------------------------------
struct KeyHelp {
  const char* key;   // a key name, or a table key (keys.name_*) for names that are words
  const char* what;  // table key
};
constexpr KeyHelp kKeys[] = {
    {"← / →", "keys.prev_next"},
    {"keys.name_end", "keys.home_end"},
    {"keys.name_space", "keys.play"},
    {"S", "keys.step"},
    {"R", "keys.reset"},
    {"F", "keys.fullscreen"},
    {"+ / −", "keys.font"},
    {"L", "keys.language"},
    {"N", "keys.notes"},
    {"P", "keys.screenshot"},
    {"?", "keys.help"},
    {"Esc", "keys.esc"},
};

void draw_help(App& app) {
  if (!app.show_help) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(
      ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Always,
      ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->WorkSize.x * 0.95f, vp->WorkSize.y * 0.95f));
  ImGui::SetNextWindowBgAlpha(1.0f);  // opaque: the slide's text must not show through the key names
  if (ImGui::Begin(tr_id("keys.title", "help"), &app.show_help,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                       ImGuiWindowFlags_NoSavedSettings)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      for (const KeyHelp& k : kKeys) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(std::string(k.key).rfind("keys.", 0) == 0 ? tr(k.key) : k.key);
        ImGui::PopFont();
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(tr(k.what));
      }
      ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", tr("keys.plots"));
  }
  ImGui::End();
}

// View > Backend: where live training started from now on runs. gl is greyed, with the reason as its
// tooltip, when the GL check (run once, off the UI thread) found no OpenGL 4.3, or while it runs.
void draw_backend_menu() {
  if (!ImGui::BeginMenu(tr_id("menu.backend", "backend"))) return;
  const GlProbe probe = gl_probe();
  const BackendKind current = live_backend();
  struct Item {
    BackendKind kind;
    const char* key;
  };
  for (const Item& item :
       {Item{BackendKind::cpu, "menu.backend_cpu"}, Item{BackendKind::gl, "menu.backend_gl"},
        Item{BackendKind::automatic, "menu.backend_auto"}}) {
    const bool enabled = item.kind != BackendKind::gl || probe.available;
    if (ImGui::MenuItem(tr_id(item.key, backend_kind_name(item.kind).c_str()), nullptr, current == item.kind,
                        enabled))
      set_live_backend(item.kind);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      if (item.kind == BackendKind::gl)
        ImGui::SetTooltip("%s", !probe.done ? tr("menu.backend_gl_checking")
                                : probe.available
                                    ? probe.description.c_str()
                                    : fill(tr("menu.backend_gl_unavailable"), {probe.why}).c_str());
      else if (item.kind == BackendKind::automatic)
        ImGui::SetTooltip("%s",
                          fill(tr("menu.backend_auto_tip"), {std::to_string(kAutoGlMinParams)}).c_str());
    }
  }
  ImGui::Separator();
  ImGui::TextDisabled("%s", tr("menu.backend_applies"));
  ImGui::EndMenu();
}

// The status bar's backend: what the last live training ran on, else what the menu's choice will use.
std::string backend_status() {
  std::string text = live_backend_description();
  if (text.empty()) {
    const BackendKind kind = live_backend();
    const GlProbe probe = gl_probe();
    text = kind == BackendKind::cpu                     ? tr("menu.backend_cpu")
           : kind == BackendKind::gl && probe.available ? probe.description
           : kind == BackendKind::gl                    ? tr("menu.backend_gl")
                                                        : tr("menu.backend_auto");
  }
  // The CPU backend names itself in English ("CPU, 1 thread"): the Spanish status bar said "1 thread".
  for (const auto& [word, key] :
       {std::pair{" threads", "shell.threads"}, std::pair{" thread", "shell.thread"}}) {
    const std::string w = word;
    if (text.size() >= w.size() && text.compare(text.size() - w.size(), w.size(), w) == 0) {
      text.replace(text.size() - w.size(), w.size(), std::string(" ") + tr(key));
      break;
    }
  }
  return fill(tr("shell.backend_status"), {text});
}

void draw_menu(App& app) {
  gl_probe();  // the first frame starts the GL check on its own thread
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr_id("menu.file", "file"))) {
    if (ImGui::MenuItem(tr_id("menu.save_screenshot", "shot"), "P")) app.want_screenshot = true;
    if (ImGui::MenuItem(tr_id("menu.save_panel_screenshot", "panelshot"), nullptr, false,
                        slide_has_panel(app)))
      app.want_panel_screenshot = true;
    if (ImGui::MenuItem(tr_id("menu.export_csv", "csv"), nullptr, false, app.panel != nullptr)) {
      const std::string path = export_base(app) + "-curves.csv";
      std::string error;
      if (app.panel->export_csv(path, &error))
        say(app, "shell.saved", {std::filesystem::absolute(path).string()}, false);
      else
        say(app, "shell.cannot_export", {error}, true);
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr_id("menu.quit", "quit"))) glfwSetWindowShouldClose(app.window.handle, GLFW_TRUE);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr_id("menu.lessons", "lessons"))) {
    if (app.index.empty()) ImGui::TextDisabled("%s", tr("menu.no_lessons_folder"));
    for (const LessonEntry& e : app.index) {
      const std::string label = std::to_string(e.number) + ". " + e.title(app.lang);
      const std::string path = e.path(app.lang);
      // Titles are scripted text ("L_{VLB}" with a lowered VLB).
      if (scripted_selectable(label, path.c_str(), app.lesson_ok && app.lesson.path == path))
        open_lesson(app, path, 0);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr_id("menu.view", "view"))) {
    if (ImGui::MenuItem(tr_id("menu.presenter_mode", "presenter"), nullptr, app.presenter)) {
      app.presenter = !app.presenter;
      app.fonts_dirty = true;
    }
    if (ImGui::MenuItem(tr_id("menu.presenter_view", "notes"), "N", app.presenter_view.open))
      app.presenter_view.open = !app.presenter_view.open;
    if (ImGui::MenuItem(tr_id("menu.fullscreen", "fullscreen"), "F")) app.want_fullscreen = true;
    if (ImGui::MenuItem(tr_id("menu.larger_text", "larger"), "+")) change_font_size(app, 2);
    if (ImGui::MenuItem(tr_id("menu.smaller_text", "smaller"), "−")) change_font_size(app, -2);
    if (ImGui::MenuItem(tr_id("menu.other_language", "language"), "L", false, app.has_twin))
      switch_language(app);
    ImGui::Separator();
    draw_backend_menu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr_id("menu.panels", "panels"))) {
    for (const std::string& name : registered_panel_names())
      if (ImGui::MenuItem(name.c_str(), nullptr, app.sandbox_panel == name)) app.sandbox_panel = name;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr_id("menu.help", "help"))) {
    if (ImGui::MenuItem(tr_id("menu.keys", "keys"), "?")) app.show_help = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void draw_toolbar(App& app) {
  const std::string current = app.lesson_ok ? app.lesson.title : tr("shell.no_lesson");
  const float font = ImGui::GetFontSize();
  // The lesson list takes what the buttons leave, between 8 and 16 em (a 1280-pixel projector in presenter
  // mode has about 40 em).
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::SetNextItemWidth(plot::lesson_combo_width(ImGui::GetContentRegionAvail().x, font,
                                                   plot::scripted_text_size(current).x,
                                                   ImGui::GetFrameHeight() + 4 * style.FramePadding.x));
  // The lesson's title is scripted text ("L_{VLB}" with a lowered VLB): drawn in the combo's preview.
  if (ImGui::BeginCombo("##lesson", nullptr, ImGuiComboFlags(ImGuiComboFlags_CustomPreview))) {
    for (const LessonEntry& e : app.index) {
      const std::string path = e.path(app.lang);
      const std::string label = std::to_string(e.number) + ". " + e.title(app.lang);
      if (scripted_selectable(label, path.c_str(), app.lesson_ok && app.lesson.path == path))
        open_lesson(app, path, 0);
    }
    ImGui::EndCombo();
  }
  if (ImGui::BeginComboPreview()) {
    plot::draw_scripted_text(ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(),
                             ImGui::GetColorU32(ImGuiCol_Text), current);
    ImGui::EndComboPreview();
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##previous", ImGuiDir_Left)) previous_slide(app);
  ImGui::SameLine();
  const int count = app.lesson_ok ? int(app.lesson.slides.size()) : 0;
  ImGui::Text("%d / %d", count ? app.slide + 1 : 0, count);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) next_slide(app);
  ImGui::SameLine();
  if (ImGui::Button(tr_id("shell.reset_button", "reset"))) reset_slide(app);
  ImGui::SameLine();
  if (app.has_twin) {
    if (ImGui::Button(tr_id("shell.switch_language", "language"))) switch_language(app);
    ImGui::SameLine();
  }
  if (ImGui::Button("?")) app.show_help = !app.show_help;
  // The frame time and the panel's status only where they fit: never clipped or wrapped under the buttons.
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f", 1000.0f * ImGui::GetIO().DeltaTime);
  const std::string frame = fill(tr("shell.ms_per_frame"), {ms}), backend = backend_status();
  const std::string panel_status = app.panel ? app.panel->status() : "";
  auto join = [](const std::string& a, const std::string& b) { return a.empty() ? b : a + "   " + b; };
  // The longest line that fits: the panel's status first, then the backend, then the frame time.
  ImGui::SameLine();
  bool shown = false;
  for (const std::string& status :
       {join(join(panel_status, backend), frame), join(panel_status, backend), join(panel_status, "")}) {
    if (!status.empty() && ImGui::CalcTextSize(status.c_str()).x <= ImGui::GetContentRegionAvail().x) {
      ImGui::TextDisabled("%s", status.c_str());
      shown = true;
      break;
    }
  }
  if (!shown) ImGui::NewLine();
}

void draw_messages(App& app) {
  const int errors = app.lesson_ok ? count_errors(app.lesson.diagnostics) : 0;
  const int warnings = app.lesson_ok ? count_warnings(app.lesson.diagnostics) : 0;
  if (errors > 0 || (app.options.check && warnings > 0)) {  // warnings: `lessons check` or --check
    ImGui::Separator();
    const std::string header =
        fill(tr("shell.diagnostics"), {std::to_string(errors), std::to_string(warnings), app.lesson.path}) +
        "###diagnostics";
    if (ImGui::CollapsingHeader(header.c_str())) {
      for (const Diagnostic& d : app.lesson.diagnostics)
        ImGui::TextColored(
            d.severity == Severity::Error ? ImVec4(1, 0.45f, 0.45f, 1) : ImVec4(1, 0.8f, 0.4f, 1), "%s",
            format_diagnostic(d).c_str());
    }
  }
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(app.messages, [&](const Message& m) {
    return !m.error && std::chrono::duration<double>(now - m.when).count() > kMessageSeconds;
  });
  for (const Message& m : app.messages) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(m.error ? ImVec4(1, 0.45f, 0.45f, 1) : ImVec4(0.7f, 0.85f, 1, 1), "%s",
                       m.text.c_str());
    ImGui::PopTextWrapPos();
  }
}

void draw_placeholder(App& app) {
  ImGui::PushFont(app.fonts.heading);
  ImGui::TextUnformatted("Diffusion Lab");
  ImGui::PopFont();
  ImGui::TextWrapped("%s", tr("shell.placeholder"));
}

void draw_main(App& app, const PanelInput& input, bool show_chrome) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  // The presenter view (N) takes the bottom of the screen; the slide and its panel keep the rest.
  ImGui::SetNextWindowSize(
      ImVec2(vp->WorkSize.x, vp->WorkSize.y - presenter_view_height(app.presenter_view)));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##main", nullptr, flags);
  if (show_chrome) {
    draw_toolbar(app);
    ImGui::Separator();
  }
  ensure_panel(app);
  const bool has_panel = slide_has_panel(app);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float font = ImGui::GetFontSize();
  const float text_width = has_panel ? std::clamp(avail.x * 0.36f, font * 16, avail.x * 0.6f) : avail.x;

  // A projector cannot scroll: in presenter mode the text column has no scroll bar, and on every screen a
  // slide's text that overflows its column is drawn smaller until it fits (down to kMinTextScale).
  const std::string fit_key = app.lesson.path + "#" + std::to_string(app.slide) + "#" +
                              std::to_string(int(text_width)) + "x" + std::to_string(int(avail.y)) + "#" +
                              std::to_string(app.fonts.size);
  if (fit_key != app.text_fit_key) {
    app.text_fit_key = fit_key;
    app.text_scale = 1.0f;
  }
  const ImGuiWindowFlags slide_flags = app.presenter ? ImGuiWindowFlags_NoScrollbar : 0;
  ImGui::BeginChild("##slide", ImVec2(text_width, avail.y), false, slide_flags);
  ImGui::SetWindowFontScale(app.text_scale);
  if (!has_panel && avail.x > font * 48) {  // a readable measure: centre the text column
    const float measure = font * 46;
    ImGui::SetCursorPosX((avail.x - measure) * 0.5f);
    ImGui::BeginChild("##measure", ImVec2(measure, 0), false, slide_flags);
    ImGui::SetWindowFontScale(app.text_scale);
  }
  if (const Slide* slide = current_slide(app)) {
    FontSet fonts = app.fonts;
    fonts.scale = app.text_scale;
    draw_slide(*slide, fonts);
    // Window-local y of the end of the text (scrolling included) against the window's height.
    app.text_scale = next_text_scale(app.text_scale, ImGui::GetCursorPosY(), ImGui::GetWindowHeight());
  } else {
    draw_placeholder(app);
  }
  draw_messages(app);
  if (!has_panel && avail.x > font * 48) ImGui::EndChild();
  ImGui::EndChild();

  app.panel_drawn = false;
  if (has_panel) {
    ImGui::SameLine();
    ImGui::BeginChild("##panel", ImVec2(0, avail.y), true);
    if (app.presenter) ImGui::SetWindowFontScale(panel_font_scale(vp->WorkSize.y, app.window_factor));
    app.panel_min = ImGui::GetWindowPos();
    app.panel_max =
        ImVec2(app.panel_min.x + ImGui::GetWindowWidth(), app.panel_min.y + ImGui::GetWindowHeight());
    app.panel_drawn = true;
    if (app.panel) {
      app.panel->draw(input);
    } else {
      ImGui::TextWrapped("%s", app.panel_note.c_str());
    }
    app.panel_overflow = ImGui::GetScrollMaxY();
    ImGui::EndChild();
  }
  ImGui::End();
}

void draw_presenter(App& app) {
  PresenterContent content;
  content.slide = current_slide(app);
  content.slide_index = app.slide;
  content.slide_count = app.lesson_ok ? int(app.lesson.slides.size()) : 0;
  if (app.lesson_ok && app.slide + 1 < content.slide_count) {
    content.next = &app.lesson.slides[size_t(app.slide + 1)];
  } else if (app.lesson_ok && !app.options.slides_mode) {
    const int at = lesson_position(app.index, app.lesson.path);
    if (at >= 0 && at + 1 < int(app.index.size()))
      content.next_lesson_title = app.index[size_t(at + 1)].title(app.lang);
  }
  draw_presenter_view(&app.presenter_view, content, app.fonts);
}

void update_title(App& app) {
  std::string title = "Diffusion Lab";
  if (app.lesson_ok)
    title += " — " + scripted_plain_text(app.lesson.title) + " (" + std::to_string(app.slide + 1) + "/" +
             std::to_string(app.lesson.slides.size()) + ")";
  if (title != app.title) {
    glfwSetWindowTitle(app.window.handle, title.c_str());
    app.title = title;
  }
}

// Picks the lesson to open: --lesson / slides DECK, else the last one, else the first in the index.
bool open_initial_lesson(App& app) {
  app.lessons_dir = locate_lessons_dir();
  if (!app.lessons_dir.empty()) app.index = list_lessons(app.lessons_dir);
  const int slide = app.options.slide >= 0 ? app.options.slide : 0;
  if (!app.options.lesson.empty()) {
    if (!std::filesystem::exists(app.options.lesson)) {
      say(app, "shell.lesson_not_found", {app.options.lesson}, true);
      return false;
    }
    return open_lesson(app, app.options.lesson, slide);
  }
  if (!app.settings.last_lesson.empty() && std::filesystem::exists(app.settings.last_lesson)) {
    std::string path = app.settings.last_lesson;
    const std::string twin = find_lesson_twin(path, app.lang);
    if (!twin.empty()) path = twin;
    return open_lesson(app, path, app.options.slide >= 0 ? slide : app.settings.slide);
  }
  if (!app.index.empty()) return open_lesson(app, app.index.front().path(app.lang), slide);
  say(app, "shell.no_lessons_found", {}, false);
  return true;  // nothing to open is not an error: the placeholder explains
}

}  // namespace
}  // namespace ui

namespace {
// SIGINT/SIGTERM close the window like the close button, so settings are saved on the way out.
volatile std::sig_atomic_t quit_signal = 0;
void request_quit(int) {
  quit_signal = 1;
}
}  // namespace

int run_gui(int argc, char** argv) {
  using namespace ui;
  std::signal(SIGINT, request_quit);
  std::signal(SIGTERM, request_quit);
  App app;
  app.options = parse_gui_options(argc, argv);
  if (app.options.help) {
    std::fputs(gui_usage().c_str(), stdout);
    return 0;
  }
  if (!app.options.error.empty()) {
    std::fprintf(stderr, "difflab: %s\n%s", app.options.error.c_str(), gui_usage().c_str());
    return 2;
  }
  const bool screenshot_all = !app.options.screenshot_all.empty();
  const bool automated = !app.options.screenshot.empty() || screenshot_all;
  const bool have_settings = !automated && load_settings(app);
  set_language(app, !app.options.lang.empty() ? app.options.lang : app.settings.lang);
  app.font_size = app.options.font_size > 0 ? app.options.font_size : app.settings.font_size;
  app.presenter = app.options.presenter || (!automated && app.settings.presenter);
  app.show_help = app.options.show_help;
  app.presenter_view.open = app.options.notes;

  gl::WindowConfig config;
  if (app.options.width > 0) {  // exactly as asked (screenshots)
    config.width = app.options.width;
    config.height = app.options.height;
  } else {  // remembered, or 1280 × 720 on a first run; shrunk to the screen either way
    config.width = have_settings ? app.settings.window_width : 1280;
    config.height = have_settings ? app.settings.window_height : 720;
    config.fit_to_screen = true;
  }
  config.fullscreen = app.options.fullscreen;
  app.window = gl::create_window(config);
  if (!app.window.handle) {
    std::fprintf(stderr, "difflab: cannot open a window: %s\n", app.window.error.c_str());
    return 1;
  }
  float scale_x = 1, scale_y = 1;
  glfwGetWindowContentScale(app.window.handle, &scale_x, &scale_y);
  app.content_scale = std::clamp(std::max(scale_x, scale_y), 1.0f, 4.0f);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  app.imgui_ini = automated ? "" : imgui_ini_path();
  if (!app.imgui_ini.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(settings_dir(), ec);
    if (ec) app.imgui_ini.clear();
  }
  io.IniFilename = app.imgui_ini.empty() ? nullptr : app.imgui_ini.c_str();
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 4;
  style.FrameRounding = 3;
  style.Colors[ImGuiCol_PopupBg].w = 1.0f;  // menus and combo lists opaque: no slide text shows through them
  style.ScaleAllSizes(app.content_scale);
  glfwSetKeyCallback(app.window.handle, record_key);  // before ImGui's backend, which chains to it
  ImGui_ImplGlfw_InitForOpenGL(app.window.handle, true);
  ImGui_ImplOpenGL3_Init(app.window.glsl_version);
  rebuild_fonts(app);
  register_builtin_panels();

  const bool lesson_ok = open_initial_lesson(app);
  if (screenshot_all) set_slide(app, 0);
  int frame = 0, slide_frame = 0, saved = 0;
  const auto started = std::chrono::steady_clock::now();  // for --wait
  int exit_code = 0;
  bool saved_presenter = app.presenter;
  while (!glfwWindowShouldClose(app.window.handle)) {
    glfwPollEvents();
    int width = 0, height = 0;
    glfwGetFramebufferSize(app.window.handle, &width, &height);
    if ((width == 0 || height == 0) && !automated) {  // minimised, or between monitors: draw nothing at 0×0
      glfwWaitEventsTimeout(0.1);
      continue;
    }
    if (quit_signal) glfwSetWindowShouldClose(app.window.handle, GLFW_TRUE);
    {
      int window_w = 0, window_h = 0;  // logical pixels, as the font sizes
      glfwGetWindowSize(app.window.handle, &window_w, &window_h);
      const float factor = app.presenter ? font_pixels_for_window(1.0f, float(window_h)) : 1.0f;
      if (std::abs(factor - app.window_factor) > 0.02f) {
        app.window_factor = factor;
        app.fonts_dirty = true;
      }
    }
    if (app.fonts_dirty || saved_presenter != app.presenter) {
      saved_presenter = app.presenter;
      rebuild_fonts(app);
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();

    PanelInput input;
    input.presenter = app.presenter;
    plot::set_empty_plot_text(tr("plot.no_data"));
    handle_keys(app, &input);
    ensure_panel(app);
    // --play presses Space only for a panel that is not already running (an autoplaying one would pause).
    if (app.options.play && frame == 0 && !panel_is_playing(app)) input.toggle_play = !input.toggle_play;
    // Presenter mode: the menu and toolbar appear only while the mouse is near the top edge.
    const bool show_chrome = !app.presenter || app.show_help || io.MousePos.y < ImGui::GetFontSize() * 3.5f;
    if (show_chrome) draw_menu(app);
    draw_main(app, input, show_chrome);
    draw_presenter(app);
    draw_help(app);
    update_title(app);
    ImGui::Render();

    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(app.window.handle, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.09f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
    ++slide_frame;

    if (screenshot_all && slide_frame >= app.options.frames) {
      char name[32];
      std::snprintf(name, sizeof name, "-%02d.png", app.slide + 1);
      const std::string path =
          (std::filesystem::path(app.options.screenshot_all) / (file_stem(app.lesson.path) + name)).string();
      const std::string error = save_window_png(app, path, false);
      if (!error.empty()) {
        say(app, error, true);
        exit_code = 1;
        break;
      }
      ++saved;
      // A panel whose content runs past its area shows a scroll bar and hides what is below (issue 10):
      // said here so tests/ui/all_slides.sh can fail on it.
      if (app.panel_overflow > 0.5f)
        std::printf("slide %d: the panel's content runs %.0f px past its area\n", app.slide + 1,
                    app.panel_overflow);
      if (app.slide + 1 >= static_cast<int>(app.lesson.slides.size())) {
        std::printf("saved %d slides of %s\n", saved, app.lesson.path.c_str());
        exit_code = lesson_ok ? 0 : 1;
        break;
      }
      set_slide(app, app.slide + 1);
      slide_frame = 0;
    }
    if (!screenshot_all && automated && frame >= app.options.frames &&
        seconds_since(started) >= app.options.wait_seconds) {
      std::string error = save_window_png(app, app.options.screenshot, false);
      if (error.empty() && !app.options.panel_screenshot.empty())
        error = save_window_png(app, app.options.panel_screenshot, true);
      if (!error.empty()) say(app, error, true);
      if (app.panel)
        std::printf("panel status: %s\n", app.panel->status().c_str());  // for tests: is it running?
      exit_code = !error.empty() ? 1 : lesson_ok ? 0 : 1;
      break;
    }
    if (app.want_screenshot || app.want_panel_screenshot) {
      const bool panel_only = !app.want_screenshot;
      const std::string path = export_base(app) + (panel_only ? "-panel.png" : ".png");
      const std::string error = save_window_png(app, path, panel_only);
      if (error.empty())
        say(app, "shell.saved", {std::filesystem::absolute(path).string()}, false);
      else
        say(app, error, true);
      app.want_screenshot = app.want_panel_screenshot = false;
    }
    plot::release_unused_textures();
    glfwSwapBuffers(app.window.handle);
    if (app.want_fullscreen) {  // between frames: the next frame is laid out at the new size from its start
      app.want_fullscreen = false;
      gl::toggle_fullscreen(app.window.handle);
    }
  }

  save_settings(app);
  app.panel.reset();
  plot::release_all_textures();
  release_slide_images();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  gl::destroy_window(&app.window);
  return exit_code;
}

}  // namespace difflab
