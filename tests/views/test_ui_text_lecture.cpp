// test_ui_text_lecture.cpp — the live panels' string table: its keys are grouped by panel prefix.
// Not the lookup, the key coverage or the printf conversions (tests/lessons/test_ui_text.cpp checks those for
// every table).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lessons/ui_text.h"

using namespace difflab;

TEST_CASE("the placeholder entry is gone and panel keys are grouped by prefix") {
  for (const UiTextEntry& e : ui_text_table_lecture()) {
    INFO(e.key);
    CHECK(std::string(e.key) != "lecture.placeholder");
    CHECK(std::string(e.key).find('.') != std::string::npos);
  }
}
