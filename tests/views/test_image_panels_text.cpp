// test_image_panels_text.cpp — the image_steps and interp panels as lessons see them: their directives parse
// with the spec's defaults and ranges, and their UI texts exist in both languages with the printf conversions
// the panels pass. Not the panels' drawing (tests/ui) nor the computations (test_image_steps,
// test_interpolation).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/panel_spec.h"
#include "lessons/ui_text.h"

using namespace difflab;

namespace {
const UiTextEntry* entry(const std::string& key) {
  for (const UiTextEntry& e : ui_text_table_lecture())
    if (key == e.key) return &e;
  return nullptr;
}
}  // namespace

TEST_CASE("image_steps and interp directives parse, defaults and bounds come from the spec") {
  const Lesson lesson = parse_lesson(
      "# a\n\n<!-- difflab: panel=image_steps sampler=ddpm steps=30 rows=2 step=5 play=true -->\n\n---\n\n"
      "# b\n\n<!-- difflab: panel=interp view=points dataset=moons steps=10 -->\n\n---\n\n"
      "# c\n\n<!-- difflab: panel=image_steps steps=51 -->\n\n---\n\n"
      "# d\n\n<!-- difflab: panel=interp view=video -->\n",
      "/tmp/x.md");
  REQUIRE(lesson.slides.size() == 4);
  REQUIRE(lesson.slides[0].panel);
  CHECK(lesson.slides[0].panel->panel == "image_steps");
  CHECK(lesson.slides[0].panel->value("sampler") == "ddpm");
  CHECK(lesson.slides[0].panel->value("rows") == "2");
  REQUIRE(lesson.slides[1].panel);
  CHECK(lesson.slides[1].panel->value("view") == "points");
  CHECK(lesson.slides[1].panel->value("count") ==
        "9");  // the default: an odd count has α = 0.5 in the middle
  // steps=51 is outside 2 … 50 (laptop CPU budget) and view=video is not a view: both are errors.
  CHECK(count_errors(lesson.diagnostics) == 2);
  const PanelSpec* steps = find_panel_spec("image_steps");
  REQUIRE(steps);
  CHECK(validate_param(*steps->find("steps"), "51").value() == "steps=51 is outside 2 … 50");
  CHECK(steps->find("sampler")->choices == std::vector<std::string>{"ddim", "ddpm"});
  const PanelSpec* interp = find_panel_spec("interp");
  REQUIRE(interp);
  CHECK(interp->find("view")->default_value == "images");
}

TEST_CASE("the image_steps and interp texts carry the conversions their panels pass") {
  // What panel_image_steps.cpp and panel_interp.cpp hand to snprintf, in order.
  const std::vector<std::pair<std::string, std::vector<std::string>>> formats = {
      {"isteps.step_line", {"%d", "%d", "%d", "%.3f", "%.3f"}},
      {"isteps.caption", {"%s", "%d", "%d", "%.1f", "%.1e"}},
      {"interp.images_caption",
       {"%d", "%.1f", "%.1f", "%.1f", "%d", "%d", "%.1f", "%.2f", "%.1f", "%.1f", "%.2f", "%.0f"}},
      {"interp.points_caption", {"%.2f", "%.2f", "%.2f", "%.2f", "%.2f", "%d"}},
  };
  for (const auto& [key, expected] : formats) {
    INFO(key);
    const UiTextEntry* e = entry(key);
    REQUIRE(e);
    CHECK(printf_conversions(e->es) == expected);
    CHECK(printf_conversions(e->en) == expected);
    CHECK(std::string(e->es) != std::string(e->en));
  }
  for (const char* key :
       {"isteps.busy", "isteps.sampler", "isteps.steps", "isteps.step", "isteps.new_noise", "isteps.left",
        "isteps.strip", "isteps.right", "interp.busy", "interp.view_images", "interp.view_points",
        "interp.steps", "interp.new_ends", "interp.new_b", "interp.show_latents", "interp.title_latent",
        "interp.title_decoded", "interp.title_norms"}) {
    INFO(key);
    const UiTextEntry* e = entry(key);
    REQUIRE(e);
    CHECK(printf_conversions(e->en).empty());
  }
  set_ui_language(UiLanguage::en);
  CHECK(std::string(tr("interp.new_ends")) == "New endpoints");
  set_ui_language(UiLanguage::es);
  CHECK(std::string(tr("interp.new_ends")) == "Nuevos extremos");
}
