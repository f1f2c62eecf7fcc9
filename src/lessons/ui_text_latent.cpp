// ui_text_latent.cpp — UI strings of the latent-diffusion panel (autoencoder, latent, decoded samples, cost),
// es and en. Not the lookup (ui_text.cpp) and not the lesson text (lessons/15-latent.*.md).
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    {"latent.busy", "cargando el autoencoder y la U-Net latente, muestreando…",
     "loading the autoencoder and the latent U-Net, sampling…"},
    {"latent.caption",
     "Autoencoder entrenado (28×28 → 4×8×8 → 28×28): error cuadrático medio de reconstrucción en %d "
     "imágenes de prueba %.4f (píxeles en [−1, 1]); factor de escala de los latentes %.3f (varianza 1, como "
     "el 0.18215 de Stable Diffusion). La U-Net de difusión nunca ve píxeles: "
     "muestrea latentes y el decodificador los convierte en imágenes. Calculado en %.1f s.",
     "Trained autoencoder (28×28 → 4×8×8 → 28×28): reconstruction mean squared error on %d test images %.4f "
     "(pixels in [−1, 1]); latent scale factor %.3f (unit variance, like Stable Diffusion's 0.18215). The "
     "diffusion U-Net never sees pixels: it samples latents and the decoder turns them into images. Computed "
     "in "
     "%.1f s."},
    {"latent.channels", "Latente de la primera: 4 canales de 8×8", "Latent of the first: 4 channels of 8×8"},
    {"latent.cost",
     "Una pasada de la misma U-Net por imagen: en píxeles (28×28×1) %.2f ms de CPU, %.3f GFLOP; en el "
     "latente "
     "(8×8×4) %.2f ms de CPU, %.3f GFLOP: %.1f× más barata.",
     "One pass of the same U-Net per image: in pixels (28×28×1) %.2f CPU ms, %.3f GFLOP; in the latent "
     "(8×8×4) "
     "%.2f CPU ms, %.3f GFLOP: %.1f× cheaper."},
    {"latent.axis_mse", "MSE del lote", "batch MSE"},
    {"latent.axis_step", "paso", "step"},
    {"latent.curve", "MSE de reconstrucción", "reconstruction MSE"},
    {"latent.live_caption",
     "El autoencoder entrena aquí desde pesos aleatorios (lote 64, MSE + 0.001·KL, 2 hilos). Arriba, 8 "
     "imágenes "
     "de prueba y cómo las reconstruye ahora; abajo, el MSE de cada lote. Reiniciar vuelve a pesos "
     "aleatorios.",
     "The autoencoder trains here from random weights (batch 64, MSE + 0.001·KL, 2 threads). Top: 8 test "
     "images "
     "and how it rebuilds them now; bottom: each batch's MSE. Restart goes back to random weights."},
    {"latent.new_noise", "otro ruido", "new noise"},
    {"latent.pause", "Pausa", "Pause"},
    {"latent.play", "Entrenar", "Train"},
    {"latent.restart", "Reiniciar", "Restart"},
    {"latent.status", "paso %d, %.1f pasos/s, MSE de las 8: %.4f",
     "step %d, %.1f steps/s, MSE of the 8: %.4f"},
    {"latent.original", "Imágenes de prueba", "Test images"},
    {"latent.reconstruction", "Reconstrucción: decodificador(codificador(x))",
     "Reconstruction: decoder(encoder(x))"},
    {"latent.samples", "Muestras latentes decodificadas, una por clase (γ = %.1f, DDIM %d pasos)",
     "Latent samples decoded, one per class (γ = %.1f, DDIM %d steps)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_latent() {
  return kEntries;
}

}  // namespace difflab
