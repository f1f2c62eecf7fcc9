// test_panel_table.cpp — the generated lecture panel table against the panel specs: every lecture panel has
// a spec row, every spec row has a factory in the app, no name twice, every panel the lessons use resolves.
// Not the panels' drawing (test_panel_loading.cpp) nor the specs' parameters (tests/lessons).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "lecture/live_panel.h"
#include "lessons/panel_spec.h"
#include "ui/panels.h"

using namespace difflab;

TEST_CASE("the lecture panel table has one row per panel file and names each panel once") {
  const std::vector<std::string> names = lecture::lecture_panel_names();
  std::set<std::string> unique(names.begin(), names.end());
  CHECK(unique.size() == names.size());
  // The table is generated from src/lecture/panel_<name>.cpp: one row per file, nothing else.
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(DIFFLAB_SOURCE_DIR "/src/lecture")) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("panel_", 0) == 0 && entry.path().extension() == ".cpp")
      files.insert(file.substr(6, file.size() - 10));
  }
  CHECK(files == unique);
  CHECK(unique.count("trilemma") == 1);  // names from the lessons, not from the table under test
  CHECK(unique.count("cfg_images") == 1);
  CHECK(unique.count("train") == 0);  // a built-in of src/ui
}

TEST_CASE("every lecture panel has a spec row and every spec row has a factory in the app") {
  for (const std::string& name : lecture::lecture_panel_names()) {
    CAPTURE(name);
    CHECK(find_panel_spec(name));
  }
  ui::register_builtin_panels();
  lecture::register_lecture_panels();
  const std::vector<std::string> registered = ui::registered_panel_names();
  for (const PanelSpec& spec : panel_specs()) {
    CAPTURE(spec.name);
    CHECK(std::find(registered.begin(), registered.end(), spec.name) != registered.end());
  }
  CHECK(registered.size() == panel_specs().size());
}

TEST_CASE("every panel=NAME in lessons/ resolves to a spec and a registered factory") {
  ui::register_builtin_panels();
  lecture::register_lecture_panels();
  const std::vector<std::string> registered = ui::registered_panel_names();
  const std::regex directive(R"(<!--\s*difflab:\s*panel=([A-Za-z0-9_-]+))");
  std::set<std::string> used;
  for (const auto& entry : std::filesystem::directory_iterator(DIFFLAB_SOURCE_DIR "/lessons")) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), directive); it != std::sregex_iterator();
         ++it)
      used.insert((*it)[1]);
  }
  CHECK(used.count("guidance") == 1);
  for (const std::string& name : used) {
    CAPTURE(name);
    CHECK(find_panel_spec(name));
    CHECK(std::find(registered.begin(), registered.end(), name) != registered.end());
  }
}
