// test_lesson_index.cpp — lesson file names, the lesson list, twins and the lessons folder lookup.
// Not parsing (test_lesson_parser.cpp).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "lessons/lesson_index.h"

using namespace difflab;
namespace fs = std::filesystem;

TEST_CASE("lesson file names are NN-slug.LANG.md") {
  LessonFileName n;
  REQUIRE(parse_lesson_file_name("00-welcome.es.md", &n));
  CHECK(n.number == 0);
  CHECK(n.slug == "welcome");
  CHECK(n.lang == "es");
  REQUIRE(parse_lesson_file_name("12-forward-process.en.md", &n));
  CHECK(n.number == 12);
  CHECK(n.slug == "forward-process");
  CHECK_FALSE(parse_lesson_file_name("welcome.es.md", &n));
  CHECK_FALSE(parse_lesson_file_name("00-welcome.md", &n));
  CHECK_FALSE(parse_lesson_file_name("00-Welcome.es.md", &n));
  CHECK_FALSE(parse_lesson_file_name("00-welcome.es.txt", &n));
}

TEST_CASE("list_lessons pairs the languages of each lesson and reads their titles") {
  const std::string dir = std::string(DIFFLAB_SOURCE_DIR) + "/lessons";
  std::vector<Diagnostic> diagnostics;
  const std::vector<LessonEntry> lessons = list_lessons(dir, &diagnostics);
  CHECK(diagnostics.empty());
  REQUIRE(lessons.size() >= 2);
  CHECK(lessons[0].number == 0);
  CHECK(lessons[0].slug == "welcome");
  CHECK(lessons[0].title("es") == "Bienvenida: Diffusion Lab");
  CHECK(lessons[0].title("en") == "Welcome: Diffusion Lab");
  CHECK(lessons[0].title("fr") == "Bienvenida: Diffusion Lab");  // falls back to Spanish
  CHECK(lessons[1].number == 1);
  CHECK(lessons[1].title("es") == "Modelos generativos");
  CHECK(fs::path(lessons[1].path("en")).filename() == "01-generative-models.en.md");
}

TEST_CASE("find_lesson_twin finds the other language's file, or nothing") {
  const std::string dir = std::string(DIFFLAB_SOURCE_DIR) + "/lessons";
  CHECK(fs::path(find_lesson_twin(dir + "/00-welcome.es.md", "en")).filename() == "00-welcome.en.md");
  CHECK(find_lesson_twin(dir + "/00-welcome.es.md", "de").empty());
  CHECK(find_lesson_twin("/tmp/not-a-lesson.md", "en").empty());
}

TEST_CASE("locate_lessons_dir honours DIFFLAB_LESSONS_DIR, then falls back to the source tree") {
  const fs::path tmp = fs::temp_directory_path() / "difflab_test_lessons_dir";
  fs::create_directories(tmp);
  ::setenv("DIFFLAB_LESSONS_DIR", tmp.c_str(), 1);
  CHECK(locate_lessons_dir() == tmp.string());
  ::unsetenv("DIFFLAB_LESSONS_DIR");
  CHECK(fs::equivalent(locate_lessons_dir(), fs::path(DIFFLAB_SOURCE_DIR) / "lessons"));
  fs::remove_all(tmp);
}
