// ui_text_clip.cpp — UI strings of the mini-CLIP panel (similarity matrix, zero-shot accuracy, nearest
// captions), es and en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/14-clip.*.md).
#include "lessons/ui_text.h"

// A number and its % are held together by a no-break space (U+00A0): at 1280×720 presenter "2 %" wrapped
// between the two.

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"clip.caption",
     "Filas: diez imágenes de prueba, una por clase; columnas: las diez frases «una foto de …». Cada fila es "
     "el softmax sobre las frases de 1/T por el coseno, como clasifica CLIP sin ejemplos: al entrenar, la "
     "masa se concentra en la diagonal. Verde: leyendas de la clase correcta.",
     "Rows: ten test images, one per class; columns: the ten prompts \"a photo of …\". Each row is the "
     "softmax over the prompts of 1/T times the cosine, as CLIP classifies zero-shot: as it trains, the mass "
     "gathers on the diagonal. Green: captions of the right class."},
    {"clip.error", "no se pudo cargar: %s", "could not load: %s"},
    {"clip.from_scratch", "desde cero", "from scratch"},
    {"clip.from_shipped", "modelo incluido", "shipped model"},
    {"clip.image", "imagen", "image"},
    {"clip.loading", "cargando el modelo y Fashion-MNIST", "loading the model and Fashion-MNIST"},
    {"clip.loss", "InfoNCE %.3f · acierto en el lote %.0f %%", "InfoNCE %.3f · batch match %.0f %%"},
    {"clip.loss_curve", "InfoNCE", "InfoNCE"},
    {"clip.matrix_note", "similitudes del paso %d (softmax por fila, %%)",
     "similarities at step %d (softmax per row, %%)"},
    {"clip.matrix_title", "imágenes × frases", "images × prompts"},
    {"clip.nearest", "leyendas más cercanas a esta imagen (%s):", "nearest captions of this image (%s):"},
    {"clip.pause", "Pausa", "Pause"},
    {"clip.play", "Entrenar", "Train"},
    {"clip.restart", "Reiniciar", "Restart"},
    {"clip.start", "empezar con", "start from"},
    {"clip.starting", "preparando Fashion-MNIST", "loading Fashion-MNIST"},
    {"clip.status", "CLIP en miniatura", "CLIP in miniature"},
    {"clip.step", "paso %d · %.1f s · %.1f pasos/s", "step %d · %.1f s · %.1f steps/s"},
    {"clip.step_fresh", "paso %d: pesos al azar", "step %d: random weights"},
    {"clip.step_shipped", "modelo incluido: %d pasos", "shipped model: %d steps"},
    {"clip.temperature", "1/T aprendido: %.1f", "learned 1/T: %.1f"},
    {"clip.zero_shot", "sin ejemplos: es %.0f %% · en %.0f %% · ambas %.0f %%",
     "zero-shot: es %.0f %% · en %.0f %% · both %.0f %%"},
    {"clip.zero_shot_note", "(exactitud en %d imágenes de prueba)", "(accuracy on %d test images)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_clip() {
  return kEntries;
}

}  // namespace difflab
