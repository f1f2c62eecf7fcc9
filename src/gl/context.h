// context.h — OpenGL contexts: a GLFW window (4.3 core, else 3.3 core) and, optionally, a headless EGL one.
// Not rendering and not ImGui: this opens and closes contexts and says clearly why when it cannot.
#pragma once

#include <string>

struct GLFWwindow;

namespace difflab::gl {

struct WindowConfig {
  std::string title = "Diffusion Lab";
  int width = 1280, height = 720;  // fits a common projector
  bool fullscreen = false;
  // Shrink width × height to the primary monitor's work area (a remembered 1400 × 900 on a 1280 × 720
  // projector); off for an explicit --size, which screenshots ask for exactly.
  bool fit_to_screen = false;
  bool visible = true;
};

struct Window {
  GLFWwindow* handle = nullptr;  // null on failure (see error)
  int gl_major = 0, gl_minor = 0;
  std::string error;  // why no window could be opened, for stderr and the user
  const char* glsl_version = "#version 330 core";
};

// Initialises GLFW (once), then asks for OpenGL 4.3 core, then 3.3 core. On failure returns a Window
// with handle == nullptr and a message naming what was tried ("no display?" when GLFW cannot start).
Window create_window(const WindowConfig& config);
void destroy_window(Window* window);  // also terminates GLFW

// Toggles between windowed and fullscreen on the primary monitor, remembering the windowed placement.
void toggle_fullscreen(GLFWwindow* window);

// A headless context (EGL, surfaceless, OpenGL 4.3 core) for compute work without a window.
struct HeadlessContext {
  void* display = nullptr;
  void* context = nullptr;
  std::string error;
  bool ok() const { return context != nullptr; }
};
HeadlessContext create_headless_context();
void destroy_headless_context(HeadlessContext* context);

}  // namespace difflab::gl
