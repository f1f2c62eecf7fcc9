// ui_text_cfg_images.cpp — UI strings of the classifier-free guidance panel on images (cfg_images), es and
// en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/13-*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"cfgimg.axis_accuracy", "acierto del clasificador (%)", "classifier accuracy (%)"},
    {"cfgimg.axis_fid", "FID (rasgos del clasificador)", "FID (classifier features)"},
    {"cfgimg.axis_gamma", "peso de guía γ", "guidance weight γ"},
    {"cfgimg.busy", "muestreando las 10 clases para cada γ…", "sampling the 10 classes at each γ…"},
    {"cfgimg.caption",
     "Guía sin clasificador: ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y), con el mismo x_T en cada fila; γ = 0 es el "
     "modelo "
     "incondicional, γ = 1 el condicional. %d muestras por clase y γ, DDIM con %d pasos; la condicional y la "
     "incondicional van en una sola pasada de la red (2n imágenes). El clasificador acierta la clase pedida "
     "en "
     "el %.0f %% de las muestras con γ = 0 y en el %.0f %% con γ = %g. FID por clase frente a las imágenes "
     "de "
     "test de esa clase (suelo con imágenes reales: %.2f). Ho & Salimans 2022. Calculado en %.0f s.",
     "Classifier-free guidance: ε̃ = (1 − γ) ε(xₜ) + γ ε(xₜ, y), the same x_T along each row; γ = 0 is the "
     "unconditional model, γ = 1 the conditional one. %d samples per class and γ, DDIM with %d steps; the "
     "conditional and the unconditional pass run as one network pass (2n images). The classifier finds the "
     "requested class in %.0f %% of the samples at γ = 0 and in %.0f %% at γ = %g. FID per class against "
     "that "
     "class's test images (floor with real images: %.2f). Ho & Salimans 2022. Computed in %.0f s."},
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
    {"cfgimg.legend_accuracy", "acierto (media de las clases)", "accuracy (mean over classes)"},
    {"cfgimg.legend_class_fid", "FID por clase (media)", "FID per class (mean)"},
    {"cfgimg.legend_fid", "FID de todas las clases juntas", "FID of all classes together"},
    {"cfgimg.legend_floor", "suelo por clase (imágenes reales)", "per-class floor (real images)"},
    {"cfgimg.new_noise", "Otro x_T", "New x_T"},
    {"cfgimg.recompute", "Recalcular", "Recompute"},
    {"cfgimg.title_accuracy", "acierto frente a γ", "accuracy against γ"},
    {"cfgimg.title_fid", "FID frente a γ", "FID against γ"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_cfg_images() {
  return kEntries;
}

}  // namespace difflab
