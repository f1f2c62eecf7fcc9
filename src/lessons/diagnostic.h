// diagnostic.h — one message about a lesson file: where (file:line), how bad, and what.
// Not a logger and not an exception: parsing collects these and never stops on them.
#pragma once

#include <string>
#include <vector>

namespace difflab {

enum class Severity { Warning, Error };

struct Diagnostic {
  std::string file;  // as given to the parser (may be empty for in-memory text)
  int line = 0;      // 1-based line in the file; 0 when the message is about the whole file
  Severity severity = Severity::Error;
  std::string message;
};

// "file:line: error: message" (compiler style, so editors can jump to it).
std::string format_diagnostic(const Diagnostic& d);

int count_errors(const std::vector<Diagnostic>& diagnostics);
int count_warnings(const std::vector<Diagnostic>& diagnostics);

}  // namespace difflab
