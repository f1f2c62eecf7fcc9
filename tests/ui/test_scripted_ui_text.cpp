// test_scripted_ui_text.cpp — every UI string (all ui_text tables, both languages) and every lesson's
// front-matter title, split as scripted text (plot/scripted_text.h), shows no '_' or '^': each one is a
// script marker (ε_θ, x_T, ᾱ_{prev}, L_{VLB}) or written \_ on purpose. Not drawing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/lesson_index.h"
#include "lessons/ui_text.h"
#include "plot/scripted_text.h"

using namespace difflab;

namespace {
void check_no_visible_marks(const std::string& where, const char* text) {
  INFO(where << ": " << std::string(text));
  // A '_' or '^' left visible, or a one-letter script run into a word ("x_prev" lowers only the p). A
  // character written \_ on purpose (clip\_sample, DIFFLAB\_LESSONS\_DIR) is not reported.
  const std::vector<std::string> problems = plot::scripted_text_problems(text);
  CHECK(problems.empty());
  for (const std::string& problem : problems) MESSAGE(problem);
}
}  // namespace

TEST_CASE("the UI strings the scripted-text drawing splits as the lesson math does") {
  using plot::ScriptedRun;
  using Runs = std::vector<ScriptedRun>;
  CHECK(plot::split_scripted("Mismo x_T, 1000 puntos") ==
        Runs{{"Mismo x", ""}, {"T", "_"}, {", 1000 puntos", ""}});
  CHECK(plot::split_scripted("√ᾱ_{prev} x̂₀ + √(1−ᾱ_{prev}−σ²) ε_θ") ==
        Runs{{"√ᾱ", ""}, {"prev", "_"}, {" x̂₀ + √(1−ᾱ", ""}, {"prev", "_"}, {"−σ²) ε", ""}, {"θ", "_"}});
  CHECK(plot::split_scripted("L_{VLB} frente a L_{simple}") ==
        Runs{{"L", ""}, {"VLB", "_"}, {" frente a L", ""}, {"simple", "_"}});
}

TEST_CASE("no UI string shows a '_' or '^' after splitting: every one is a script marker") {
  for (auto table : ui_text_tables()) {
    for (const UiTextEntry& e : table) {
      check_no_visible_marks(std::string(e.key) + " (es)", e.es);
      check_no_visible_marks(std::string(e.key) + " (en)", e.en);
    }
  }
}

TEST_CASE("no lesson title (front matter) shows a '_' or '^' after splitting") {
  const std::vector<LessonEntry> index = list_lessons(DIFFLAB_SOURCE_DIR "/lessons");
  REQUIRE(index.size() >= 11);
  int titles = 0;
  for (const LessonEntry& e : index) {
    for (const char* lang : {"es", "en"}) {
      const Lesson lesson = load_lesson(e.path(lang));
      check_no_visible_marks(e.path(lang), lesson.title.c_str());
      ++titles;
    }
  }
  CHECK(titles >= 22);
}

TEST_CASE("no plot title or legend literal in the panels' sources shows a '_' or '^' after splitting") {
  // Plot titles and legend entries written in the source, outside the tables, are drawn as scripted text
  // too: lesson 00's loss plot read "Lₛimple" for "L_simple".
  const std::regex item(R"re(\b(?:begin_plot|plot_line|plot_scatter|plot_bars|plot_shaded)\(\s*"([^"]*)")re");
  int literals = 0;
  for (const char* dir : {"/src/ui", "/src/lecture"})
    for (const auto& entry : std::filesystem::directory_iterator(std::string(DIFFLAB_SOURCE_DIR) + dir)) {
      if (entry.path().extension() != ".cpp") continue;
      std::ifstream in(entry.path());
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      for (std::sregex_iterator it(text.begin(), text.end(), item), end; it != end; ++it) {
        const std::string literal = (*it)[1].str();
        const std::string shown = literal.substr(0, literal.find("##"));  // ImGui ids are not drawn
        ++literals;
        check_no_visible_marks(entry.path().filename().string(), shown.c_str());
      }
    }
  CHECK(literals > 10);
}

TEST_CASE("no plain ImGui text literal in the panels' sources holds a '_' or '^' (it would be drawn as is)") {
  // Lesson 07 slide 10 labelled its rows "x_T" and "‖x_T‖" through ImGui::TextUnformatted: the underscore
  // showed. Such labels go through plot::scripted_text_item.
  const std::regex item(R"re(ImGui::(?:TextUnformatted|Text|TextWrapped|TextDisabled)\(\s*"([^"]*)")re");
  int literals = 0;
  for (const char* dir : {"/src/ui", "/src/lecture"})
    for (const auto& entry : std::filesystem::directory_iterator(std::string(DIFFLAB_SOURCE_DIR) + dir)) {
      if (entry.path().extension() != ".cpp") continue;
      std::ifstream in(entry.path());
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      for (std::sregex_iterator it(text.begin(), text.end(), item), end; it != end; ++it) {
        const std::string literal = (*it)[1].str();
        ++literals;
        INFO(entry.path().filename().string() << ": \"" << literal << "\"");
        CHECK(literal.find('_') == std::string::npos);
        CHECK(literal.find('^') == std::string::npos);
      }
    }
  CHECK(literals > 3);
}
