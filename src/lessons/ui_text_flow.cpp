// ui_text_flow.cpp — UI strings of the flow panel (flow matching, Reflow, steps vs quality, diffusion as a
// flow), es and en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/16-flux.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"flow.caption_equivalence",
     "Los mismos 40 ruidos (puntos blancos). DDPM: el modelo de difusión de las lecciones 4 a "
     "7 con sus T = 100 pasos estocásticos (8 caminos). Difusión leída como velocidad: el "
     "mismo modelo, v = (ε̂ − x)/(1 − t) en ᾱ(t), con 50 pasos de Heun de la EDO. Flujo: la "
     "red entrenada con flow matching. Las dos EDO recorren casi los mismos caminos curvos: S "
     "es la misma.",
     "The same 40 noise draws (white dots). DDPM: the diffusion model of lessons 4 to 7 with "
     "its T = 100 stochastic steps (8 paths). Diffusion read as a velocity: the same model, v "
     "= (ε̂ − x)/(1 − t) at ᾱ(t), with 50 Heun steps of the ODE. Flow: the network trained by "
     "flow matching. The two ODEs follow nearly the same curved paths: S is the same."},
    {"flow.caption_exact",
     "Del ruido (t = 1, puntos blancos) a los datos (t = 0, gris). Exacto: v* = E[ε − x₀ | xₜ] "
     "de la mezcla, 100 pasos de Heun; flujo: la red (unos 99 mil parámetros, 2000 pasos). En "
     "rojo, los tramos que se apartan más de 30° de la cuerda (línea tenue): los caminos se "
     "curvan cerca de t = 1, donde aún no se sabe a qué modo irán. S = ∫ E‖(x₁ − x₀) − v‖² dt, "
     "0 si son rectos.",
     "From noise (t = 1, white dots) to data (t = 0, grey). Exact: v* = E[ε − x₀ | xₜ] of the "
     "mixture, 100 Heun steps; flow: the network (about 99 thousand parameters, 2000 steps). "
     "In red, the pieces that turn more than 30° from the chord (faint line): paths curve near "
     "t = 1, where the mode they will reach is not yet known. S = ∫ E‖(x₁ − x₀) − v‖² dt, 0 "
     "when straight."},
    {"flow.caption_reflow",
     "Los mismos 40 ruidos, 50 pasos de Heun. Reflow: cada ronda se entrena con los pares (x₀, "
     "ε) que la anterior une (8000 pares); los caminos dejan de cruzarse y se enderezan, y S "
     "cae casi tres órdenes de magnitud.",
     "The same 40 noise draws, 50 Heun steps. Reflow: each round trains on the (x₀, ε) pairs "
     "the previous one couples (8000 pairs); the paths stop crossing and straighten, and S "
     "falls by nearly three orders of magnitude."},
    {"flow.caption_steps",
     "W₂ en rodajas contra 1000 puntos de prueba, con 1000 muestras desde el mismo ruido; "
     "flujos: pasos de Euler; DDIM (η = 0, pasos finales) con el modelo de difusión de las "
     "lecciones 4 a 7. La línea es el suelo: dos muestras de los datos. Con caminos rectos un "
     "paso basta.",
     "Sliced W₂ against 1000 held-out points, with 1000 samples from the same noise; flows: "
     "Euler steps; DDIM (η = 0, trailing steps) with the diffusion model of lessons 4 to 7. "
     "The line is the floor: two samples of the data. With straight paths one step is enough."},
    {"flow.coupling", "%s: emparejando ruidos con sus puntos para Reflow…",
     "%s: coupling noise with its endpoints for Reflow…"},
    {"flow.ddim", "DDIM", "DDIM"},
    {"flow.ddpm", "DDPM (difusión)", "DDPM (diffusion)"},
    {"flow.ddpm_note", "estocástico: sin S", "stochastic: no S"},
    {"flow.diffusion_velocity", "difusión como velocidad", "diffusion as a velocity"},
    {"flow.done_live", "entrenado en vivo: %.1f s", "trained live: %.1f s"},
    {"flow.exact", "flujo exacto", "exact flow"},
    {"flow.floor", "suelo (datos contra datos): %.3f", "floor (data against data): %.3f"},
    {"flow.flow", "flujo", "flow"},
    {"flow.loading", "cargando…", "loading…"},
    {"flow.pause", "Pausa", "Pause"},
    {"flow.play", "Seguir", "Resume"},
    {"flow.reflow1", "reflow-1", "reflow-1"},
    {"flow.reflow2", "reflow-2", "reflow-2"},
    {"flow.shipped", "modelos incluidos (checkpoints/2d/flow-*.ckpt)",
     "shipped models (checkpoints/2d/flow-*.ckpt)"},
    {"flow.steps_header", "pasos: %d", "steps: %d"},
    {"flow.straightness", "S = %.4f", "S = %.4f"},
    {"flow.train", "Entrenar y hacer Reflow en vivo", "Train and Reflow live"},
    {"flow.training", "entrenando %s: paso %d de %d · %.1f s", "training %s: step %d of %d · %.1f s"},
    {"flow.view", "vista", "view"},
    {"flow.view_equivalence", "difusión como flujo", "diffusion as a flow"},
    {"flow.view_exact", "flujo exacto y aprendido", "exact and learned flow"},
    {"flow.view_reflow", "Reflow: caminos rectos", "Reflow: straight paths"},
    {"flow.view_steps", "pasos y calidad", "steps and quality"},
    {"flow.w2_header", "W₂ en rodajas", "sliced W₂"},
    {"flow.waiting", "aún no entrenado", "not trained yet"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_flow() {
  return kEntries;
}

}  // namespace difflab
