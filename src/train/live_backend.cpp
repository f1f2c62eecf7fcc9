// live_backend.cpp — the live-training backend choice, its status text and the GL probe (see live_backend.h).
// Not a backend: the probe only asks the factory.
#include "train/live_backend.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace difflab {
namespace {

std::atomic<BackendKind> g_kind{BackendKind::cpu};
std::mutex g_mutex;
std::string g_description;
GlProbe g_probe;

// The probe's thread, joined at exit (static destruction) so that no EGL call outlives main's objects.
struct ProbeThread {
  std::thread thread;
  ~ProbeThread() {
    if (thread.joinable()) thread.join();
  }
};

}  // namespace

void set_live_backend(BackendKind kind) {
  g_kind = kind;
}

BackendKind live_backend() {
  return g_kind.load();
}

void set_live_backend_description(const std::string& text) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_description = text;
}

std::string live_backend_description() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_description;
}

GlProbe gl_probe() {
  static ProbeThread probe;
  static std::once_flag started;
  std::call_once(started, [] {
    probe.thread = std::thread([] {
      GlProbe result;
      try {
        BackendChoice choice;
        auto backend = make_backend(BackendKind::gl, &choice);
        result.available = true;
        result.description = backend->device_description();
      } catch (const std::exception& e) {
        result.why = e.what();
        const std::string prefix = "--backend gl: ";  // the factory speaks to the CLI
        if (result.why.rfind(prefix, 0) == 0) result.why.erase(0, prefix.size());
      }
      result.done = true;
      std::lock_guard<std::mutex> lock(g_mutex);
      g_probe = result;
    });
  });
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_probe;
}

}  // namespace difflab
