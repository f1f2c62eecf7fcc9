// ui_text_personalize.cpp — UI strings of the personalisation panel (lesson 18), es and en.
// Not the lookup (ui_text.cpp) and not the lesson text (lessons/18-personalization.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"personalize.accuracy", "%.0f %%  ·  %.1f %%", "%.0f %%  ·  %.1f %%"},
    {"personalize.base", "base (9 clases)", "base (9 classes)"},
    {"personalize.busy", "muestreando los cuatro modelos", "sampling the four models"},
    {"personalize.caption",
     "Mismo x_T en cada columna. Precisión: parte de %d muestras por clase (γ = %.0f, DDIM %d) que el "
     "clasificador asigna a la clase pedida; sujeto: muestras del token 8 llamadas bolso; otras: media de "
     "las "
     "9 clases restantes (se muestra la primera muestra de cada una, clases 0 … 7, 9). Cargado y muestreado "
     "en %.0f s.",
     "Same x_T down each column. Accuracy: share of %d samples per class (γ = %.0f, DDIM %d) the classifier "
     "assigns to the intended class; subject: token-8 samples called a bag; others: mean over the other 9 "
     "classes (the first sample of each is shown, classes 0 … 7, 9). Loaded and sampled in %.0f s."},
    {"personalize.db_noprior", "DreamBooth, λ = 0", "DreamBooth, λ = 0"},
    {"personalize.db_prior", "DreamBooth, λ = 1", "DreamBooth, λ = 1"},
    {"personalize.head_accuracy", "sujeto  ·  otras", "subject  ·  others"},
    {"personalize.head_others", "las otras clases", "the other classes"},
    {"personalize.head_token", "token 8", "token 8"},
    {"personalize.recompute", "Recalcular", "Recompute"},
    {"personalize.subject", "sujeto", "subject"},
    {"personalize.ti", "inversión textual", "textual inversion"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_personalize() {
  return kEntries;
}

}  // namespace difflab
