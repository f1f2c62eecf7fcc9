// gui.h — the entry point of the graphical app: window, lesson view, live panels, presenter mode.
// Not the command-line commands (src/app): `difflab` calls run_gui when given no command, GUI flags or
// `slides`.
#pragma once

namespace difflab {

// Runs the GUI until the window closes; returns the process exit code. argv is the program's whole argv
// (argv[1] may be "slides"); see ui/gui_options.h for the flags. With --screenshot it renders a few frames,
// writes the PNG and returns 0 (1 when the lesson could not be loaded or the PNG not written, 2 on bad
// flags).
int run_gui(int argc, char** argv);

}  // namespace difflab
