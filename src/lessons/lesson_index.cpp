// lesson_index.cpp — lesson discovery on the file system.
// Not parsing beyond the title: list_lessons reads each file once with parse_lesson.
#include "lessons/lesson_index.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "lessons/lesson.h"

namespace fs = std::filesystem;

namespace difflab {

std::string LessonEntry::path(const std::string& lang) const {
  if (auto it = path_by_lang.find(lang); it != path_by_lang.end()) return it->second;
  if (auto it = path_by_lang.find("es"); it != path_by_lang.end()) return it->second;
  return path_by_lang.empty() ? std::string() : path_by_lang.begin()->second;
}

std::string LessonEntry::title(const std::string& lang) const {
  if (auto it = title_by_lang.find(lang); it != title_by_lang.end()) return it->second;
  if (auto it = title_by_lang.find("es"); it != title_by_lang.end()) return it->second;
  return title_by_lang.empty() ? std::string() : title_by_lang.begin()->second;
}

bool parse_lesson_file_name(const std::string& name, LessonFileName* out) {
  if (name.size() < 3 || name.compare(name.size() - 3, 3, ".md") != 0) return false;
  const std::string stem = name.substr(0, name.size() - 3);
  const size_t dot = stem.rfind('.');
  if (dot == std::string::npos) return false;
  const std::string lang = stem.substr(dot + 1), head = stem.substr(0, dot);
  if (lang.size() < 2 || lang.size() > 3 ||
      !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return false;
  const size_t dash = head.find('-');
  if (dash == 0 || dash == std::string::npos || dash + 1 >= head.size()) return false;
  const std::string digits = head.substr(0, dash), slug = head.substr(dash + 1);
  if (!std::all_of(digits.begin(), digits.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
      digits.size() > 4)
    return false;
  if (!std::all_of(slug.begin(), slug.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
    return false;
  out->number = std::stoi(digits);
  out->slug = slug;
  out->lang = lang;
  return true;
}

std::string locate_lessons_dir() {
  std::error_code ec;
  if (const char* env = std::getenv("DIFFLAB_LESSONS_DIR"); env && *env && fs::is_directory(env, ec))
    return env;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed =
        (exe.parent_path() / ".." / "share" / "difflab" / "lessons").lexically_normal();
    if (fs::is_directory(installed, ec)) return installed.string();
  }
#ifdef DIFFLAB_SOURCE_DIR
  const fs::path source = fs::path(DIFFLAB_SOURCE_DIR) / "lessons";
  if (fs::is_directory(source, ec)) return source.string();
#endif
  return "";
}

std::vector<std::string> lesson_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".md") files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<LessonEntry> list_lessons(const std::string& dir, std::vector<Diagnostic>* diagnostics) {
  std::map<std::pair<int, std::string>, LessonEntry> by_key;
  for (const std::string& file : lesson_files(dir)) {
    LessonFileName name;
    if (!parse_lesson_file_name(fs::path(file).filename().string(), &name)) {
      if (diagnostics)
        diagnostics->push_back(
            Diagnostic{file, 0, Severity::Warning,
                       "not a lesson file name (expected NN-slug.LANG.md, e.g. 00-welcome.es.md)"});
      continue;
    }
    LessonEntry& entry = by_key[{name.number, name.slug}];
    entry.number = name.number;
    entry.slug = name.slug;
    entry.path_by_lang[name.lang] = file;
    entry.title_by_lang[name.lang] = load_lesson(file).title;
  }
  std::vector<LessonEntry> entries;
  for (auto& [key, entry] : by_key) entries.push_back(std::move(entry));
  return entries;
}

std::string find_lesson_twin(const std::string& path, const std::string& lang) {
  const fs::path p(path);
  LessonFileName name;
  if (!parse_lesson_file_name(p.filename().string(), &name)) return "";
  std::string digits = p.filename().string().substr(0, p.filename().string().find('-'));
  const fs::path twin = p.parent_path() / (digits + "-" + name.slug + "." + lang + ".md");
  std::error_code ec;
  return fs::is_regular_file(twin, ec) ? twin.string() : "";
}

}  // namespace difflab
