// ui_text.h — every user-visible string of the app's UI (menus, keys window, panel controls, legends, axis
// labels, captions, tooltips) in Spanish and English, looked up by a stable key. Not lesson text (that lives
// in lessons/*.LANG.md) and not CLI output (the CLI speaks English).
//
// Use: `tr("train.reset")` returns the text in the current UI language. ImGui labels that need a stable ID
// whatever the language append one: `ImGui::Button(tr_id("train.reset", "reset"))` → "Reiniciar##reset".
// Keys are grouped by prefix ("menu.", "keys.", "train.", "score." …); each area keeps its own table file
// (ui_text_shell.cpp, ui_text_lecture.cpp …) so that areas are edited independently. test_ui_text checks
// that every key has both languages and that every tr("…") literal in src/ names an existing key.
//
// Panels draw captions, plot titles, legends and axis labels as scripted text (plot/scripted_text.h):
// `_x`, `_{…}`, `^x`, `^{…}` lower or raise as in the lesson math ("ε_θ", "x_T", "ᾱ_{prev}"); write `\\_`
// for an underscore that must show (tests/ui/test_scripted_ui_text.cpp checks every entry).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace difflab {

enum class UiLanguage { es, en };

struct UiTextEntry {
  const char* key;
  const char* es;
  const char* en;
};

// The current UI language (the lesson's language). Thread-safe: panels' worker threads may read it.
void set_ui_language(UiLanguage lang);
UiLanguage ui_language();
UiLanguage ui_language_from_code(std::string_view code);  // "en" → en, anything else → es

// The text of `key` in the current language; a missing key returns the key itself (and test_ui_text fails).
const char* tr(const char* key);
const char* tr(const char* key, UiLanguage lang);
// tr(key) + "##" + id: an ImGui label whose ID does not change with the language. Valid until the next
// tr_id call on the same thread (a small ring of buffers), which is enough for one ImGui call.
const char* tr_id(const char* key, const char* id);
// A 2-D data set's name in the current language ("swiss-roll" → "rollo suizo (swiss roll)"); an id with
// no "dataset.<id>" key (a file, a custom set) is returned unchanged.
std::string dataset_label(const std::string& id);

// Every table, in lookup order: a new area's table is one more entry in ui_text.cpp's list.
const std::vector<std::span<const UiTextEntry>>& ui_text_tables();
// The printf conversions of a format, in order ("t = %d: %.4f, 100 %% %s" → "%d", "%.4f", "%s"; "%%" left
// out). Panels pass table texts to snprintf as formats, so both languages must carry the same list
// (test_ui_text checks every entry of every table).
std::vector<std::string> printf_conversions(std::string_view format);

// The tables one by one, for tests of one area.
std::span<const UiTextEntry> ui_text_table_shell();
std::span<const UiTextEntry> ui_text_table_lecture();
std::span<const UiTextEntry> ui_text_table_common();
std::span<const UiTextEntry> ui_text_table_samplers();
std::span<const UiTextEntry> ui_text_table_trilemma();
std::span<const UiTextEntry> ui_text_table_guidance();
std::span<const UiTextEntry> ui_text_table_cfg_images();
std::span<const UiTextEntry> ui_text_table_flow();
std::span<const UiTextEntry> ui_text_table_dit();
std::span<const UiTextEntry> ui_text_table_latent();
std::span<const UiTextEntry> ui_text_table_clip();
std::span<const UiTextEntry> ui_text_table_edit();         // lesson 17: inversion and editing
std::span<const UiTextEntry> ui_text_table_personalize();  // lesson 18: personalisation
std::span<const UiTextEntry> ui_text_table_ipadapter();    // lesson 18: IP-Adapter
std::span<const UiTextEntry> ui_text_table_cascade();      // lesson 15: the cascade
std::span<const UiTextEntry> ui_text_table_controlnet();   // lesson 18: the ControlNet panel

}  // namespace difflab
