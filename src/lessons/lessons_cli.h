// lessons_cli.h — `difflab lessons check [FILES…]` and `difflab lessons list`.
// Not the GUI's lesson browser: this is the headless check an author runs before committing a lesson.
#pragma once

#include <iosfwd>

namespace difflab {

// argv[0] is the program, argv[1] is "lessons". Exit status: 0 clean (warnings allowed), 1 if any file has
// an error, 2 for bad arguments. Writes to stdout/stderr.
int lessons_cli(int argc, char** argv);

// The same, writing to the given streams (for tests).
int lessons_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace difflab
