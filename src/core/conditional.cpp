// conditional.cpp — names of the guidance kinds (the CLI's --guidance-kind values).
// Not guidance itself: see core/guidance.h (exact) and sample/guided.h (learned).
#include "core/conditional.h"

namespace difflab {

std::string guidance_kind_name(GuidanceKind k) {
  switch (k) {
    case GuidanceKind::Exact:
      return "exact";
    case GuidanceKind::Cfg:
      return "cfg";
    case GuidanceKind::Classifier:
      return "classifier";
  }
  return "?";
}

bool parse_guidance_kind(const std::string& name, GuidanceKind* k) {
  for (GuidanceKind c : {GuidanceKind::Exact, GuidanceKind::Cfg, GuidanceKind::Classifier})
    if (name == guidance_kind_name(c)) {
      *k = c;
      return true;
    }
  return false;
}

}  // namespace difflab
