// backend_factory.cpp — make_backend: cpu, reference, gl (when built with it) and the auto policy.
// Not an op: the backends live in nn/cpu, nn/reference and nn/gl.
#include "nn/backend_factory.h"

#include <stdexcept>
#include <utility>

#include "nn/reference/reference_backend.h"
#ifdef DIFFLAB_HAS_GL_BACKEND
#include "nn/gl/gl_backend.h"
#endif

namespace difflab {

std::string backend_kind_name(BackendKind kind) {
  switch (kind) {
    case BackendKind::cpu:
      return "cpu";
    case BackendKind::gl:
      return "gl";
    case BackendKind::reference:
      return "reference";
    case BackendKind::automatic:
      return "auto";
  }
  return "?";
}

bool parse_backend_kind(const std::string& name, BackendKind* kind) {
  for (BackendKind k : {BackendKind::cpu, BackendKind::gl, BackendKind::reference, BackendKind::automatic}) {
    if (name == backend_kind_name(k)) {
      *kind = k;
      return true;
    }
  }
  return false;
}

namespace {
std::unique_ptr<Backend> make_gl(std::string* why) {
#ifdef DIFFLAB_HAS_GL_BACKEND
  return make_gl_backend(why);
#else
  if (why) *why = "this difflab was built without the GL backend (DIFFLAB_GL_BACKEND=OFF)";
  return nullptr;
#endif
}
}  // namespace

bool is_software_renderer(const std::string& device_description) {
  for (const char* name : {"llvmpipe", "softpipe", "SwiftShader", "swrast"})
    if (device_description.find(name) != std::string::npos) return true;
  return false;
}

bool gl_backend_available(std::string* why) {
  // Probed once per process: starting a GL backend makes a context and compiles every kernel (about a second
  // on llvmpipe), and the answer does not change while the process runs.
  static const std::pair<bool, std::string> probe = [] {
    std::string reason;
    const bool ok = make_gl(&reason) != nullptr;
    return std::pair<bool, std::string>{ok, reason};
  }();
  if (why) *why = probe.second;
  return probe.first;
}

std::unique_ptr<Backend> make_backend(BackendKind kind, BackendChoice* choice, size_t model_params) {
  BackendChoice local;
  BackendChoice& c = choice ? *choice : local;
  c.requested = kind;
  c.note.clear();
  switch (kind) {
    case BackendKind::cpu:
      c.chosen = kind;
      return make_cpu_backend();
    case BackendKind::reference:
      c.chosen = kind;
      return make_reference_backend();
    case BackendKind::gl: {
      std::string why;
      auto backend = make_gl(&why);
      if (!backend) throw std::runtime_error("--backend gl: " + why);
      c.chosen = kind;
      return backend;
    }
    case BackendKind::automatic: {
      if (model_params != 0 && model_params < kAutoGlMinParams) {
        c.chosen = BackendKind::cpu;
        c.note = "auto: cpu (" + std::to_string(model_params) +
                 " parameters: a model this small runs faster on the CPU)";
        return make_cpu_backend();
      }
      std::string why;
      if (auto backend = make_gl(&why)) {
        const std::string device = backend->device_description();
        if (is_software_renderer(device)) {
          c.chosen = BackendKind::cpu;
          c.note = "auto: cpu (" + device + " is a software renderer: the CPU backend is faster)";
          return make_cpu_backend();
        }
        c.chosen = BackendKind::gl;
        c.note = "auto: gl (" + backend->device_description() + ")";
        return backend;
      }
      c.chosen = BackendKind::cpu;
      c.note = "auto: cpu (" + why + ")";
      return make_cpu_backend();
    }
  }
  throw std::logic_error("make_backend: unknown backend kind");
}

}  // namespace difflab
