// panel_spec.cpp — the table of live panels and their typed parameters, and the value checker.
// Not the panels themselves: src/ui draws each one by name.
#include "lessons/panel_spec.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace difflab {
namespace {

// Small builders so that a panel is a few readable lines in the table below.
ParamSpec int_param(std::string name, int min, int max, int fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Int, double(min), double(max), std::to_string(fallback), {},
                   std::move(help)};
}

ParamSpec float_param(std::string name, double min, double max, std::string fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Float, min, max, std::move(fallback), {}, std::move(help)};
}

ParamSpec bool_param(std::string name, bool fallback, std::string help) {
  return ParamSpec{std::move(name), ParamType::Bool, 0, 1, fallback ? "true" : "false", {}, std::move(help)};
}

ParamSpec enum_param(std::string name, std::vector<std::string> choices, std::string fallback,
                     std::string help) {
  return ParamSpec{std::move(name),    ParamType::Enum, 0, 0, std::move(fallback),
                   std::move(choices), std::move(help)};
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {"linear", "quadratic", "cosine", "sigmoid"};
  return names;
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

const ParamSpec* PanelSpec::find(const std::string& param) const {
  for (const ParamSpec& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

const std::vector<PanelSpec>& panel_specs() {
  static const std::vector<PanelSpec> specs = {
      {"train",
       "Trains an MLP denoiser ε_θ(xₜ, t) on a 2-D data set, live, and shows the data beside the model's "
       "samples.",
       {
           enum_param("dataset", dataset_preset_names(), "moons", "the 2-D data set (data/toy2d.h presets)"),
           int_param("width", 16, 1024, 128, "hidden units per layer"),
           int_param("depth", 1, 8, 3, "hidden layers"),
           float_param("lr", 1e-5, 1.0, "1e-3", "Adam learning rate"),
           int_param("batch", 1, 4096, 256, "points per training step"),
           enum_param("schedule", schedule_names(), "linear",
                      "β schedule (MATH.md: diffusers' names in brackets)"),
           int_param("T", 2, 4000, 100, "diffusion steps (linear: DDPM's 1e-4 … 0.02 at T = 1000, scaled by 1000/T)"),
           bool_param("autoplay", false, "start training when the slide opens"),
       }},
      {"gallery", "Every kind of plot the app draws, on made-up data: the plotting layer's demo.", {}},
  };
  return specs;
}

const PanelSpec* find_panel_spec(const std::string& name) {
  for (const PanelSpec& spec : panel_specs())
    if (spec.name == name) return &spec;
  return nullptr;
}

std::optional<std::string> validate_param(const ParamSpec& spec, const std::string& value) {
  const std::string shown = spec.name + "=" + value;
  switch (spec.type) {
    case ParamType::Int: {
      errno = 0;
      char* stop = nullptr;
      const long long v = std::strtoll(value.c_str(), &stop, 10);
      if (value.empty() || *stop != '\0' || errno == ERANGE) return shown + " is not a whole number";
      if (double(v) < spec.min || double(v) > spec.max)
        return shown + " is outside " + number_text(spec.min) + " … " + number_text(spec.max);
      return std::nullopt;
    }
    case ParamType::Float: {
      errno = 0;
      char* stop = nullptr;
      const double v = std::strtod(value.c_str(), &stop);
      if (value.empty() || *stop != '\0' || errno == ERANGE || !std::isfinite(v))
        return shown + " is not a number";
      if (v < spec.min || v > spec.max)
        return shown + " is outside " + number_text(spec.min) + " … " + number_text(spec.max);
      return std::nullopt;
    }
    case ParamType::Bool:
      if (value == "true" || value == "false" || value == "1" || value == "0" || value == "on" ||
          value == "off" || value == "yes" || value == "no")
        return std::nullopt;
      return shown + " is not true or false";
    case ParamType::Enum: {
      std::string list;
      for (const std::string& choice : spec.choices) {
        if (choice == value) return std::nullopt;
        list += (list.empty() ? "" : ", ") + choice;
      }
      return shown + " is not one of " + list;
    }
    case ParamType::String:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace difflab
