// gl_backend.h — the OpenGL 4.3 compute-shader backend (shaders/*.comp, embedded at build time).
// Not a window and not rendering: it makes its own headless EGL context; see gl_backend_impl.h for its parts.
#pragma once

#include <memory>
#include <string>

#include "nn/backend.h"

namespace difflab {

// Null, with *error naming what is missing (no EGL display, GL version and renderer below 4.3, a shader
// that did not compile with its info log), when the backend cannot run here.
std::unique_ptr<Backend> make_gl_backend(std::string* error);

}  // namespace difflab
