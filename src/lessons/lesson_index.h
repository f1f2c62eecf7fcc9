// lesson_index.h — finding the lessons: the lessons/ folder, its NN-slug.LANG.md files, and twins.
// Not parsing (lesson.h) and not navigation state: this is the table of contents.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lessons/diagnostic.h"

namespace difflab {

// One lesson in every language it is written in.
struct LessonEntry {
  int number = 0;                                    // NN
  std::string slug;                                  // "welcome"
  std::map<std::string, std::string> title_by_lang;  // "es" → "Bienvenida: Diffusion Lab"
  std::map<std::string, std::string> path_by_lang;   // "es" → ".../lessons/00-welcome.es.md"
  // The path in `lang`, else in Spanish (the course language), else any; "" if none.
  std::string path(const std::string& lang) const;
  std::string title(const std::string& lang) const;
};

struct LessonFileName {
  int number = 0;
  std::string slug, lang;
};

// Reads "NN-slug.LANG.md" (NN digits, slug [a-z0-9-], LANG 2–3 letters). False for other names.
bool parse_lesson_file_name(const std::string& file_name, LessonFileName* out);

// The lessons folder: $DIFFLAB_LESSONS_DIR, then <exe dir>/../share/difflab/lessons, then the source
// tree's lessons/ (DIFFLAB_SOURCE_DIR). Returns "" when none exists.
std::string locate_lessons_dir();

// Every well-named lesson file in dir, sorted by number (titles read from the files).
// Files ending in .md with other names are reported in `diagnostics` (warnings) when given.
std::vector<LessonEntry> list_lessons(const std::string& dir, std::vector<Diagnostic>* diagnostics = nullptr);

// The same lesson in another language: "…/00-welcome.es.md", "en" → "…/00-welcome.en.md" if that file
// exists, else "".
std::string find_lesson_twin(const std::string& path, const std::string& lang);

// All the lesson files (*.md) in dir, sorted by name.
std::vector<std::string> lesson_files(const std::string& dir);

}  // namespace difflab
