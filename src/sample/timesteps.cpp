// timesteps.cpp — timestep lists for strided sampling (see timesteps.h).
// Not a sampler.
#include "sample/timesteps.h"

#include <cmath>
#include <stdexcept>

namespace difflab {

std::string spacing_name(Spacing s) {
  switch (s) {
    case Spacing::Leading:
      return "leading";
    case Spacing::Trailing:
      return "trailing";
    case Spacing::Linspace:
      return "linspace";
  }
  return "?";
}

bool parse_spacing(const std::string& name, Spacing* s) {
  if (name == "leading")
    *s = Spacing::Leading;
  else if (name == "trailing")
    *s = Spacing::Trailing;
  else if (name == "linspace")
    *s = Spacing::Linspace;
  else
    return false;
  return true;
}

std::vector<int> make_timesteps(int T, int steps, Spacing spacing) {
  if (steps < 1 || steps > T)
    throw std::invalid_argument("the number of sampling steps must be 1 … T = " + std::to_string(T) +
                                " (got " + std::to_string(steps) + ")");
  std::vector<int> t(steps);
  switch (spacing) {
    case Spacing::Leading: {
      const int k = T / steps;
      for (int i = 0; i < steps; ++i) t[i] = (steps - 1 - i) * k;
      break;
    }
    case Spacing::Trailing: {
      const double ratio = static_cast<double>(T) / steps;
      for (int i = 0; i < steps; ++i) t[i] = static_cast<int>(std::nearbyint(T - i * ratio)) - 1;
      break;
    }
    case Spacing::Linspace:
      for (int i = 0; i < steps; ++i) {
        const double v = steps == 1 ? 0.0 : static_cast<double>(T - 1) * (steps - 1 - i) / (steps - 1);
        t[i] = static_cast<int>(std::nearbyint(v));  // half to even, as numpy rounds
      }
      break;
  }
  return t;
}

}  // namespace difflab
