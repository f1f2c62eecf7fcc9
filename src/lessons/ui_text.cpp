// ui_text.cpp — lookup over the UI string tables (ui_text_*.cpp) in the current language.
// Not the tables themselves.
#include "lessons/ui_text.h"

#include <array>
#include <atomic>
#include <string>
#include <unordered_map>

namespace difflab {
namespace {

std::atomic<int> g_language{static_cast<int>(UiLanguage::es)};

const std::unordered_map<std::string_view, const UiTextEntry*>& index() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string_view, const UiTextEntry*>();
    for (auto table : ui_text_tables())
      for (const UiTextEntry& e : table) m->emplace(e.key, &e);
    return m;
  }();
  return *map;
}

}  // namespace

const std::vector<std::span<const UiTextEntry>>& ui_text_tables() {
  static const std::vector<std::span<const UiTextEntry>> tables = {
      ui_text_table_common(),      ui_text_table_shell(),    ui_text_table_lecture(),
      ui_text_table_samplers(),    ui_text_table_trilemma(), ui_text_table_guidance(),
      ui_text_table_cfg_images(),  ui_text_table_flow(),     ui_text_table_dit(),
      ui_text_table_latent(),      ui_text_table_clip(),     ui_text_table_edit(),
      ui_text_table_personalize(), ui_text_table_cascade(),  ui_text_table_controlnet(),
      ui_text_table_ipadapter()};
  return tables;
}

std::vector<std::string> printf_conversions(std::string_view format) {
  std::vector<std::string> out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < format.size() &&
           std::string_view("0123456789.-+ #l").find(format[j]) != std::string_view::npos)
      ++j;
    // Only a conversion character ends a conversion ("50 % of" is not one; "50 % de" is "% d").
    if (j < format.size() && std::string_view("diouxXeEfFgGaAcsp").find(format[j]) != std::string_view::npos)
      out.emplace_back(format.substr(i, j - i + 1));
    i = j;
  }
  return out;
}

void set_ui_language(UiLanguage lang) {
  g_language.store(static_cast<int>(lang));
}
UiLanguage ui_language() {
  return static_cast<UiLanguage>(g_language.load());
}
UiLanguage ui_language_from_code(std::string_view code) {
  return code == "en" ? UiLanguage::en : UiLanguage::es;
}

const char* tr(const char* key, UiLanguage lang) {
  const auto& map = index();
  const auto it = map.find(key);
  if (it == map.end()) return key;
  return lang == UiLanguage::en ? it->second->en : it->second->es;
}

const char* tr(const char* key) {
  return tr(key, ui_language());
}

std::string dataset_label(const std::string& id) {
  const std::string key = "dataset." + id;
  const std::string text = tr(key.c_str());
  return text == key ? id : text;
}

const char* tr_id(const char* key, const char* id) {
  thread_local std::array<std::string, 8> ring;
  thread_local size_t next = 0;
  std::string& s = ring[next++ % ring.size()];
  s = tr(key);
  s += "##";
  s += id;
  return s.c_str();
}

}  // namespace difflab
