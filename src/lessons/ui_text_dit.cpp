// ui_text_dit.cpp — UI strings of the diffusion-transformer panel (patches, attention, samples, numbers), es
// and en. Not the lookup (ui_text.cpp) and not the lesson text (docs/dit-slides.*.md, lesson 16).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"dit.block", "bloque", "block"},
    {"dit.busy", "cargando el DiT y calculando", "loading the DiT and computing"},
    {"dit.caption_attention",
     "Atención desde el parche %d (fila %d, columna %d; en rojo) en el bloque %d del DiT, para x_t con t = "
     "%d: "
     "cada mapa es una cabeza (%d en total), blanco = el mayor peso de la fila; cada fila de la softmax suma "
     "1.",
     "Attention from patch %d (row %d, column %d; in red) in block %d of the DiT, for x_t at t = %d: each "
     "map "
     "is one head (%d in all), white = the row's largest weight; each softmax row sums to 1."},
    {"dit.caption_numbers",
     "Las mismas cuentas para ambos: parámetros, GFLOP por imagen (forward), imágenes/s de forward medidas "
     "ahora en este equipo (lote 16), y pasos y pérdida final suavizada de cada checkpoint incluido.",
     "The same counts for both: parameters, GFLOP per image (forward), forward images/s measured now on this "
     "machine (batch 16), and each shipped checkpoint's steps and final smoothed loss."},
    {"dit.caption_patches",
     "La imagen de %d×%d se corta en parches de %d×%d: %d tokens, cada uno un vector de %d valores que una "
     "capa lineal lleva al ancho del transformer, más una posición 2-D fija (senos y cosenos).",
     "The %d×%d image is cut into %d×%d patches: %d tokens, each a vector of %d values that a linear layer "
     "maps to the transformer's width, plus a fixed 2-D position (sines and cosines)."},
    {"dit.caption_samples",
     "%d muestras de cada red desde el mismo x_T (DDIM, %d pasos, η = 0, x̂₀ recortado). DiT: %d pasos de "
     "entrenamiento; U-Net: %d.",
     "%d samples from each network from the same x_T (DDIM, %d steps, η = 0, x̂₀ clipped). DiT: %d training "
     "steps; U-Net: %d."},
    {"dit.caption_flow",
     "Flujo rectificado (Liu et al. 2023; t %s, como SD3/Flux): DiT (%d pasos de entrenamiento) y U-Net "
     "(%d), ambos de flujo, con N pasos de Euler desde el mismo ruido. FID con %d muestras contra tantas "
     "imágenes de prueba (rasgos del clasificador); la línea es el suelo prueba contra prueba.",
     "Rectified flow (Liu et al. 2023; t %s, as SD3/Flux): the DiT (%d training steps) and the U-Net (%d), "
     "both flows, with N Euler steps from the same noise. FID on %d samples against as many test images "
     "(classifier features); the line is the test-vs-test floor."},
    {"dit.caption_flow_eps",
     "DiT de flujo rectificado (Liu et al. 2023; t %s, como SD3/Flux; %d pasos de entrenamiento) con N "
     "pasos de Euler, y la U-Net de ε (%d) con N pasos de DDIM, desde el mismo ruido. FID con %d muestras "
     "contra tantas imágenes de prueba (rasgos del clasificador); la línea es el suelo prueba contra prueba.",
     "Rectified-flow DiT (Liu et al. 2023; t %s, as SD3/Flux; %d training steps) with N Euler steps, and "
     "the ε U-Net (%d) with N DDIM steps, from the same noise. FID on %d samples against as many test "
     "images (classifier features); the line is the test-vs-test floor."},
    {"dit.dit", "DiT", "DiT"},
    {"dit.race_busy", "entrenando las dos redes, paso %d de %d", "training both networks, step %d of %d"},
    {"dit.race_done", "terminado: %d pasos de cada red", "done: %d steps of each network"},
    {"dit.race_net",
     "%s: %zu parámetros, %.0f imágenes/s de entrenamiento, pérdida media de los últimos 20 "
     "pasos %.4f",
     "%s: %zu parameters, %.0f training images/s, mean loss of the last 20 steps %.4f"},
    {"dit.race_axis_step", "paso", "step"},
    {"dit.race_axis_loss", "pérdida de flujo", "flow loss"},
    {"dit.race_pause", "pausa", "pause"},
    {"dit.race_play", "entrenar", "train"},
    {"dit.race_restart", "desde cero", "from scratch"},
    {"dit.caption_race",
     "Las dos arquitecturas de flujo incluidas (%zu y %zu parámetros: casi iguales), entrenadas aquí desde "
     "cero con flujo rectificado (t logit-normal), con los mismos lotes de %d imágenes (mismo x₀, ε y t en "
     "cada paso) y la misma tasa de aprendizaje; cada curva es la pérdida de cada paso tal cual. Las "
     "imágenes/s cuentan solo el tiempo de cada red.",
     "The two shipped flow architectures (%zu and %zu parameters: nearly equal), trained here from scratch "
     "with rectified flow (logit-normal t), on the same minibatches of %d images (the same x₀, ε and t at "
     "every step) and the same learning rate; each curve is every step's loss as recorded. The images/s "
     "count each network's own time only."},
    {"dit.flow_dit", "DiT (flujo, Euler)", "DiT (flow, Euler)"},
    {"dit.flow_floor", "suelo", "floor"},
    {"dit.flow_no_fid", "sin FID (falta el clasificador, o el panel pide 0 muestras para la FID)",
     "no FID (no classifier, or the panel asks for 0 FID samples)"},
    {"dit.flow_steps_axis", "pasos de muestreo", "sampling steps"},
    {"dit.flow_unet", "U-Net (flujo, Euler)", "U-Net (flow, Euler)"},
    {"dit.flow_unet_eps", "U-Net (ε, DDIM)", "U-Net (ε, DDIM)"},
    {"dit.gflop", "GFLOP por imagen", "GFLOP per image"},
    {"dit.head", "cabeza %d", "head %d"},
    {"dit.image", "imagen", "image"},
    {"dit.loss", "pérdida final", "final loss"},
    {"dit.noisy", "xₜ", "xₜ"},
    {"dit.params", "parámetros", "parameters"},
    {"dit.query", "parche", "patch"},
    {"dit.speed", "imágenes/s (forward)", "images/s (forward)"},
    {"dit.steps", "pasos de entrenamiento", "training steps"},
    {"dit.tokens", "tokens (parches)", "tokens (patches)"},
    {"dit.unet", "U-Net", "U-Net"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_dit() {
  return kEntries;
}

}  // namespace difflab
