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
  for (auto table : ui_text_tables())
    for (const UiTextEntry& e : table)
      if (!keys.insert(e.key).second) duplicates->push_back(e.key);
  return keys;
}
}  // namespace

TEST_CASE("every UI string has a Spanish and an English text, and keys are unique") {
  std::vector<std::string> duplicates;
  all_keys(&duplicates);
  CHECK_MESSAGE(duplicates.empty(), "duplicate key: " << (duplicates.empty() ? "" : duplicates[0]));
  for (auto table : ui_text_tables())
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
  for (auto table : ui_text_tables())
    for (const UiTextEntry& e : table) {
      INFO(e.key << ": " << e.es);
      CHECK_FALSE(std::regex_search(std::string(e.es), decimal_comma));
    }
}

TEST_CASE("printf conversions are read as snprintf reads them") {
  CHECK(printf_conversions("t = %d: %.4f, 100 %% %s") == std::vector<std::string>{"%d", "%.4f", "%s"});
  CHECK(printf_conversions("%-8s|%+.2e|%ld") == std::vector<std::string>{"%-8s", "%+.2e", "%ld"});
  CHECK(printf_conversions("no conversions, 50 %%").empty());
  // A lone '%' is a conversion only when a conversion character ends it: "99 % more" is text; "99 % de"
  // and "99 % of" read as "% d" and "% o" (a space flag, then d or o) if the text is ever used as a format.
  CHECK(printf_conversions("99 % more").empty());
  CHECK(printf_conversions("99 % of the data") == std::vector<std::string>{"% o"});
  CHECK(printf_conversions("99 % de los datos") == std::vector<std::string>{"% d"});
}

TEST_CASE("every UI text carries the same printf conversions in Spanish and English") {
  // Panels hand these texts to snprintf as formats: a conversion missing in one language reads a wrong
  // argument (or past the end) in that language only.
  int formats = 0;
  for (auto table : ui_text_tables())
    for (const UiTextEntry& e : table) {
      INFO(std::string(e.key));
      const auto es = printf_conversions(e.es), en = printf_conversions(e.en);
      CHECK(es == en);
      formats += !en.empty();
    }
  CHECK(formats > 30);
}

TEST_CASE("every 2-D data set preset has a name in both languages, other ids pass through") {
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

TEST_CASE("Spanish UI strings and lessons name the denoiser and the sampler in Spanish, one word each") {
  // The walkthrough of issue 10 found "denoiser exacto" (English) in Spanish panels and lessons beside
  // "muestreador"/"sampler" mixed in one panel. The Spanish words: "eliminador de ruido", "muestreador";
  // a lesson may gloss the English word once, as "(en inglés, *denoiser*)".
  const std::regex english(R"((denoiser|sampler))", std::regex::icase);
  const std::regex english_ui(R"((denoiser|sampler|schedule))", std::regex::icase);  // "planificador"
  for (auto table : ui_text_tables())
    for (const UiTextEntry& e : table) {
      INFO((std::string(e.key) + ": " + e.es));
      CHECK_FALSE(std::regex_search(std::string(e.es), english_ui));
    }
  int lessons = 0, glosses = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DIFFLAB_SOURCE_DIR "/lessons")) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 6 || name.substr(name.size() - 6) != ".es.md") continue;
    ++lessons;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.find("<!-- difflab:") != std::string::npos) continue;  // panel directives are identifiers
      const std::string gloss = "(en inglés, *denoiser*)";
      for (size_t at; (at = line.find(gloss)) != std::string::npos;) line.erase(at, gloss.size()), ++glosses;
      INFO(name << ":" << number << ": " << line);
      CHECK_FALSE(std::regex_search(line, english));
    }
  }
  CHECK(lessons >= 11);
  CHECK(glosses >= 1);
}

TEST_CASE("texts drawn by plain ImGui widgets (buttons, check boxes, sliders, progress) show no '_' or '^'") {
  // Only plots and captions draw scripted text; a button labelled "Nuevo x_T" showed the underscore
  // (lesson 07's image panels), and lesson 16's attention view labelled its image "x_t" by TextUnformatted.
  // Keys passed straight to a widget or a progress note must be plain.
  const std::regex widget(
      R"re((?:ImGui::(?:Button|SmallButton|Checkbox|SliderInt|SliderFloat|Combo|RadioButton|Text|TextDisabled|TextWrapped|TextUnformatted|MenuItem|BeginMenu)|progress_note|busy_note)\(\s*tr(?:_id)?\(\s*"([^"]+)")re");
  std::set<std::string> keys;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(DIFFLAB_SOURCE_DIR "/src")) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), widget), end; it != end; ++it)
      keys.insert((*it)[1]);
  }
  CHECK(keys.size() > 50);
  int found = 0;
  for (auto table : ui_text_tables())
    for (const UiTextEntry& e : table) {
      if (!keys.count(e.key)) continue;
      ++found;
      INFO((std::string(e.key) + ": " + e.es + " / " + e.en));
      for (const char* text : {e.es, e.en}) {
        const std::string t(text);
        CHECK(t.find('_') == std::string::npos);
        CHECK(t.find('^') == std::string::npos);
      }
    }
  CHECK(found == static_cast<int>(keys.size()));
}
