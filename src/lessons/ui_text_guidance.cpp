// ui_text_guidance.cpp — UI strings of the guidance panel (lessons 12–13: classifier and classifier-free
// guidance on 2-D data), es and en. Not the lookup (ui_text.cpp) and not the lessons' text.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"guidance.busy", "muestreando con guidance…", "sampling with guidance…"},
    {"guidance.diverged", "el entrenamiento divergió", "training diverged"},
    {"guidance.training", "entrenando los modelos y muestreando…", "training the models and sampling…"},
    {"guidance.model", "campo", "field"},
    {"guidance.model_exact", "exacto", "exact"},
    {"guidance.model_learned", "aprendido (MLP)", "learned (MLP)"},
    {"guidance.model_classifier", "clasificador (MLP)", "classifier (MLP)"},
    {"guidance.caption_slider_classifier",
     "Guidance por clasificador con modelos entrenados aquí: el ε no condicionado es la clase nula del MLP "
     "condicional, y el clasificador con ruido p(y | x_t, t) (3000 pasos de entropía cruzada sobre x_t del "
     "proceso "
     "directo) da ∇log p(y | x_t): ε̃ = ε(x_t) − γ √(1 − ᾱ_t) ∇log p(y | x_t).",
     "Classifier guidance with models trained here: the unconditional ε is the conditional MLP's null class, "
     "and "
     "the noise-conditional classifier p(y | x_t, t) (3000 steps of cross-entropy on x_t from the forward "
     "process) gives ∇log p(y | x_t): ε̃ = ε(x_t) − γ √(1 − ᾱ_t) ∇log p(y | x_t)."},
    {"guidance.caption_field_classifier",
     "Flechas del score guiado ∇log p_t(x) + γ ∇log p_t(y|x) en una rejilla: azul el exacto de la mezcla "
     "(igual al "
     "de CFG exacto), naranja el de la clase nula del MLP más el gradiente del clasificador con ruido (misma "
     "escala).",
     "Arrows of the guided score ∇log p_t(x) + γ ∇log p_t(y|x) on a grid: blue the mixture's exact one "
     "(equal to "
     "exact CFG's), orange the MLP's null class plus the noise classifier's gradient (same scale)."},
    {"guidance.caption_tradeoff_classifier",
     "Guidance por clasificador con los modelos entrenados aquí, los mismos x_T en cada γ. Las líneas tenues "
     "son "
     "el objetivo p(x|y)^γ p(x)^{1−γ} muestreado exactamente.",
     "Classifier guidance with the models trained here, the same x_T at every γ. The faint lines are the "
     "target "
     "p(x|y)^γ p(x)^{1−γ} sampled exactly."},
    {"guidance.gamma_tooltip",
     "Peso de guidance γ: ε̃ = (1 − γ) ε(x_t) + γ ε(x_t, y). γ = 0: modelo no condicionado; γ = 1: "
     "condicionado; γ > 1: más allá.",
     "Guidance weight γ: ε̃ = (1 − γ) ε(x_t) + γ ε(x_t, y). γ = 0: unconditional model; γ = 1: conditional; "
     "γ > 1: beyond it."},
    {"guidance.class", "clase y", "class y"},
    {"guidance.sampler", "muestreador", "sampler"},
    {"guidance.ode", "EDO Heun (25)", "ODE Heun (25)"},
    {"guidance.show_tilted", "distribución objetivo", "target distribution"},
    {"guidance.show_tilted_tooltip",
     "Muestras exactas de p(x|y)^γ p(x)^{1−γ} en t = 0 (remuestreo por importancia): lo que el muestreo "
     "guiado "
     "parecería muestrear y no muestrea.",
     "Exact samples of p(x|y)^γ p(x)^{1−γ} at t = 0 (importance resampling): what guided sampling would seem "
     "to "
     "sample, and does not."},
    {"guidance.other_classes", "datos de otras clases", "data of other classes"},
    {"guidance.class_data", "datos de la clase y", "data of class y"},
    {"guidance.tilted", "muestras de p(x|y)^γ p(x)^{1−γ}", "samples of p(x|y)^γ p(x)^{1−γ}"},
    {"guidance.samples", "muestras guiadas", "guided samples"},
    {"guidance.readout",
     "γ = %.1f: precisión %.1f %% (en modos de y) · fuera de los datos %.1f %% · modos de y cubiertos %d/%d "
     "· "
     "dispersión %.3f",
     "γ = %.1f: precision %.1f %% (in y's modes) · off the data %.1f %% · y's modes covered %d/%d · spread "
     "%.3f"},
    {"guidance.readout_tilted",
     "distribución objetivo: precisión %.1f %% · fuera %.1f %% · modos %d/%d · dispersión %.3f",
     "target distribution: precision %.1f %% · off %.1f %% · modes %d/%d · spread %.3f"},
    {"guidance.caption_slider_exact",
     "Los mismos x_T para todo γ, muestreados con el campo guiado exacto de la mezcla (DDIM). Precisión: "
     "muestras en modos de la clase y (a menos de 3σ del modo más cercano); fuera de los datos: donde p(x) "
     "es "
     "menor que en el 99 por ciento de los datos; dispersión: distancia media al modo de y más cercano. Con "
     "γ grande "
     "las muestras se concentran y luego se alejan de los modos de las otras clases, hacia fuera del anillo.",
     "The same x_T for every γ, sampled with the mixture's exact guided field (DDIM). Precision: samples in "
     "class y's modes (within 3σ of the nearest mode); off the data: where p(x) is lower than at 99 percent "
     "of "
     "the data; spread: mean distance to the nearest mode of y. With large γ the samples first tighten, then "
     "move "
     "away from the other classes' modes, out of the ring."},
    {"guidance.caption_slider_learned",
     "Los mismos x_T, muestreados con el MLP condicional entrenado aquí (3000 pasos, p_{uncond} = 0.1): cada "
     "paso "
     "evalúa la red una vez sobre 2n filas, la mitad con la clase y y la mitad con la clase nula ∅, y "
     "combina "
     "ε̃ = (1 − γ) ε(x_t, ∅) + γ ε(x_t, y).",
     "The same x_T, sampled with the conditional MLP trained here (3000 steps, p_{uncond} = 0.1): each step "
     "runs "
     "the network once on 2n rows, half with class y and half with the null class ∅, and combines "
     "ε̃ = (1 − γ) ε(x_t, ∅) + γ ε(x_t, y)."},
    {"guidance.field_exact", "score guiado exacto", "exact guided score"},
    {"guidance.field_learned", "score guiado aprendido", "learned guided score"},
    {"guidance.field_readout",
     "t = %d, γ = %.1f: diferencia relativa (RMS) aprendido − exacto en puntos de los datos con ruido %.1f "
     "%%",
     "t = %d, γ = %.1f: relative difference (RMS) learned − exact at noised data points %.1f %%"},
    {"guidance.caption_field",
     "Flechas del score guiado −ε̃/√(1 − ᾱ_t) = (1 − γ) ∇log p_t(x) + γ ∇log p_t(x|y) en una rejilla: azul el "
     "exacto de la mezcla, naranja el del MLP condicional (misma escala). Con γ > 1 el campo empuja lejos de "
     "las "
     "otras clases, no solo hacia la clase y.",
     "Arrows of the guided score −ε̃/√(1 − ᾱ_t) = (1 − γ) ∇log p_t(x) + γ ∇log p_t(x|y) on a grid: blue the "
     "mixture's exact one, orange the conditional MLP's (same scale). With γ > 1 the field pushes away from "
     "the "
     "other classes, not only towards class y."},
    {"guidance.tradeoff_title", "calidad y diversidad frente a γ", "quality and diversity against γ"},
    {"guidance.tradeoff_value", "γ = %g: %.1f %%, disp. %.3f, fuera %.1f %%",
     "γ = %g: %.1f %%, spread %.3f, off %.1f %%"},
    {"guidance.curve_precision", "precisión (en modos de y)", "precision (in y's modes)"},
    {"guidance.curve_spread", "dispersión / la de p(x|y)", "spread / p(x|y)'s"},
    {"guidance.curve_off", "fuera de los datos", "off the data"},
    {"guidance.curve_covered", "modos de y cubiertos", "y's modes covered"},
    {"guidance.curve_tilted_precision", "precisión de p(x|y)^γ p(x)^{1−γ}",
     "precision of p(x|y)^γ p(x)^{1−γ}"},
    {"guidance.curve_tilted_spread", "dispersión de p(x|y)^γ p(x)^{1−γ}", "spread of p(x|y)^γ p(x)^{1−γ}"},
    {"guidance.caption_tradeoff_exact",
     "Campo guiado exacto, los mismos x_T en cada γ. La precisión sube con γ y la dispersión dentro de los "
     "modos "
     "cae: calidad a cambio de diversidad. Las líneas tenues son el objetivo p(x|y)^γ p(x)^{1−γ} muestreado "
     "exactamente: su dispersión no cae igual, y con γ grande las muestras guiadas salen de los datos, las "
     "del "
     "objetivo no. El muestreo guiado no muestrea ese objetivo.",
     "Exact guided field, the same x_T at every γ. Precision rises with γ and the spread inside the modes "
     "falls: quality traded for diversity. The faint lines are the target p(x|y)^γ p(x)^{1−γ} sampled "
     "exactly: "
     "its spread does not fall the same way, and at large γ the guided samples leave the data while the "
     "target's do not. Guided sampling does not sample that target."},
    {"guidance.caption_tradeoff_learned",
     "El MLP condicional entrenado aquí, los mismos x_T en cada γ: la misma forma que con el campo exacto, "
     "más el error del modelo. Las líneas tenues son el objetivo p(x|y)^γ p(x)^{1−γ} muestreado exactamente.",
     "The conditional MLP trained here, the same x_T at every γ: the same shape as with the exact field, "
     "plus "
     "the model's error. The faint lines are the target p(x|y)^γ p(x)^{1−γ} sampled exactly."},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_guidance() {
  return kEntries;
}

}  // namespace difflab
