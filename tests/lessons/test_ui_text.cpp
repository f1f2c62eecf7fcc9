// test_ui_text.cpp — the UI string tables: both languages for every key, no duplicate keys, and every
// tr("…") / tr_id("…", …) literal in src/ names a key that exists. Not a spelling check.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "lessons/panel_spec.h"
#include "lessons/ui_text.h"

using namespace difflab;

namespace {
std::set<std::string> all_keys(std::vector<std::string>* duplicates) {
  std::set<std::string> keys;
  for (auto table : {ui_text_table_common(), ui_text_table_shell(), ui_text_table_lecture(),
                     ui_text_table_samplers(), ui_text_table_cfg_images()})
    for (const UiTextEntry& e : table)
      if (!keys.insert(e.key).second) duplicates->push_back(e.key);
  return keys;
}
}  // namespace

TEST_CASE("every UI string has a Spanish and an English text, and keys are unique") {
  std::vector<std::string> duplicates;
  all_keys(&duplicates);
  CHECK_MESSAGE(duplicates.empty(), "duplicate key: " << (duplicates.empty() ? "" : duplicates[0]));
  for (auto table :
       {ui_text_table_common(), ui_text_table_shell(), ui_text_table_lecture(), ui_text_table_samplers()})
    for (const UiTextEntry& e : table) {
      INFO(e.key);
      CHECK(e.es != nullptr);
      CHECK(e.en != nullptr);
      CHECK(std::string(e.es).size() > 0);
      CHECK(std::string(e.en).size() > 0);
    }
}

TEST_CASE("tr follows the current language and returns a missing key unchanged") {
  set_ui_language(UiLanguage::en);
  CHECK(std::string(tr("common.play")) == "Play");
  set_ui_language(UiLanguage::es);
  CHECK(std::string(tr("common.play")) == "Reproducir");
  CHECK(std::string(tr("no.such.key")) == "no.such.key");
  CHECK(std::string(tr_id("common.play", "play")) == "Reproducir##play");
  CHECK(ui_language_from_code("en") == UiLanguage::en);
  CHECK(ui_language_from_code("es") == UiLanguage::es);
}

TEST_CASE("every tr(\"…\") literal in src/ names a key of the tables") {
  std::vector<std::string> duplicates;
  const std::set<std::string> keys = all_keys(&duplicates);
  const std::regex call(R"re(\btr(?:_id)?\(\s*"([^"]+)")re");
  int uses = 0;
  std::vector<std::string> missing;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(DIFFLAB_SOURCE_DIR "/src")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".h") continue;
    if (entry.path().filename() == "ui_text.h") continue;  // its comments show the calls
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
      ++uses;
      if (!keys.count((*it)[1])) missing.push_back(entry.path().filename().string() + ": " + (*it)[1].str());
    }
  }
  CHECK(uses > 300);  // the shell and every panel speak through the tables
  for (const auto& m : missing) FAIL_CHECK("missing UI string key " << m);
}

TEST_CASE("Spanish UI strings write decimals with a point, as the course's slides do") {
  // "0,02" beside "0.0001" in one caption (walkthrough of issue 10): a digit, a comma, a digit is a decimal
  // comma; "%d, %d" and "(1, 2)" have a space after the comma and are lists.
  const std::regex decimal_comma(R"(\d,\d)");
  for (auto table :
       {ui_text_table_common(), ui_text_table_shell(), ui_text_table_lecture(), ui_text_table_samplers()})
    for (const UiTextEntry& e : table) {
      INFO(e.key << ": " << e.es);
      CHECK_FALSE(std::regex_search(std::string(e.es), decimal_comma));
    }
}

TEST_CASE("every 2-D data set preset has a name in both languages; other ids pass through") {
  // Lesson 00's first caption ended "…hasta los datos: swiss-roll." (the raw id, in English).
  for (UiLanguage lang : {UiLanguage::es, UiLanguage::en}) {
    set_ui_language(lang);
    for (const std::string& id : dataset_preset_names()) {
      INFO(id);
      const std::string key = "dataset." + id;
      CHECK(std::string(tr(key.c_str())) != key);
    }
  }
  set_ui_language(UiLanguage::es);
  CHECK(dataset_label("swiss-roll") == "rollo suizo (swiss roll)");
  CHECK(dataset_label("moons") == "medialunas");
  CHECK(dataset_label("csv:my.csv") == "csv:my.csv");
  set_ui_language(UiLanguage::en);
  CHECK(dataset_label("swiss-roll") == "swiss roll");
  set_ui_language(UiLanguage::es);
}
