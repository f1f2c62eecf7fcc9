// gui_main.cpp — `difflab-gui`, a development executable that only opens the GUI (used by tests/ui).
// Not the product's entry point: `difflab` (src/app/main.cpp) calls the same run_gui.
#include "ui/gui.h"

#if DIFFLAB_GUI_HAS_LECTURE
#include "lecture/live_panel.h"
#endif

int main(int argc, char** argv) {
#if DIFFLAB_GUI_HAS_LECTURE
  difflab::lecture::register_lecture_panels();
#endif
  return difflab::run_gui(argc, argv);
}
