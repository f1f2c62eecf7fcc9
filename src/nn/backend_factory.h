// backend_factory.h — the one place that turns a backend choice (cpu, gl, reference, auto) into a Backend.
// Not a backend: nothing outside nn/ names a concrete backend; CLI flags and the GUI menu come through here.
#pragma once

#include <memory>
#include <string>

#include "nn/backend.h"

namespace difflab {

enum class BackendKind {
  cpu,        // Eigen, threaded (nn/cpu)
  gl,         // OpenGL 4.3 compute shaders (nn/gl), headless EGL context of its own
  reference,  // plain nested loops, one thread, no SIMD: the ground truth for the other two (nn/reference)
  automatic,  // gl for models large enough to gain from it when GL ≥ 4.3 is there, else cpu (see
              // make_backend)
};

std::string backend_kind_name(BackendKind kind);  // "cpu", "gl", "reference", "auto"
// Accepts the names above; false (and *kind untouched) for anything else.
bool parse_backend_kind(const std::string& name, BackendKind* kind);
inline constexpr const char* kBackendKindNames = "cpu|gl|auto|reference";

// What make_backend did and why, for the one line a CLI prints and the GUI's status bar.
struct BackendChoice {
  BackendKind requested = BackendKind::cpu;
  BackendKind chosen = BackendKind::cpu;
  std::string note;  // non-empty when auto fell back or picked by size ("auto: cpu (no OpenGL 4.3: …)")
};

// Parameters at and above which `auto` prefers the GL backend (a small 2-D MLP is dispatch-bound and runs
// faster on the CPU; measured by `difflab bench --backend gl`, see README).
inline constexpr size_t kAutoGlMinParams = 1'000'000;

// Makes the backend. cpu and reference always succeed. gl throws std::runtime_error naming the GL version and
// renderer (or "built without the GL backend") when it cannot run. automatic tries gl when model_params ≥
// kAutoGlMinParams (0 = unknown: prefer gl) and falls back to cpu, saying why in choice->note; it also stays
// on the CPU when the GL renderer is a software one (llvmpipe runs the shaders on the same cores, far
// slower).
std::unique_ptr<Backend> make_backend(BackendKind kind, BackendChoice* choice = nullptr,
                                      size_t model_params = 0);

// True for a GL renderer that runs on the CPU (Mesa's llvmpipe and softpipe, SwiftShader), by its
// description.
bool is_software_renderer(const std::string& device_description);

// True when this build has the GL backend and a GL ≥ 4.3 context can be made here; *why says otherwise.
// Probed once per process (the first call starts a GL backend and compiles its kernels).
bool gl_backend_available(std::string* why = nullptr);

}  // namespace difflab
