// diagnostic.cpp — formatting and counting lesson diagnostics (file:line: error: message).
// Not collecting them: the parser and `lessons check` do that.
#include "lessons/diagnostic.h"

#include <algorithm>

namespace difflab {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file.empty() ? std::string("<text>") : d.file;
  if (d.line > 0) {
    out += ':';
    out += std::to_string(d.line);
  }
  out += d.severity == Severity::Error ? ": error: " : ": warning: ";
  return out + d.message;
}

int count_errors(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

int count_warnings(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(diagnostics.size()) - count_errors(diagnostics);
}

}  // namespace difflab
