// ui_text_lecture.cpp — UI strings of the live panels: controls, legends, axis labels, captions, tooltips
// (es, en). Not the lookup (ui_text.cpp). Keys sorted; clang-format may wrap a long entry over lines.
// Entries with printf conversions (%d, %.3f, %s …) must have the same conversions in the same order in
// both languages: the panels pass them to snprintf (tests/views/test_ui_text_lecture.cpp checks it).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"axis.step", "paso", "step"},
    {"common.data", "datos", "data"},
    {"common.restart", "Reiniciar", "Restart"},
    {"common.samples", "muestras", "samples"},
    {"common.view", "vista", "view"},
    {"ddim.axis_nfe", "evaluaciones de la red", "network evaluations"},
    {"ddim.busy_inversion", "invirtiendo", "inverting"},
    {"ddim.busy_quality", "muestreando con N = 2 … 100", "sampling at N = 2 … 100"},
    {"ddim.busy_sampling", "muestreando", "sampling"},
    {"ddim.busy_timing", "tiempos de una sola ejecución; midiendo la más rápida de 3",
     "times from a single run; timing the fastest of 3"},
    {"ddim.caption",
     "Mismo x_T, 1000 puntos.  DDPM: %d pasos, %d evaluaciones de la red, %.0f ms, W₂ rebanada %.3f.  DDIM "
     "(N = %d, η = %.2f): %d evaluaciones, %.0f ms, W₂ rebanada %.3f.  x_{prev} = √ᾱ_{prev} x̂₀ + "
     "√(1−ᾱ_{prev}−σ²) ε_θ + σz, σ = η√((1−ᾱ_{prev})/(1−ᾱₜ))√(1−ᾱₜ/ᾱ_{prev}).",
     "Same x_T, 1000 points.  DDPM: %d steps, %d network evaluations, %.0f ms, sliced W₂ %.3f.  DDIM (N = "
     "%d, η = %.2f): %d evaluations, %.0f ms, sliced W₂ %.3f.  x_{prev} = √ᾱ_{prev} x̂₀ + √(1−ᾱ_{prev}−σ²) "
     "ε_θ + "
     "σz, σ = η√((1−ᾱ_{prev})/(1−ᾱₜ))√(1−ᾱₜ/ᾱ_{prev})."},
    {"ddim.caption_inversion",
     "Haz clic en un punto de los datos: DDIM con η = 0 lo lleva hasta su ruido x_T (inversión) y lo trae "
     "de vuelta con los mismos %d pasos; el x₀ decodificado cae casi sobre el elegido (Song et al. 2021).",
     "Click a data point: DDIM with η = 0 carries it to its noise x_T (inversion) and back with the same %d "
     "steps; the decoded x₀ lands almost on the clicked one (Song et al. 2021)."},
    {"ddim.col_ms", "ms (mejor de 3)", "ms (best of 3)"},
    {"ddim.col_nfe", "evaluaciones", "evaluations"},
    {"ddim.col_sampler", "muestreador", "sampler"},
    {"ddim.col_swd", "W₂ rebanada", "sliced W₂"},
    {"ddim.inversion_failed", "la inversión falló", "the inversion failed"},
    {"ddim.legend_clicked", "x₀ elegido", "clicked x₀"},
    {"ddim.legend_ddpm", "DDPM (los T pasos)", "DDPM (all T)"},
    {"ddim.legend_decode", "x_T → x₀ (DDIM)", "x_T → x₀ (DDIM)"},
    {"ddim.legend_decoded", "x₀ decodificado", "decoded x₀"},
    {"ddim.legend_encode", "x₀ → x_T (inversión)", "x₀ → x_T (inversion)"},
    {"ddim.steps", "pasos DDIM N", "DDIM steps N"},
    {"ddim.title_ddim", "DDIM, %d pasos, η = %.2f", "DDIM, %d steps, η = %.2f"},
    {"ddim.title_ddpm", "DDPM, los T pasos", "DDPM, all T steps"},
    {"ddim.title_inversion", "haz clic en un punto: x₀ → x_T → x₀ con DDIM (η = 0)",
     "click a point: x₀ → x_T → x₀ with DDIM (η = 0)"},
    {"ddim.title_overlay", "trayectorias desde el mismo x_T", "trajectories from the same x_T"},
    {"ddim.title_quality", "W₂ rebanada a los datos (menor es mejor) frente al coste",
     "sliced W₂ to the data (lower is better) against cost"},
    {"ddim.view_inversion", "inversión", "inversion"},
    {"ddim.view_overlay", "superpuestas", "overlay"},
    {"ddim.view_quality", "calidad", "quality"},
    {"ddim.view_split", "lado a lado", "split"},

    {"elbo.busy_bound", "evaluando la cota de los dos modelos", "evaluating the bound for both models"},
    {"elbo.caption",
     "L_{vlb} = L_T + Σ Lₜ + L₀ (nats por punto, %s; L₀ es una densidad gaussiana, porque los datos 2-D son "
     "continuos, y puede ser negativa).  Entrenado: %s = %.3f.  Eliminador de ruido exacto: %s = %.3f.  "
     "L_{simple}: "
     "entrenado %.4f, exacto %.4f.",
     "L_{vlb} = L_T + Σ Lₜ + L₀ (nats per point, %s; L₀ is a Gaussian density, since 2-D data are "
     "continuous, "
     "and can be negative).  Trained: %s = %.3f.  Exact denoiser: %s = %.3f.  L_{simple}: trained %.4f, "
     "exact "
     "%.4f."},
    {"elbo.terms_title", "Lₜ por paso en nats por punto (t = 0 es L₀); eje log simétrico: lineal en ±%g",
     "per-step Lₜ in nats per point (t = 0 is L₀); symmetric log axis: linear within ±%g"},
    {"elbo.title_quality", "calidad de las muestras durante el entrenamiento (W₂ rebanada, menor es mejor)",
     "sample quality while training (sliced W₂, lower is better)"},
    {"elbo.title_step", "%s, paso %d", "%s, step %d"},
    {"elbo.title_weights", "λₜ = βₜ²/(2σₜ² αₜ (1−ᾱₜ)): el peso de ‖ε − ε_θ‖² en Lₜ",
     "λₜ = βₜ²/(2σₜ² αₜ (1−ᾱₜ)): the weight of ‖ε − ε_θ‖² in Lₜ"},
    {"elbo.train_all", "Entrenar los tres", "Train all three"},
    {"elbo.train_caption",
     "La misma red y los mismos datos, tres objetivos. L_{vlb} pesa cada t con λₜ, enorme con t pequeño: "
     "unos "
     "pocos términos ruidosos dominan su gradiente y aprende más despacio (Nichol y Dhariwal 2021 "
     "remuestrean t para ello). L_{simple} quita los pesos (Ho et al. 2020). Estas muestras recortan x̂₀ a "
     "una caja tres veces la de los datos: las de una red sin entrenar caen fuera de los gráficos.",
     "The same network and data, three objectives. L_{vlb} weights each t by λₜ, which is huge at small t: "
     "its "
     "gradient is dominated by a few noisy terms, so it learns slower (Nichol & Dhariwal 2021 resample t for "
     "it). L_{simple} drops the weights (Ho et al. 2020). These samples clip x̂₀ to a box three times the "
     "data's: an untrained network's land off the plots."},
    {"elbo.variance", "varianza", "variance"},
    {"elbo.view_terms", "términos", "terms"},
    {"elbo.view_train", "entrenar", "train"},
    {"elbo.view_weights", "pesos", "weights"},
    {"forward.busy_density", "calculando la densidad", "computing the density"},
    {"forward.caption",
     "xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.  t = %d (índice del código; el t del artículo es %d): ᾱₜ = %.4f, √ᾱₜ = %.3f, "
     "√(1−ᾱₜ) = %.3f.  %s.",
     "xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε.  t = %d (code index; the paper's t = %d): ᾱₜ = %.4f, √ᾱₜ = %.3f, √(1−ᾱₜ) = "
     "%.3f.  %s."},
    {"forward.density_title", "densidad exacta de q(xₜ)", "exact density of q(xₜ)"},
    {"forward.image_real",
     "Una imagen de prueba de Fashion-MNIST (Xiao et al. 2017), píxeles escalados a [−1, 1].",
     "A Fashion-MNIST test image (Xiao et al. 2017), pixels scaled to [−1, 1]."},
    {"forward.image_synthetic",
     "Una imagen sintética de 28×28: instala dataset-fashion-mnist para ver una real.",
     "A synthetic 28×28 picture: install dataset-fashion-mnist to see a real one."},
    {"forward.legend_data", "datos x₀", "data x₀"},
    {"forward.marginal_x", "marginal de x (densidad)", "marginal of x (density)"},
    {"forward.marginal_y", "marginal de y (densidad)", "marginal of y (density)"},
    {"forward.show", "mostrar", "show"},
    {"forward.show_density", "densidad", "density"},
    {"forward.show_histograms", "histogramas", "histograms"},
    {"forward.show_image", "imagen", "image"},
    {"forward.show_points", "puntos", "points"},
    {"forward.tile_t", "t = %d", "t = %d"},
    {"forward.tile_x0", "x₀", "x₀"},
    {"forward.tile_yours", "tu t = %d", "your t = %d"},
    {"gallery.arrows", "flechas", "arrows"},
    {"gallery.caption",
     "∇ log p de una mezcla de tres gaussianas (ruido %.2f) sobre log p (colores; curvas de nivel cada 2 "
     "nats; puntos: las medias). Es un gradiente: cada flecha (×%.3g) cruza las curvas en ángulo recto, "
     "apunta cuesta arriba, se anula en cimas y puertos y nunca gira en remolinos.",
     "∇ log p of a mixture of three Gaussians (noise %.2f) over log p (colours; contours every 2 nats; dots: "
     "the means). It is a gradient: each arrow (×%.3g) crosses the contours at right angles, points uphill, "
     "vanishes at peaks and passes, and never swirls."},
    {"gallery.contours", "curvas de nivel", "contours"},
    {"gallery.hover", "En (%.2f, %.2f): log p = %.3f, ∇ log p = (%.3f, %.3f), |∇ log p| = %.3f.",
     "At (%.2f, %.2f): log p = %.3f, ∇ log p = (%.3f, %.3f), |∇ log p| = %.3f."},
    {"gallery.legend_contours", "log p cada 2 nats", "log p every 2 nats"},
    {"gallery.legend_means", "medias √ᾱ μₖ", "means √ᾱ μₖ"},
    {"gallery.legend_score", "∇ log p (exacta)", "∇ log p (exact)"},
    {"gallery.log_p", "log p", "log p"},
    {"gallery.noise", "ruido 1 − ᾱ", "noise 1 − ᾱ"},
    {"gallery.noise_tip",
     "pₜ es la mezcla difundida: cada gaussiana se encoge por √ᾱ y se ensancha en 1 − ᾱ. Con más ruido el "
     "campo se suaviza (lección 08). Espacio lo recorre.",
     "pₜ is the diffused mixture: each Gaussian shrinks by √ᾱ and widens by 1 − ᾱ. With more noise the field "
     "smooths out (lesson 08). Space sweeps it."},
    {"gallery.title", "el score es un gradiente: ∇ log p sobre log p",
     "the score is a gradient: ∇ log p over log p"},
    {"images.arch_caption",
     "Cada fila es un módulo de la U-Net del aula (canales 16, 32, 64; atención en el medio), cuatro de sus "
     "canales para este xₜ. Hacia abajo los mapas encogen 28 → 14 → 7 y ganan canales; de vuelta crecen y se "
     "juntan con los atajos. Mueve t: los primeros mapas siguen a la imagen, los profundos al nivel de "
     "ruido.",
     "Each row is one module of the classroom U-Net (channels 16, 32, 64; attention in the middle), four of "
     "its channels for this xₜ. Down the path the maps shrink 28 → 14 → 7 and gain channels; back up they "
     "grow again and meet the skips. Move t: the early maps follow the image, the deep ones follow the noise "
     "level."},
    {"images.arch_input", "entrada xₜ", "input xₜ"},
    {"images.arch_output", "salida ε_θ(xₜ, t)", "output ε_θ(xₜ, t)"},
    {"images.bits_title", "bits/dim (%d imágenes, %d t)", "bits/dim (%d images, %d t)"},
    {"images.busy_ddim", "muestreando con DDIM", "DDIM sampling"},
    {"images.busy_ddpm", "muestreando con DDPM, 1000 pasos", "DDPM sampling, 1000 steps"},
    {"images.ddpm_waits", "DDPM, 1000 pasos: empieza cuando termine DDIM",
     "DDPM, 1000 steps: starts when DDIM is done"},
    {"images.busy_unet", "preguntando a la U-Net", "asking the U-Net"},
    {"images.busy_start", "muestreando la red de partida", "sampling the starting network"},
    {"images.ddim_steps", "pasos DDIM", "DDIM steps"},
    {"images.diverged", "divergió: se restauró el último estado bueno",
     "diverged: restored the last good state"},
    {"images.evaluating", "midiendo la calidad", "measuring the quality"},
    {"images.fid_title", "FID (%d muestras DDIM-%d)", "FID (%d DDIM-%d samples)"},
    {"images.first_point", "primer punto en el paso %d", "first point at step %d"},
    {"images.last_time", " (%.1f s la última vez)", " (%.1f s last time)"},
    {"images.live_samples", "muestras DDIM-20, cada 6 s", "DDIM-20 samples, every 6 s"},
    {"images.next_point", "próximo punto de calidad en el paso %d, en unos %.0f s",
     "next quality point at step %d, in about %.0f s"},
    {"images.not_available", "No disponible", "Not available"},
    {"images.note_ddim", "DDIM, %d pasos, η = %.2f", "DDIM, %d steps, η = %.2f"},
    {"images.note_ddpm", "DDPM, 1000 pasos", "DDPM, 1000 steps"},
    {"images.start_samples", "muestras DDIM-20 en el paso %d (inicio)", "DDIM-20 samples at step %d (start)"},
    {"images.press_play", "Pulsa Reproducir (Espacio) para entrenar la U-Net del aula.",
     "Press Play (Space) to train the classroom U-Net."},
    {"images.samples_caption",
     "Las dos grillas parten de las mismas 16 imágenes de ruido. DDPM da los 1000 pasos; DDIM (Song et al. "
     "2021) salta con N pasos, η = 0 determinista. Cambia N y η y compara el tiempo y las prendas. Las dos "
     "recortan x̂₀ a [−1, 1] en cada paso.",
     "Both grids start from the same 16 noise images. DDPM takes all 1000 steps; DDIM (Song et al. 2021) "
     "jumps with N steps, η = 0 deterministic. Change N and η and compare the time and the garments. Both "
     "clip x̂₀ to [−1, 1] at every step."},
    {"images.schedule", "planificador", "schedule"},
    {"images.status", "paso %d   pérdida %.4f   %.0f imágenes/s", "step %d   loss %.4f   %.0f images/s"},
    {"images.status_idle", "paso %d   pérdida —", "step %d   loss —"},
    {"images.strip_caption",
     "xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε en cada píxel (escalado a [−1, 1]). En t = %d: √ᾱₜ = %.3f, √(1−ᾱₜ) = %.3f.  "
     "%s.  El detalle fino se va primero, la silueta al final.",
     "xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε on every pixel (scaled to [−1, 1]). At t = %d: √ᾱₜ = %.3f, √(1−ᾱₜ) = %.3f.  "
     "%s.  Fine detail goes first, the outline last."},
    {"images.strip_columns", "columnas: x₀, t = 100, 250, 500, 750, 999 y tu t = %d",
     "columns: x₀, t = 100, 250, 500, 750, 999, and your t = %d"},
    {"images.train_caption",
     "Los pesos EMA se miden cada %d pasos hasta el %d y luego cada %d%s: bits/dim (la cota en %d imágenes "
     "de prueba, %d valores de t) y FID (%d muestras contra %d imágenes de prueba; gris: el piso). La "
     "pérdida se aplana pronto; bits/dim y FID siguen bajando.",
     "The EMA weights are measured every %d steps up to step %d, then every %d%s: bits/dim (the bound on %d "
     "test images, %d values of t) and FID (%d samples against %d test images; grey: the floor). The loss "
     "flattens early; bits/dim and FID keep falling."},
    {"images.view_architecture", "arquitectura", "architecture"},
    {"images.view_samples", "muestras", "samples"},
    {"images.view_strip", "tira", "strip"},
    {"images.view_train", "entrenar", "train"},
    {"images.view_x0", "x̂₀", "x̂₀"},
    {"images.warm_start", "empezar desde el punto de control temprano incluido",
     "start from the shipped early checkpoint"},
    {"images.warm_start_tip",
     "El mismo U-Net tras unos cientos de pasos (se incluye con la aplicación): las siluetas aparecen en "
     "seguida. Sin marcar: desde cero.",
     "The same U-Net after a few hundred steps (shipped with the app): silhouettes appear at once. Unticked: "
     "from scratch."},
    {"images.x0_caption",
     "x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ(xₜ, t))/√ᾱₜ, recortado a [−1, 1]. Con t pequeño la predicción es nítida. Con t "
     "grande divide el error de ε_θ por √ᾱₜ (en t = 900 lo multiplica por %.0f): la fila de la U-Net se "
     "vuelve ruido. La fila exacta, E[x₀ | xₜ] si los datos fueran %d imágenes de prueba, es el promedio "
     "borroso que da el error cuadrático óptimo.",
     "x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ(xₜ, t))/√ᾱₜ, clipped to [−1, 1]. At small t the prediction is sharp. At large t "
     "it divides ε_θ's error by √ᾱₜ (at t = 900 it multiplies it by %.0f): the U-Net's row turns to noise. "
     "The exact row, E[x₀ | xₜ] if the data were %d test images, is the blurry average that the optimal "
     "squared error gives."},
    {"images.x0_rows",
     "arriba: xₜ en t = 50, 150, 300, 500, 700, 900 y tu t = %d;  en medio: el x̂₀ de la U-Net;  abajo: el x̂₀ "
     "exacto para %d imágenes de prueba",
     "top: xₜ at t = 50, 150, 300, 500, 700, 900 and your t = %d;  middle: the U-Net's x̂₀;  bottom: the "
     "exact x̂₀ for %d test images"},
    {"ode.busy_grid", "deformando la rejilla", "warping the grid"},
    {"ode.busy_integrating", "integrando", "integrating"},
    {"ode.busy_loading", "cargando el modelo", "loading the model"},
    {"ode.caption",
     "El mismo x_T.  EDO: dx/dt = −½β(t)(x + ∇log pₜ(x)), integrada en x/√ᾱ y σ = √((1−ᾱ)/ᾱ): %d "
     "evaluaciones de la red, W₂ rebanada %.3f.  EDE (DDPM ancestral): %d evaluaciones, W₂ rebanada "
     "%.3f.",
     "The same x_T.  ODE: dx/dt = −½β(t)(x + ∇log pₜ(x)), integrated in x/√ᾱ and σ = √((1−ᾱ)/ᾱ): %d network "
     "evaluations, sliced W₂ %.3f.  SDE (ancestral DDPM): %d evaluations, sliced W₂ %.3f."},
    {"ode.grid_caption",
     "La EDO es una aplicación determinista del ruido a los datos: cada línea de la rejilla de x_T se curva, "
     "y los puntos de partida vecinos siguen siendo vecinos (sin cruces), lo que hace posible la inversión "
     "de DDIM.",
     "The ODE is a deterministic map from noise to data: each grid line of x_T bends into a curve, and "
     "neighbouring starting points stay neighbours (no crossings), which is what makes DDIM inversion "
     "possible."},
    {"ode.paths", "trayectorias", "paths"},
    {"ode.sigma_caption",
     "Karras et al. (2022) escriben toda difusión como x = x₀ + σ ε: aquí σ va de %.3g (t = 0) a %.3g (t = "
     "T−1). La EDO queda dx̃/dσ = ε_θ, y DDIM es su paso de Euler.",
     "Karras et al. (2022) write every diffusion as x = x₀ + σ ε: here σ runs from %.3g (t = 0) to %.3g (t = "
     "T−1). The ODE becomes dx̃/dσ = ε_θ, and DDIM is its Euler step."},
    {"ode.solver", "método", "solver"},
    {"ode.solver_step", "paso del método", "solver step"},
    {"ode.solver_steps", "los pasos del método", "the solver's steps"},
    {"ode.steps", "pasos", "steps"},
    {"ode.title_grid", "una rejilla de x_T llevada por la EDO", "a grid of x_T carried by the ODE"},
    {"ode.title_ode", "EDO (%s, %d pasos): determinista", "ODE (%s, %d steps): deterministic"},
    {"ode.title_sde", "EDE (DDPM, %d pasos): estocástica", "SDE (DDPM, %d steps): stochastic"},
    {"ode.title_sigma", "nivel de ruido de EDM σₜ = √((1−ᾱₜ)/ᾱₜ)", "EDM noise level σₜ = √((1−ᾱₜ)/ᾱₜ)"},
    {"ode.view_grid", "rejilla", "grid"},
    {"ode.view_samplers", "muestreadores", "samplers"},
    {"ode.view_sigma", "σ", "σ"},
    {"progress.elapsed", "%s (%.0f s)", "%s (%.0f s)"},
    {"progress.estimating", "estimando el tiempo restante", "estimating the time left"},
    {"progress.left_minutes", "tiempo restante ≈ %d min %d s", "about %d min %d s left"},
    {"progress.left_seconds", "tiempo restante ≈ %.0f s", "about %.0f s left"},
    {"sampling.box", "caja de datos", "data box"},
    {"sampling.caption",
     "Paso %d de %d (%s, %s).  Izquierda: %s.  Derecha: x̂₀, la estimación del punto limpio.  Evaluaciones de "
     "la red: %d.  ◀/▶ o ↓/↑: un paso atrás o adelante.",
     "Step %d of %d (%s, %s).  Left: %s.  Right: x̂₀, the model's guess of the clean point.  Network "
     "evaluations: %d.  ◀/▶ or ↓/↑: a step back or forward."},
    {"sampling.clip", "ver x̂₀ recortado", "show x̂₀ clipped"},
    {"sampling.clip_off",
     "Ese x̂₀ es el propio de la red, sin recortar; la cadena usa x̂₀ recortado a la caja de los datos "
     "x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f]: marca «ver x̂₀ recortado» para verlo.",
     "That x̂₀ is the network's own, not clipped; the chain uses x̂₀ clipped into the data box "
     "x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f]: tick \"show x̂₀ clipped\" to see it."},
    {"sampling.clip_on",
     "Ese x̂₀ está recortado a la caja x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f], el que usa la cadena (los "
     "bordes rectos son del recorte, no del modelo).",
     "That x̂₀ is clipped into the box x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f], the one the chain uses (straight "
     "edges come from the clipping, not the model)."},
    {"sampling.clip_tip",
     "Muestra x̂₀ tal como lo usa el muestreador: recortado a la caja de los datos de entrenamiento (como "
     "clip\\_sample de diffusers con [−1, 1] para imágenes).",
     "Shows x̂₀ as the sampler uses it: clipped into the training data's box (as diffusers' clip\\_sample "
     "does "
     "with [−1, 1] for images)."},
    {"sampling.clipped_suffix", " (recortado)", " (clipped)"},
    {"sampling.exact", "eliminador de ruido exacto", "exact denoiser"},
    {"sampling.exact_beside", "exacto al lado", "exact beside"},
    {"sampling.key", "gris: datos · azul: trayectorias de 24 puntos · naranja: xₜ (izquierda) y x̂₀ (derecha)",
     "grey: data · blue: paths of 24 points · orange: xₜ (left) and x̂₀ (right)"},
    {"sampling.left_done", "las muestras x₀ (cadena terminada)", "the samples x₀ (chain done)"},
    {"sampling.left_xt", "xₜ en t = %d", "xₜ at t = %d"},
    {"sampling.no_box", "x̂₀ sin recortar (este modelo no tiene caja de datos).",
     "x̂₀ unclipped (this model has no data box)."},
    {"sampling.sampler", "muestreador", "sampler"},
    {"sampling.steps", "pasos de muestreo (0 = los T)", "sampling steps (0 = all T)"},
    {"sampling.trained", "modelo entrenado", "trained model"},
    {"sampling.trajectories", "trayectorias", "trajectories"},
    {"schedule.cosine", "coseno", "cosine"},
    {"schedule.linear", "lineal", "linear"},
    {"schedule.quadratic", "cuadrático", "quadratic"},
    {"schedule.sigmoid", "sigmoide", "sigmoid"},
    {"schedules.samples_box", "cada recuadro: x, y ∈ [−3.5, 3.5]", "each box: x, y ∈ [−3.5, 3.5]"},
    {"schedules.caption",
     "t = %d: ᾱₜ lineal %.4f, cuadrático %.4f, coseno %.4f, sigmoide %.4f (ᾱ lineal en t = T−1 = %d: %.4f).  "
     "%s  Arrastra el cursor.",
     "t = %d: ᾱₜ linear %.4f, quadratic %.4f, cosine %.4f, sigmoid %.4f (linear ᾱ at t = T−1 = %d: %.4f).  "
     "%s  Drag the cursor."},
    {"schedules.note_scaled", "%s, T = %d, β de %.3g a %.3g (el 1e-4 … 0.02 de DDPM en T = 1000, ×1000/T)",
     "%s, T = %d, β from %.3g to %.3g (DDPM's 1e-4 … 0.02 at T = 1000, ×1000/T)"},
    {"schedules.range_fixed",
     "β lineal y cuadrático: %.3g … %.3g, sin reescalar (el rango de DDPM para T = 1000, aquí T = %d).",
     "Linear and quadratic β: %.3g … %.3g, not rescaled (DDPM's range for T = 1000, here T = %d)."},
    {"schedules.range_scaled",
     "β lineal y cuadrático: %.3g … %.3g (1e-4 … 0.02 de DDPM ×1000/T, T = %d; tope 0.999).",
     "Linear and quadratic β: %.3g … %.3g (DDPM's 1e-4 … 0.02 ×1000/T, T = %d; capped at 0.999)."},
    {"schedules.rescale", "β ×1000/T", "β ×1000/T"},
    {"schedules.rescale_tip",
     "Reescala el rango lineal y cuadrático 1e-4 … 0.02 por 1000/T (improved-diffusion), para que todo T "
     "recorra los mismos niveles de ruido. Sin marcar: el rango sin reescalar.",
     "Rescales the linear and quadratic range 1e-4 … 0.02 by 1000/T (improved-diffusion), so that every T "
     "spans the same noise levels. Unticked: the unscaled range."},
    {"schedules.title_log_snr", "log SNR = log(ᾱₜ/(1−ᾱₜ))", "log SNR = log(ᾱₜ/(1−ᾱₜ))"},
    {"schedules.title_signal_noise", "√ᾱₜ (grueso, baja) y √(1−ᾱₜ) (fino, sube)",
     "√ᾱₜ (thick, falling) and √(1−ᾱₜ) (thin, rising)"},
    {"schedules.view_all", "todo", "all"},
    {"schedules.view_alpha_bar", "ᾱₜ", "ᾱₜ"},
    {"schedules.view_beta", "βₜ", "βₜ"},
    {"schedules.view_log_snr", "log SNR", "log SNR"},
    {"schedules.view_samples", "muestras", "samples"},
    {"schedules.view_signal_noise", "señal/ruido", "signal/noise"},
    {"score.busy_fields", "calculando los campos del score", "computing the score fields"},
    {"score.caption",
     "score = ∇ₓ log pₜ(x) = −ε_θ(x, t)/√(1−ᾱₜ), aquí en t = %d (√(1−ᾱₜ) = %.3f).  El score exacto "
     "sale de pₜ como mezcla de gaussianas.  Pasa el ratón sobre un punto para leer los dos.",
     "score = ∇ₓ log pₜ(x) = −ε_θ(x, t)/√(1−ᾱₜ), here at t = %d (√(1−ᾱₜ) = %.3f).  The exact score comes "
     "from pₜ as a Gaussian mixture.  Hover a point to read both."},
    {"score.hover",
     "En (%.2f, %.2f), t = %d: ε_θ = (%.3f, %.3f), así que score = −ε_θ/√(1−ᾱₜ) = (%.3f, %.3f) con "
     "√(1−ᾱₜ) = %.3f.  Exacto: (%.3f, %.3f).",
     "At (%.2f, %.2f), t = %d: ε_θ = (%.3f, %.3f), so score = −ε_θ/√(1−ᾱₜ) = (%.3f, %.3f) with √(1−ᾱₜ) = "
     "%.3f.  Exact: (%.3f, %.3f)."},
    {"score.langevin_caption",
     "Nivel de ruido %d de %d (t = %d): 2 pasos correctores de Langevin con relación señal-ruido 0.16 y "
     "luego un paso ancestral (Song et al. 2021, predictor-corrector).  Evaluaciones de la red: %d.",
     "Noise level %d of %d (t = %d): 2 Langevin corrector steps with signal-to-noise ratio 0.16, then an "
     "ancestral step (Song et al. 2021, predictor–corrector).  Network evaluations: %d."},
    {"score.langevin_done",
     "Terminado: %d niveles de ruido, cada uno con 2 pasos correctores de Langevin (relación señal-ruido "
     "0.16) y un paso ancestral; las partículas son x₀.  Evaluaciones de la red: %d.",
     "Done: %d noise levels, each with 2 Langevin corrector steps (signal-to-noise ratio 0.16) and an "
     "ancestral step; the particles are x₀.  Network evaluations: %d."},
    {"score.legend_exact", "exacto", "exact"},
    {"score.legend_learned", "aprendido", "learned"},
    {"score.legend_model_exact", "modelo (exacto)", "model (exact)"},
    {"score.particles", "partículas", "particles"},
    {"score.title_arrows", "score ∇ log pₜ: aprendido y exacto", "score ∇ log pₜ: learned and exact"},
    {"score.title_error", "|score aprendido − exacto|", "|learned score − exact score|"},
    {"score.title_langevin",
     "predictor-corrector: en cada nivel, x ← x + (δ/2)·score + √δ z (Langevin) y un paso de DDPM",
     "predictor–corrector: at each level, x ← x + (δ/2)·score + √δ z (Langevin), then one DDPM step"},
    {"score.view_arrows", "flechas", "arrows"},
    {"score.view_error", "error", "error"},
    {"score.view_langevin", "Langevin", "Langevin"},
    {"scratch.button", "Entrenar desde cero", "Train from scratch"},
    {"scratch.progress", "entrenando desde cero: %d / %d  %s", "training from scratch: %d / %d  %s"},
    {"train.axis_t", "t (índice del código)", "t (code index)"},
    {"train.axis_training_step", "paso de entrenamiento", "training step"},
    {"train.clear", "Borrar todo", "Clear"},
    {"train.dataset", "datos", "data set"},
    {"train.depth", "profundidad", "depth"},
    {"train.draw_first", "Primero dibuja puntos (botón izquierdo); después Espacio entrena con ellos.",
     "Draw some points first (left button); then Space trains on them."},
    {"train.draw_here", "dibuja aquí con el ratón", "draw here with the mouse"},
    {"train.legend_data", "datos", "data"},
    {"train.legend_eps", "ε (verdadero)", "ε (true)"},
    {"train.legend_floor", "datos contra datos (piso)", "data vs data (floor)"},
    {"train.legend_model", "modelo contra datos reservados", "model vs held-out data"},
    {"train.legend_samples", "muestras del modelo (paso %d)", "model samples (step %d)"},
    {"train.legend_samples_outside", "muestras (%d/%d fuera, paso %d)", "samples (%d/%d outside, step %d)"},
    {"train.loss", "pérdida", "loss"},
    {"train.loss_by_t_caption",
     "Cada fila es la pérdida por rango de t en un momento del entrenamiento (la más reciente arriba). La "
     "pérdida con t pequeño sigue alta: ahí ε es casi imposible de distinguir de la dispersión propia de los "
     "datos.",
     "Each row is the loss per range of t at one moment of training (newest at the top). The loss at small t "
     "stays high: there ε is nearly impossible to tell from the data's own spread."},
    {"train.loss_by_t_first_row", "primera fila: paso 100", "first row: step 100"},
    {"train.lr", "tasa de aprendizaje", "learning rate"},
    {"train.minibatch_caption",
     "Algoritmo 1 (Ho et al. 2020): x₀ ~ datos, t ~ U{0…T−1}, ε ~ N(0, I), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε, paso "
     "sobre ∇‖ε − ε_θ(xₜ, t)‖².  Pulsa S para dar un paso y ver un minilote nuevo.",
     "Algorithm 1 (Ho et al. 2020): x₀ ~ data, t ~ U{0…T−1}, ε ~ N(0, I), xₜ = √ᾱₜ x₀ + √(1−ᾱₜ) ε, step on "
     "∇‖ε − ε_θ(xₜ, t)‖².  Press S to take one step and see a new minibatch."},
    {"train.no_loss", "todavía no hay pérdida registrada: entrena unos pasos primero",
     "no loss recorded yet: train a few steps first"},
    {"train.pause_space", "Pausa (Espacio)", "Pause (Space)"},
    {"train.paused", "en pausa", "paused"},
    {"train.play_space", "Entrenar (Espacio)", "Train (Space)"},
    {"train.points_drawn", "%d puntos dibujados", "%d points drawn"},
    {"train.quality_caption",
     "La pérdida se aplana tras unos cientos de pasos; W₂ sigue bajando un rato más, hasta el piso, y luego "
     "sólo oscila: a la pérdida la domina el ruido irreducible con t pequeño.",
     "The loss flattens after a few hundred steps; W₂ keeps falling a while longer, down to the floor, then "
     "only wobbles: the loss is dominated by the irreducible noise at small t."},
    {"train.status", "paso %d   pérdida %.4f   %.0f pasos/s   (%s)",
     "step %d   loss %.4f   %.0f steps/s   (%s)"},
    {"train.status_idle", "paso 0   pérdida —   (%s)", "step 0   loss —   (%s)"},
    {"train.status_line", "entrenar: paso %d, %.0f pasos/s", "train: step %d, %.0f steps/s"},
    {"train.status_line_paused", "entrenar: paso %d, en pausa", "train: step %d, paused"},
    {"train.status_paused", "paso %d   pérdida %.4f   (%s)", "step %d   loss %.4f   (%s)"},
    {"train.step_s", "Paso (S)", "Step (S)"},
    {"train.title_draw", "dibuja: botón izquierdo añade, derecho borra",
     "draw: left button adds, right erases"},
    {"train.title_loss_by_t", "L_{simple} por rango de t, durante el entrenamiento",
     "L_{simple} per bucket of t, over training"},
    {"train.title_minibatch", "un minilote: x₀ → xₜ, ε (verdadero) y ε̂ (predicho)",
     "one minibatch: x₀ → xₜ, ε (true) and ε̂ (predicted)"},
    {"train.title_quality", "W₂ rebanada: calidad de las muestras (menor es mejor)",
     "sliced W₂: sample quality (lower is better)"},
    {"train.title_samples", "datos y muestras", "data and samples"},
    {"train.train_on_points", "Entrenar con mis puntos", "Train on my points"},
    {"train.training", "entrenando", "training"},
    {"train.width", "anchura", "width"},
    // jobs: background loading, clipping notes, messages from src/train (keys grouped here, not sorted in)
    {"jobs.clip_box",
     "x̂₀ se recorta en cada paso a la caja de los datos x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] (de ahí los "
     "bordes "
     "rectos).",
     "x̂₀ is clipped at every step into the data box x ∈ [%.2f, %.2f], y ∈ [%.2f, %.2f] (hence straight "
     "edges)."},
    {"jobs.clip_none", "x̂₀ sin recortar (este modelo no tiene caja de datos).",
     "x̂₀ not clipped (this model has no data box)."},
    {"jobs.load_failed", "No se pudo cargar el modelo", "Could not load the model"},
    {"jobs.loading_mixture", "construyendo la mezcla exacta de los datos",
     "building the data's exact mixture"},
    {"jobs.loading_model", "cargando el modelo", "loading the model"},
    {"jobs.loading_models", "cargando los modelos", "loading the models"},
    {"trainmsg.batch_range", "el lote debe ser de 1 … %s", "batch must be 1 … %s"},
    {"trainmsg.cannot_start", "no se puede empezar a entrenar", "cannot start training"},
    {"trainmsg.classifier_size", "%s: las imágenes del clasificador no tienen el tamaño de las de prueba",
     "%s: the classifier's images are not the test images' size"},
    {"trainmsg.diverged",
     "divergió (pérdida = %s): se restauró el último estado bueno, del paso %s; baja la tasa de aprendizaje "
     "(ahora %s) y pulsa reproducir",
     "diverged (loss = %s): restored the last good state at step %s; lower the learning rate (now %s) and "
     "press play"},
    {"trainmsg.evaluation_failed", "la evaluación falló", "the evaluation failed"},
    {"trainmsg.fid_needs", "FID necesita %s imágenes de prueba", "FID needs %s test images"},
    {"trainmsg.finished", "terminados %s pasos", "finished %s steps"},
    {"trainmsg.label_file",
     "un modelo condicionado a la clase necesita un archivo de etiquetas (idx:IMÁGENES,ETIQUETAS)",
     "a class-conditional model needs a label file (idx:IMAGES,LABELS)"},
    {"trainmsg.lr_positive", "la tasa de aprendizaje debe ser positiva",
     "the learning rate must be positive"},
    {"trainmsg.model_size", "las imágenes de prueba no tienen el tamaño del modelo",
     "the test images are not the model's size"},
    {"trainmsg.monitor_failed", "el monitor de calidad falló", "the quality monitor failed"},
    {"trainmsg.no_classifier",
     "no hay checkpoint del clasificador en %s (créalo con `difflab classifier train`)",
     "no classifier checkpoint at %s (make one with `difflab classifier train`)"},
    {"trainmsg.no_images", "no hay imágenes de entrenamiento", "no training images"},
    {"trainmsg.no_test_split", "no hay partición de prueba", "no test split"},
    {"trainmsg.param_count", "el número de parámetros no coincide con el modelo",
     "parameter count does not match the model"},
    {"trainmsg.ready", "listo: %s", "ready: %s"},
    {"trainmsg.test_split_small", "la partición de prueba tiene menos de %s imágenes",
     "the test split has fewer than %s images"},
    {"trainmsg.too_few_points", "muy pocos puntos de datos", "too few data points"},
    {"trainmsg.training_step", "entrenando: paso %s", "training: step %s"},
    // image steps and interpolation:
    {"isteps.busy", "U-Net paso a paso", "U-Net step by step"},
    {"isteps.sampler", "muestreador", "sampler"},
    {"isteps.steps", "pasos", "steps"},
    {"isteps.step", "paso", "step"},
    {"isteps.new_noise", "Nuevo ruido inicial", "New starting noise"},
    {"isteps.strip", "imagen 1 en cada paso: xₜ arriba, x̂₀ abajo; recuadro: este paso",
     "image 1 at every step: xₜ above, x̂₀ below; frame: this step"},
    {"isteps.left", "xₜ (entrada del paso)", "xₜ (the step's input)"},
    {"isteps.right", "x̂₀ (imagen limpia predicha)", "x̂₀ (predicted clean image)"},
    {"isteps.step_line", "paso %d / %d   t = %d   √ᾱₜ = %.3f   √(1−ᾱₜ) = %.3f",
     "step %d / %d   t = %d   √ᾱₜ = %.3f   √(1−ᾱₜ) = %.3f"},
    {"isteps.caption",
     "%s, %d pasos, %d imágenes, U-Net de clase: %.1f s. Izquierda xₜ; derecha x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ, "
     "recortada a [−1, 1]. Tras el último paso la muestra es su x̂₀: máx |x₀ − x̂₀| = %.1e.",
     "%s, %d steps, %d images, classroom U-Net: %.1f s. Left xₜ; right x̂₀ = (xₜ − √(1−ᾱₜ) ε_θ)/√ᾱₜ, clipped "
     "to [−1, 1]. After the last step the sample is its x̂₀: max |x₀ − x̂₀| = %.1e."},
    {"interp.busy", "DDIM de cada ruido interpolado", "DDIM of every interpolated noise"},
    {"interp.view_images", "imágenes", "images"},
    {"interp.view_points", "puntos 2-D", "2-D points"},
    {"interp.steps", "pasos DDIM", "DDIM steps"},
    {"interp.new_ends", "Nuevos extremos", "New endpoints"},
    {"interp.new_b", "Nuevo B", "New B"},
    {"interp.show_latents", "ver el ruido inicial", "show the starting noise"},
    {"interp.title_norms", "‖x_T(α)‖: slerp (azul), lerp (naranja); gris: √d",
     "‖x_T(α)‖: slerp (blue), lerp (orange); grey: √d"},
    {"interp.title_latent", "x_T: slerp (azul), lerp (naranja)", "x_T: slerp (blue), lerp (orange)"},
    {"interp.title_decoded", "x₀ = DDIM(x_T), η = 0; datos en gris", "x₀ = DDIM(x_T), η = 0; data in grey"},
    {"interp.images_caption",
     "Extremos A, B ~ N(0, I) en d = %d (√d = %.1f): ‖A‖ = %.1f, ‖B‖ = %.1f. Cada fila: DDIM (η = 0, "
     "%d pasos) de %d latentes entre ambos, %.1f s. En el centro (α = %.2f) el latente de slerp tiene ‖x_T‖ "
     "= "
     "%.1f y el de lerp %.1f = %.2f √d, unas %.0f desviaciones típicas (0.71) por debajo de √d: una norma "
     "que "
     "N(0, I) casi nunca produce.",
     "Endpoints A, B ~ N(0, I) in d = %d (√d = %.1f): ‖A‖ = %.1f, ‖B‖ = %.1f. Each row: DDIM (η = 0, "
     "%d steps) of %d latents between them, %.1f s. In the middle (α = %.2f) slerp's latent has ‖x_T‖ = %.1f "
     "and lerp's %.1f = %.2f √d, about %.0f standard deviations (0.71) below √d: a norm N(0, I) almost never "
     "draws."},
    {"interp.points_caption",
     "Izquierda: los latentes entre A (‖A‖ = %.2f) y B (‖B‖ = %.2f), el arco de slerp y la cuerda de "
     "lerp; derecha: a dónde los lleva DDIM. En α = %.2f: ‖slerp‖ = %.2f, ‖lerp‖ = %.2f (DDIM η = 0, %d "
     "pasos). En 2-D la norma de x_T ~ N(0, I) no se concentra en √d, así que los dos caminos son ruido "
     "plausible; en las 784 dimensiones de una imagen solo lo es slerp.",
     "Left: the latents between A (‖A‖ = %.2f) and B (‖B‖ = %.2f), slerp's arc and lerp's chord; "
     "right: where DDIM carries them. At α = %.2f: ‖slerp‖ = %.2f, ‖lerp‖ = %.2f (DDIM η = 0, %d steps). In "
     "2-D the norm of x_T ~ N(0, I) does not concentrate at √d, so both paths are plausible noise; in the "
     "784 "
     "dimensions of an image only slerp's is."},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_lecture() {
  return kEntries;
}

}  // namespace difflab
