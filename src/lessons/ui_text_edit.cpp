// ui_text_edit.cpp — UI strings of the edit panel (inversion, null-text inversion, SDEdit; lesson 17), es and
// en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/17-editing.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"edit.axis_confidence", "confianza del clasificador (%)", "classifier confidence (%)"},
    {"edit.axis_distance", "ECM al boceto", "MSE to the sketch"},
    {"edit.axis_gamma", "γ", "γ"},
    {"edit.axis_psnr", "PSNR (dB)", "PSNR (dB)"},
    {"edit.busy_invert", "invirtiendo (DDIM y null-text para cada γ)",
     "inverting (DDIM and null-text at each γ)"},
    {"edit.busy_sdedit", "SDEdit en cada t₀", "SDEdit at each t₀"},
    {"edit.caption_invert",
     "Imagen de prueba %d (%s), %d pasos DDIM. A γ = %g la inversión DDIM reconstruye con PSNR %.1f dB y la "
     "inversión null-text con %.1f dB (γ = 1: %.1f dB). Edición a «%s» desde el mismo x_T con γ = 7.5: el "
     "clasificador le da %.0f %% con los ∅ₜ optimizados y %.0f %% sin ellos; ECM a la entrada %.2f y %.2f. "
     "%.0f s en este CPU.",
     "Test image %d (%s), %d DDIM steps. At γ = %g DDIM inversion reconstructs with PSNR %.1f dB and "
     "null-text "
     "inversion with %.1f dB (γ = 1: %.1f dB). Edit into \"%s\" from the same x_T at γ = 7.5: the classifier "
     "gives it %.0f %% with the optimised ∅ₜ and %.0f %% without them; MSE to the input %.2f and %.2f. %.0f "
     "s on this CPU."},
    {"edit.caption_sdedit",
     "SDEdit hacia «%s» (γ = 3, η = 1) desde t₀ = %d: ECM al boceto %.3f, confianza del clasificador %.0f %% "
     "(media de 4 muestras). t₀ pequeño: fiel al boceto; t₀ grande: realista. Como mucho %d pasos de t₀ a 0; "
     "el barrido "
     "de "
     "t₀ tardó %.1f s. Dibuja con el botón izquierdo, borra con el derecho.",
     "SDEdit into \"%s\" (γ = 3, η = 1) from t₀ = %d: MSE to the sketch %.3f, classifier confidence %.0f %% "
     "(mean "
     "of 4 samples). Small t₀: faithful to the sketch; large t₀: realistic. At most %d steps from t₀ to 0; "
     "the t₀ sweep "
     "took "
     "%.1f s. Draw with the left button, erase with the right."},
    {"edit.clear", "borrar", "clear"},
    {"edit.from_test", "otra imagen de prueba", "another test image"},
    {"edit.head_null", "con ∅ₜ", "with ∅ₜ"},
    {"edit.head_plain", "sin ∅ₜ", "without ∅ₜ"},
    {"edit.image", "imagen de prueba", "test image"},
    {"edit.input_gamma", "entrada", "input"},
    {"edit.legend_ddim", "inversión DDIM", "DDIM inversion"},
    {"edit.legend_null", "inversión null-text", "null-text inversion"},
    {"edit.row_ddim", "DDIM", "DDIM"},
    {"edit.row_edit", "a «%s»", "to \"%s\""},
    {"edit.row_null", "null-text", "null-text"},
    {"edit.run", "invertir", "invert"},
    {"edit.samples_at", "muestras desde t₀ = %d", "samples from t₀ = %d"},
    {"edit.sketch", "boceto (28 × 28)", "sketch (28 × 28)"},
    {"edit.t0", "t₀", "t₀"},
    {"edit.title_confidence", "realismo", "realism"},
    {"edit.title_distance", "fidelidad", "faithfulness"},
    {"edit.title_psnr", "reconstrucción contra γ", "reconstruction against γ"},
    {"edit.to_class", "a la clase", "to class"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_edit() {
  return kEntries;
}

}  // namespace difflab
