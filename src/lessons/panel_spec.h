// panel_spec.h — the headless description of every live panel: its name and typed parameters.
// Not the drawing: src/lecture (and src/ui for train, gallery) map each name to a factory. Lessons check
// this.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace difflab {

enum class ParamType { Int, Float, Bool, Enum, String };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Float;
  double min = 0.0, max = 0.0;       // Int and Float: inclusive range
  std::string default_value;         // as written in a directive
  std::vector<std::string> choices;  // Enum: the allowed values
  std::string help;
};

struct PanelSpec {
  std::string name;
  std::string help;
  std::vector<ParamSpec> params;
  const ParamSpec* find(const std::string& param) const;
};

// Every panel the app knows: the one list of names, which `difflab lessons check` and the app read. Adding a
// lecture panel = its file src/lecture/panel_<name>.cpp (the build's generated panel_table.cpp picks up its
// make_<name>_panel) + its row here; tests/views/test_panel_table.cpp checks that the two agree.
const std::vector<PanelSpec>& panel_specs();
const PanelSpec* find_panel_spec(const std::string& name);

// Checks value against spec; returns an error message ("t=5000 is outside 0 … 3999") or nothing.
std::optional<std::string> validate_param(const ParamSpec& spec, const std::string& value);

// The 2-D dataset presets (names as the CLI takes them). Owned by src/data; repeated here as
// the choices of every "dataset" parameter. Keep in sync with data/toy2d.h (a test checks).
inline const std::vector<std::string>& dataset_preset_names() {
  static const std::vector<std::string> names = {"swiss-roll",   "moons", "8gaussians", "25gaussians",
                                                 "checkerboard", "rings", "spirals",    "gaussian"};
  return names;
}

}  // namespace difflab
