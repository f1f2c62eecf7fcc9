// live_backend.h — which backend the UI's live training uses (the View menu's choice), what the last live job
// ran on (the status bar), and a one-time check, off the UI thread, of whether the GL backend can run here.
// Not a backend (nn/backend_factory.h makes them) and not UI code: no ImGui; every function is thread-safe.
#pragma once

#include <string>

#include "nn/backend_factory.h"

namespace difflab {

// The backend of live training started from now on (default cpu). Running jobs keep theirs.
void set_live_backend(BackendKind kind);
BackendKind live_backend();

// What the most recent live job's backend runs on (Backend::device_description(), plus auto's choice); empty
// before any. Jobs call set_ on their worker thread after making their trainer.
void set_live_backend_description(const std::string& text);
std::string live_backend_description();

// Whether `--backend gl` would work here. The first call starts the check on a thread of its own (making a GL
// context and compiling every kernel takes a while on llvmpipe) and returns at once; later calls see it done.
struct GlProbe {
  bool done = false;
  bool available = false;
  std::string why;          // when not available: the factory's message
  std::string description;  // when available: the GL backend's device_description() (GL_RENDERER, version)
};
GlProbe gl_probe();

}  // namespace difflab
