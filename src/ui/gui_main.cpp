// gui_main.cpp — `difflab-gui`, a development executable that only opens the GUI (used by tests/ui).
// Not the product's entry point: `difflab` (src/app/main.cpp) calls the same run_gui.
#include "ui/gui.h"

int main(int argc, char** argv) { return difflab::run_gui(argc, argv); }
