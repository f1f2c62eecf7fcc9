// lessons_cli.cpp — the `lessons` command: check files (diagnostics as file:line: error: …) and list them.
// Not parsing (lesson.cpp) nor discovery (lesson_index.cpp): it calls them and prints.
#include "lessons/lessons_cli.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/lesson_index.h"

namespace difflab {
namespace {

const char* const kUsage =
    "usage: difflab lessons check [--dir DIR] [FILES…]   check lesson files (default: every file in the\n"
    "                                                  lessons folder); exit 1 if any has an error\n"
    "       difflab lessons list [--dir DIR]            the lessons, their number and title per language\n"
    "\n"
    "The lessons folder is $DIFFLAB_LESSONS_DIR, else <exe>/../share/difflab/lessons, else the source "
    "tree's\n"
    "lessons/. A lesson file is NN-slug.LANG.md: Marp Markdown, slides separated by '---' lines; a live "
    "panel\n"
    "is set with <!-- difflab: panel=NAME key=value … --> (see `difflab lessons check --help`).\n";

const char* const kCheckHelp =
    "usage: difflab lessons check [--dir DIR] [FILES…]\n"
    "\n"
    "Parses each file as a lesson and prints every problem as FILE:LINE: error|warning: MESSAGE, then a "
    "summary.\n"
    "A FILE that is a folder stands for every lesson file in it, as --dir does.\n"
    "Errors: an empty file, a folder with no lesson files, a file over 16 MiB, NUL bytes, invalid UTF-8; "
    "unterminated front\n"
    "matter, code fence, $$ or comment; nesting deeper than the limits (32 quotes/lists/columns, 64 levels\n"
    "in a formula); bad difflab directives (unknown panel or parameter, value out of range).\n"
    "Warnings: unknown LaTeX commands, LaTeX left unrendered (\\cmd, x_t, x^2 outside $…$, or _ ^ \\ left\n"
    "in a formula), a '$' never closed (in slide text and in speaker notes alike), missing images, a\n"
    "lesson whose twin in the other language is missing or has a different number of slides or panels.\n"
    "Exit status: 0 when no file has an error, 1 otherwise, 2 for bad arguments.\n";

const char* const kListHelp =
    "usage: difflab lessons list [--dir DIR]\n"
    "\n"
    "Prints one line per lesson: its number, slug, and title in each language it is written in.\n";

// Slide-by-slide comparison of a lesson with its twin, so that switching language (L) keeps the place.
void compare_twins(const Lesson& lesson, const Lesson& twin, std::vector<Diagnostic>* out) {
  if (lesson.slides.size() != twin.slides.size()) {
    out->push_back(Diagnostic{lesson.path, 0, Severity::Warning,
                              std::to_string(lesson.slides.size()) + " slides, but its twin " + twin.path +
                                  " has " + std::to_string(twin.slides.size()) +
                                  " (switching language keeps the slide number)"});
    return;
  }
  for (size_t k = 0; k < lesson.slides.size(); ++k) {
    const auto& a = lesson.slides[k].panel;
    const auto& b = twin.slides[k].panel;
    const std::string pa = a ? a->panel : "none", pb = b ? b->panel : "none";
    if (pa != pb)
      out->push_back(
          Diagnostic{lesson.path, lesson.slides[k].line, Severity::Warning,
                     "slide " + std::to_string(k + 1) + " shows panel " + pa + ", its twin shows " + pb});
  }
}

int check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string dir;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kCheckHelp;
      return 0;
    }
    if (a == "--dir") {
      if (i + 1 >= args.size()) {
        err << "difflab lessons check: --dir needs a folder\n";
        return 2;
      }
      dir = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      err << "difflab lessons check: unknown option '" << a << "'\n" << kCheckHelp;
      return 2;
    } else {
      files.push_back(a);
    }
  }
  std::vector<Diagnostic> diagnostics;
  // A folder among the files means every lesson in it (`lessons check lessons/`).
  std::vector<std::string> expanded;
  for (const std::string& file : files) {
    std::error_code ec;
    if (!std::filesystem::is_directory(file, ec)) {
      expanded.push_back(file);
      continue;
    }
    const std::vector<std::string> inside = lesson_files(file);
    if (inside.empty()) {
      err << "difflab lessons check: no lesson files (NN-slug.LANG.md) in " << file << "\n";
      return 1;
    }
    list_lessons(file, &diagnostics);  // reports badly named files
    expanded.insert(expanded.end(), inside.begin(), inside.end());
  }
  files = expanded;
  if (files.empty()) {
    if (dir.empty()) dir = locate_lessons_dir();
    if (dir.empty() || !std::filesystem::is_directory(dir)) {
      err << "difflab lessons check: no lessons folder found" << (dir.empty() ? "" : " at " + dir)
          << " (set DIFFLAB_LESSONS_DIR or pass --dir)\n";
      return 1;
    }
    files = lesson_files(dir);
    list_lessons(dir, &diagnostics);  // reports badly named files
    if (files.empty()) {
      err << "difflab lessons check: no lesson files (NN-slug.LANG.md) in " << dir << "\n";
      return 1;
    }
  }
  for (const std::string& file : files) {
    Lesson lesson = load_lesson(file);
    check_lesson_images(&lesson);
    std::vector<Diagnostic> found = lesson.diagnostics;
    LessonFileName name;
    const std::string file_name = std::filesystem::path(file).filename().string();
    if (parse_lesson_file_name(file_name, &name) && !lesson.slides.empty()) {
      const std::string declared = lesson.front_matter_value("lang");
      if (!declared.empty() && declared != name.lang)
        found.push_back(
            Diagnostic{file, 1, Severity::Warning,
                       "front matter says lang: " + declared + " but the file name says ." + name.lang});
      for (const char* other : {"es", "en"}) {
        if (name.lang == other) continue;
        const std::string twin = find_lesson_twin(file, other);
        if (twin.empty()) {
          found.push_back(
              Diagnostic{file, 0, Severity::Warning, std::string("has no twin in '") + other + "'"});
          continue;
        }
        compare_twins(lesson, load_lesson(twin), &found);
      }
    }
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  }
  for (const Diagnostic& d : diagnostics) out << format_diagnostic(d) << "\n";
  const int errors = count_errors(diagnostics), warnings = count_warnings(diagnostics);
  out << files.size() << (files.size() == 1 ? " file" : " files") << " checked: " << errors
      << (errors == 1 ? " error, " : " errors, ") << warnings
      << (warnings == 1 ? " warning\n" : " warnings\n");
  return errors > 0 ? 1 : 0;
}

int list(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string dir;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << kListHelp;
      return 0;
    }
    if (args[i] == "--dir" && i + 1 < args.size()) {
      dir = args[++i];
      continue;
    }
    err << "difflab lessons list: unexpected argument '" << args[i] << "'\n" << kListHelp;
    return 2;
  }
  if (dir.empty()) dir = locate_lessons_dir();
  if (dir.empty() || !std::filesystem::is_directory(dir)) {
    err << "difflab lessons list: no lessons folder found (set DIFFLAB_LESSONS_DIR or pass --dir)\n";
    return 1;
  }
  out << "lessons in " << dir << "\n";
  for (const LessonEntry& e : list_lessons(dir)) {
    out << (e.number < 10 ? "0" : "") << e.number << "  " << e.slug << "\n";
    for (const auto& [lang, title] : e.title_by_lang)
      out << "    " << lang << "  " << title << "  ("
          << std::filesystem::path(e.path_by_lang.at(lang)).filename().string() << ")\n";
  }
  return 0;
}

}  // namespace

int lessons_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args;
  for (int i = 2; i < argc; ++i) args.emplace_back(argv[i]);
  if (args.empty()) {
    err << "difflab lessons: missing subcommand\n" << kUsage;
    return 2;
  }
  const std::string sub = args.front();
  args.erase(args.begin());
  if (sub == "--help" || sub == "-h" || sub == "help") {
    out << kUsage;
    return 0;
  }
  if (sub == "check") return check(args, out, err);
  if (sub == "list") return list(args, out, err);
  err << "difflab lessons: unknown subcommand '" << sub << "'\n" << kUsage;
  return 2;
}

int lessons_cli(int argc, char** argv) {
  return lessons_cli(argc, argv, std::cout, std::cerr);
}

}  // namespace difflab
