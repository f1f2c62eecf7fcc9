// timesteps.h — which code indices t a sampler visits when it takes N of the T steps.
// Not a sampler. Names as diffusers defines them (../shared/MATH.md, "Samplers").
#pragma once

#include <string>
#include <vector>

namespace difflab {

enum class Spacing { Leading, Trailing, Linspace };
std::string spacing_name(Spacing s);
bool parse_spacing(const std::string& name, Spacing* s);

// Descending code indices. leading: (0, k, 2k, …) reversed with k = T//N (never visits T−1);
// trailing: round(arange(T, 0, −T/N)) − 1 (starts at T−1); linspace: round(linspace(0, T−1, N)) reversed.
// Throws std::invalid_argument unless 1 ≤ N ≤ T.
std::vector<int> make_timesteps(int T, int steps, Spacing spacing);

}  // namespace difflab
