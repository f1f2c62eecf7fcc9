// ui_text_ipadapter.cpp — UI strings of the IP-Adapter panel (lesson 18), es and en.
// Not the lookup (ui_text.cpp) and not the lesson text (lessons/18-personalization.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"ipadapter.agree", "= referencia: %.0f %%", "= reference: %.0f %%"},
    {"ipadapter.agree_class", "= clase %.0f %%", "= class %.0f %%"},
    {"ipadapter.agree_ref", "= ref. %.0f %%", "= ref. %.0f %%"},
    {"ipadapter.busy", "muestreando desde el mismo ruido inicial", "sampling from the same starting noise"},
    {"ipadapter.caption",
     "Cada bloque: %d muestras, los mismos x_T en todos los bloques (DDIM %d, η = 0). λ = 0 es el modelo "
     "base sin el adaptador, bit a bit. %% = parte de las muestras que el clasificador asigna a la clase de "
     "la "
     "referencia (y, con clase, a la clase pedida). Adaptador, base, CLIP y clasificador cargados en %.1f s; "
     "muestreado en %.1f s (CPU).",
     "Each block: %d samples, the same x_T in every block (DDIM %d, η = 0). λ = 0 is the base model without "
     "the adapter, bit for bit. %% = share of the samples the classifier assigns to the reference's class "
     "(and, with a class, to the requested class). Adapter, base, CLIP and classifier loaded in %.1f s; "
     "sampled in %.1f s (CPU)."},
    {"ipadapter.class", "clase (texto)", "class (text)"},
    {"ipadapter.head", "λ = %.2f", "λ = %.2f"},
    {"ipadapter.head_zero", "λ = %.0f (solo la base)", "λ = %.0f (base alone)"},
    {"ipadapter.loading", "cargando adaptador, base y CLIP", "loading adapter, base and CLIP"},
    {"ipadapter.no_class", "ninguna", "none"},
    {"ipadapter.reference", "imagen de prueba", "test image"},
    {"ipadapter.reference_class", "imagen de prueba %d: %s", "test image %d: %s"},
    {"ipadapter.reference_head", "referencia", "reference"},
    {"ipadapter.row_class", "clase: %s", "class: %s"},
    {"ipadapter.row_null", "sin clase", "no class"},
    {"ipadapter.scale", "λ (peso de la imagen)", "λ (image weight)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_ipadapter() {
  return kEntries;
}

}  // namespace difflab
