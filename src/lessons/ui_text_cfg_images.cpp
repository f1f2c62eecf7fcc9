// ui_text_cfg_images.cpp — UI strings of the classifier-free guidance panel on images (cfg_images), es and
// en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/13-*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"cfgimg.axis_accuracy", "acierto del clasificador (%)", "classifier accuracy (%)"},
    {"cfgimg.axis_fid", "FID (rasgos del clasificador)", "FID (classifier features)"},
    {"cfgimg.axis_gamma", "peso de guía γ", "guidance weight γ"},
    {"cfgimg.busy", "muestreando", "sampling"},
    {"cfgimg.caption",
     "El mismo x_T en cada fila; γ = 0 incondicional, γ = 1 condicional. %d muestras por clase y γ, DDIM con "
     "%d "
     "pasos. El clasificador acierta la clase en el %.0f %% de las muestras con γ = 0 y en el %.0f %% con γ "
     "= %g. "
     "Suelo del FID por clase: %.2f (%.0f s).",
     "The same x_T along each row; γ = 0 unconditional, γ = 1 conditional. %d samples per class and γ, DDIM "
     "with "
     "%d steps. The classifier finds the class in %.0f %% of the samples at γ = 0 and in %.0f %% at γ = %g. "
     "Per-class FID floor: %.2f (%.0f s)."},
    {"cfgimg.compare_accuracy", "acierto %.0f %%", "accuracy %.0f %%"},
    {"cfgimg.compare_caption",
     "Las mismas x_T a los dos lados; a la derecha, la γ de acierto más cercano al de CFG entre 10, 20, 40, "
     "70 "
     "y 100. %d muestras por clase, DDIM con %d pasos. FID global: %.2f (CFG), %.2f (clasificador); suelo "
     "%.2f (%.0f s).",
     "The same x_T on both sides; on the right, the γ whose accuracy is closest to CFG's among 10, 20, 40, "
     "70 "
     "and 100. %d samples per class, DDIM with %d steps. FID, all classes: %.2f (CFG), %.2f (classifier); "
     "floor %.2f (%.0f s)."},
    {"cfgimg.compare_cfg", "CFG, γ = %g", "CFG, γ = %g"},
    {"cfgimg.compare_cg", "clasificador, γ = %g", "classifier, γ = %g"},
    {"cfgimg.compare_fid", "FID por clase %.2f", "FID per class %.2f"},
    {"cfgimg.class0", "camiseta", "T-shirt/top"},
    {"cfgimg.class1", "pantalón", "trouser"},
    {"cfgimg.class2", "jersey", "pullover"},
    {"cfgimg.class3", "vestido", "dress"},
    {"cfgimg.class4", "abrigo", "coat"},
    {"cfgimg.class5", "sandalia", "sandal"},
    {"cfgimg.class6", "camisa", "shirt"},
    {"cfgimg.class7", "zapatilla", "sneaker"},
    {"cfgimg.class8", "bolso", "bag"},
    {"cfgimg.class9", "botín", "ankle boot"},
    {"cfgimg.legend_accuracy", "acierto medio", "mean accuracy"},
    {"cfgimg.legend_class_fid", "FID por clase", "FID per class"},
    {"cfgimg.legend_fid", "FID global", "FID, all classes"},
    {"cfgimg.legend_floor", "suelo por clase", "per-class floor"},
    {"cfgimg.new_noise", "Otro ruido inicial", "New initial noise"},
    {"cfgimg.recompute", "Recalcular", "Recompute"},
    {"cfgimg.title_accuracy", "acierto frente a γ", "accuracy against γ"},
    {"cfgimg.title_fid", "FID frente a γ", "FID against γ"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_cfg_images() {
  return kEntries;
}

}  // namespace difflab
