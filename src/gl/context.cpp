// context.cpp — GLFW window creation with a 4.3 → 3.3 core fallback, fullscreen toggling, EGL headless
// contexts. Not the GUI loop (src/ui/gui.cpp) and not GL function loading (epoxy does that on first call).
#include "gl/context.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace difflab::gl {
namespace {

std::string g_glfw_error;
void on_glfw_error(int code, const char* description) {
  g_glfw_error = "GLFW error " + std::to_string(code) + ": " + (description ? description : "?");
}

struct WindowedPlacement {
  int x = 100, y = 100, w = 1400, h = 900;
};
WindowedPlacement g_windowed;

// The work area of the primary monitor (the screen less panels and docks), less a title bar's height.
void fit_to_work_area(int* w, int* h) {
  GLFWmonitor* primary = glfwGetPrimaryMonitor();
  if (!primary) return;
  int x = 0, y = 0, area_w = 0, area_h = 0;
  glfwGetMonitorWorkarea(primary, &x, &y, &area_w, &area_h);
  constexpr int kTitleBar = 32;
  if (area_w > 200) *w = std::min(*w, area_w);
  if (area_h > 150 + kTitleBar) *h = std::min(*h, area_h - kTitleBar);
}

}  // namespace

Window create_window(const WindowConfig& config) {
  Window result;
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    result.error =
        "cannot initialise GLFW (is there a display? set DISPLAY or run under xvfb-run): " + g_glfw_error;
    return result;
  }
  struct Attempt {
    int major, minor;
    const char* glsl;
  };
  const Attempt attempts[] = {{4, 3, "#version 430 core"}, {3, 3, "#version 330 core"}};
  std::string tried;
  for (const Attempt& a : attempts) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, a.major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, a.minor);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, config.visible ? GLFW_TRUE : GLFW_FALSE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    GLFWmonitor* monitor = config.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    int w = config.width, h = config.height;
    if (monitor) {
      const GLFWvidmode* mode = glfwGetVideoMode(monitor);
      w = mode->width;
      h = mode->height;
    } else if (config.fit_to_screen) {
      fit_to_work_area(&w, &h);
    }
    g_glfw_error.clear();
    GLFWwindow* window = glfwCreateWindow(w, h, config.title.c_str(), monitor, nullptr);
    if (window) {
      glfwMakeContextCurrent(window);
      glfwSwapInterval(1);
      result.handle = window;
      result.gl_major = a.major;
      result.gl_minor = a.minor;
      result.glsl_version = a.glsl;
      return result;
    }
    tried +=
        "\n  OpenGL " + std::to_string(a.major) + "." + std::to_string(a.minor) + " core: " + g_glfw_error;
  }
  result.error = "no OpenGL 4.3 or 3.3 core context could be created:" + tried +
                 "\n  (update the graphics driver, or try LIBGL_ALWAYS_SOFTWARE=1 for Mesa's llvmpipe)";
  glfwTerminate();
  return result;
}

void destroy_window(Window* window) {
  if (window->handle) glfwDestroyWindow(window->handle);
  window->handle = nullptr;
  glfwTerminate();
}

void toggle_fullscreen(GLFWwindow* window) {
  if (glfwGetWindowMonitor(window)) {
    glfwSetWindowMonitor(window, nullptr, g_windowed.x, g_windowed.y, g_windowed.w, g_windowed.h,
                         GLFW_DONT_CARE);
    return;
  }
  glfwGetWindowPos(window, &g_windowed.x, &g_windowed.y);
  glfwGetWindowSize(window, &g_windowed.w, &g_windowed.h);
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (!monitor) return;
  const GLFWvidmode* mode = glfwGetVideoMode(monitor);
  glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
}

HeadlessContext create_headless_context() {
  HeadlessContext result;
  auto get_platform_display =
      reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  EGLDisplay display = EGL_NO_DISPLAY;
  if (get_platform_display)
    display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
  EGLint major = 0, minor = 0;
  if (display == EGL_NO_DISPLAY || !eglInitialize(display, &major, &minor)) {
    result.error = "EGL: no display could be initialised (surfaceless platform unavailable)";
    return result;
  }
  if (!eglBindAPI(EGL_OPENGL_API)) {
    result.error = "EGL: the desktop OpenGL API is not available";
    eglTerminate(display);
    return result;
  }
  const EGLint context_attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                       4,
                                       EGL_CONTEXT_MINOR_VERSION,
                                       3,
                                       EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                       EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                       EGL_NONE};
  EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, context_attributes);
  if (context == EGL_NO_CONTEXT) {
    result.error = "EGL: no OpenGL 4.3 core context (error 0x" + std::to_string(eglGetError()) + ")";
    eglTerminate(display);
    return result;
  }
  if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
    result.error = "EGL: the context cannot be made current without a surface";
    eglDestroyContext(display, context);
    eglTerminate(display);
    return result;
  }
  result.display = display;
  result.context = context;
  return result;
}

void destroy_headless_context(HeadlessContext* context) {
  if (!context->ok()) return;
  if (eglGetCurrentContext() == context->context)
    eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  eglDestroyContext(context->display, context->context);
  // No eglTerminate: the surfaceless display is one per process, shared by every headless context (two GL
  // backends alive at once); terminating it would destroy the others' contexts. It lives until exit.
  context->display = context->context = nullptr;
}

}  // namespace difflab::gl
