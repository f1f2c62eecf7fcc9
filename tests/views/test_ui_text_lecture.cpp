// test_ui_text_lecture.cpp — the live panels' string table: the panels pass its texts to snprintf as formats,
// so each entry's Spanish and English texts must carry the same conversions in the same order.
// Not the lookup or the key coverage (tests/lessons/test_ui_text.cpp checks those for every table).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lessons/ui_text.h"

using namespace difflab;

namespace {
// The printf conversions of a format ("%d", "%.3f", "%s" …), "%%" left out.
std::vector<std::string> conversions(const std::string& format) {
  std::vector<std::string> out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < format.size() && std::string("0123456789.-+ #l").find(format[j]) != std::string::npos) ++j;
    if (j < format.size()) out.push_back(format.substr(i, j - i + 1));
    i = j;
  }
  return out;
}
}  // namespace

TEST_CASE("conversions are parsed as snprintf reads them") {
  CHECK(conversions("t = %d: %.4f, 100 %% %s") == std::vector<std::string>{"%d", "%.4f", "%s"});
  CHECK(conversions("no conversions").empty());
}

TEST_CASE("every lecture-panel text has the same printf conversions in Spanish and English") {
  int formats = 0;
  for (const UiTextEntry& e : ui_text_table_lecture()) {
    INFO(e.key);
    const auto es = conversions(e.es), en = conversions(e.en);
    CHECK(es == en);
    formats += !en.empty();
  }
  CHECK(formats > 10);  // the captions with numbers are in the table
}

TEST_CASE("the placeholder entry is gone and panel keys are grouped by prefix") {
  for (const UiTextEntry& e : ui_text_table_lecture()) {
    INFO(e.key);
    CHECK(std::string(e.key) != "lecture.placeholder");
    CHECK(std::string(e.key).find('.') != std::string::npos);
  }
}
