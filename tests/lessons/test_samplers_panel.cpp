// test_samplers_panel.cpp — the samplers panel's spec, sampler list, directives and UI texts (es, en).
// Not the computation (tests/views/test_sampler_compare.cpp) and not the drawing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lessons/lesson.h"
#include "lessons/panel_spec.h"
#include "lessons/ui_text.h"
#include "sample/sampler_table.h"

using namespace difflab;

namespace {

const UiTextEntry* samplers_entry(const std::string& key) {
  for (const UiTextEntry& e : ui_text_table_samplers())
    if (key == e.key) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("the samplers panel has its parameters, and the sampler list's choices are the table's names") {
  const PanelSpec* spec = find_panel_spec("samplers");
  REQUIRE(spec);
  for (const char* name : {"dataset", "model", "samplers", "nfe", "n", "view", "play"}) {
    CAPTURE(name);
    REQUIRE(spec->find(name));
    CHECK_FALSE(validate_param(*spec->find(name), spec->find(name)->default_value).has_value());
  }
  CHECK(spec->params.size() == 7);
  const ParamSpec& samplers = *spec->find("samplers");
  CHECK(samplers.type == ParamType::String);
  CHECK(samplers.choices == sampler_cli_name_list());
  CHECK(spec->find("nfe")->min == 1);
  CHECK(spec->find("nfe")->max == 200);
  CHECK(spec->find("view")->choices == std::vector<std::string>{"grid", "sde-ode", "steps"});
  CHECK(spec->find("model")->default_value == "oracle");
}

TEST_CASE("a sampler list is checked item by item") {
  const ParamSpec& samplers = *find_panel_spec("samplers")->find("samplers");
  CHECK_FALSE(validate_param(samplers, "ddim").has_value());
  CHECK_FALSE(validate_param(samplers, "ddpm,edm-stochastic,dpm-solver++,unipc,sde-euler").has_value());
  const std::string names = sampler_cli_names(", ");
  CHECK(validate_param(samplers, "ddim,heun").value() ==
        "samplers=ddim,heun: \"heun\" is not one of " + names);
  CHECK(validate_param(samplers, "ddim,,unipc").value() ==
        "samplers=ddim,,unipc: \"\" is not one of " + names);
  CHECK(validate_param(samplers, "ddim,").value() == "samplers=ddim,: \"\" is not one of " + names);
  CHECK(validate_param(samplers, "").value() == "samplers= names none of the choices");
  // Other String parameters (no choices) stay free text.
  CHECK_FALSE(validate_param(ParamSpec{"label", ParamType::String, 0, 0, "", {}, ""}, "a,b,,").has_value());
}

TEST_CASE("a lesson directive picks samplers, budget and view, a bad sampler name is an error at its line") {
  const Lesson good = parse_lesson(
      "# A\n\n<!-- difflab: panel=samplers samplers=ddim,dpm-solver++ nfe=10 dataset=moons view=sde-ode "
      "-->\n");
  CHECK(good.diagnostics.empty());
  REQUIRE(good.slides.size() == 1);
  REQUIRE(good.slides[0].panel.has_value());
  CHECK(good.slides[0].panel->value("samplers") == "ddim,dpm-solver++");
  CHECK(good.slides[0].panel->value("nfe") == "10");
  CHECK(good.slides[0].panel->value("n") == "1000");  // the spec's default
  const Lesson bad =
      parse_lesson("# A\n\n<!-- difflab: panel=samplers samplers=ddim,dpm-solver nfe=500 -->\n");
  REQUIRE(bad.diagnostics.size() == 2);
  for (const Diagnostic& d : bad.diagnostics) {
    CHECK(d.line == 3);
    CHECK(d.severity == Severity::Error);
  }
}

TEST_CASE("every samplers-panel text exists in both languages with the same printf conversions") {
  const char* keys[] = {"samplers.model",
                        "samplers.model_oracle",
                        "samplers.model_trained",
                        "samplers.nfe",
                        "samplers.nfe_tooltip",
                        "samplers.choose",
                        "samplers.view_grid",
                        "samplers.view_sde_ode",
                        "samplers.busy",
                        "samplers.title",
                        "samplers.title_no_fit",
                        "samplers.title_steps",
                        "samplers.no_fit",
                        "samplers.metrics_error",
                        "samplers.metrics_stochastic",
                        "samplers.metrics",
                        "samplers.paths",
                        "samplers.caption_oracle",
                        "samplers.caption_trained",
                        "samplers.caption_sde_ode",
                        "samplers.view_steps",
                        "samplers.title_steps_view",
                        "samplers.axis_step",
                        "samplers.rho",
                        "samplers.caption_steps"};
  for (const char* key : keys) {
    CAPTURE(key);
    const UiTextEntry* e = samplers_entry(key);
    REQUIRE(e);
    CHECK(std::string(e->es).size() > 0);
    CHECK(std::string(e->en).size() > 0);
  }
  // The panel passes these to snprintf with these arguments (panel_samplers.cpp).
  struct Format {
    const char* key;
    std::vector<std::string> conversions;
  };
  const Format formats[] = {{"samplers.title", {"%s", "%d"}},
                            {"samplers.title_no_fit", {"%s"}},
                            {"samplers.title_steps", {"%s", "%d", "%d"}},
                            {"samplers.metrics_error", {"%.3f", "%.2g"}},
                            {"samplers.metrics_stochastic", {"%.3f"}},
                            {"samplers.metrics", {"%.3f"}},
                            {"samplers.caption_oracle", {"%d", "%.3f"}},
                            {"samplers.caption_trained", {"%d", "%.3f"}},
                            {"samplers.caption_sde_ode", {"%.3f", "%.3f"}},
                            {"samplers.rho", {"%.0f"}}};
  for (const Format& f : formats) {
    CAPTURE(f.key);
    const UiTextEntry* e = samplers_entry(f.key);
    REQUIRE(e);
    CHECK(printf_conversions(e->es) == f.conversions);
    CHECK(printf_conversions(e->en) == f.conversions);
  }
}
