// ui_text_shell.cpp — UI strings of the app shell: menus, the keys window, the status bar, the lesson view,
// presenter view (es, en). Not the lookup (ui_text.cpp). Keep keys sorted within a group; one line per entry.
// "{}" marks where a value goes (ui::fill), in order.
#include "lessons/ui_text.h"

namespace difflab {
namespace {

constexpr UiTextEntry kEntries[] = {
    // Menus.
    {"menu.backend", "Cómputo del entrenamiento", "Training backend"},
    {"menu.backend_applies", "se aplica al entrenamiento que empiece después",
     "applies to training started after this"},
    {"menu.backend_auto", "Automático (según el tamaño del modelo)", "Automatic (by model size)"},
    {"menu.backend_auto_tip",
     "GPU para modelos de al menos {} parámetros si hay una GPU con OpenGL 4.3; si no, CPU",
     "GPU for models of at least {} parameters when a GPU with OpenGL 4.3 is there; CPU otherwise"},
    {"menu.backend_cpu", "CPU", "CPU"},
    {"menu.backend_gl", "GPU (sombreadores de cómputo OpenGL)", "GPU (OpenGL compute shaders)"},
    {"menu.backend_gl_checking", "comprobando si hay OpenGL 4.3…", "checking for OpenGL 4.3…"},
    {"menu.backend_gl_unavailable", "no disponible: {}", "unavailable: {}"},
    {"menu.export_csv", "Exportar curvas (CSV)", "Export curves (CSV)"},
    {"menu.file", "Archivo", "File"},
    {"menu.fullscreen", "Pantalla completa", "Fullscreen"},
    {"menu.help", "Ayuda", "Help"},
    {"menu.keys", "Teclas", "Keys"},
    {"menu.larger_text", "Texto más grande", "Larger text"},
    {"menu.lessons", "Lecciones", "Lessons"},
    {"menu.no_lessons_folder", "no se encontró la carpeta de lecciones", "no lessons folder found"},
    {"menu.other_language", "English (cambiar idioma)", "Español (switch language)"},
    {"menu.panels", "Paneles", "Panels"},
    {"menu.presenter_mode", "Modo presentación", "Presenter mode"},
    {"menu.presenter_view", "Notas del presentador", "Speaker notes"},
    {"menu.quit", "Salir", "Quit"},
    {"menu.save_panel_screenshot", "Guardar captura del panel", "Save panel screenshot"},
    {"menu.save_screenshot", "Guardar captura", "Save screenshot"},
    {"menu.smaller_text", "Texto más pequeño", "Smaller text"},
    {"menu.view", "Ver", "View"},
    // The keys window: key names, then what each key does.
    {"keys.esc", "cerrar esta ventana o las notas / salir de pantalla completa",
     "close this window or the notes / leave fullscreen"},
    {"keys.font", "texto más grande / más pequeño", "larger / smaller text"},
    {"keys.fullscreen", "pantalla completa", "fullscreen"},
    {"keys.help", "esta ayuda", "this help"},
    {"keys.home_end", "primera / última diapositiva", "first / last slide"},
    {"keys.language", "idioma: español ↔ English (el panel sigue como está)",
     "language: español ↔ English (the panel keeps its state)"},
    {"keys.name_end", "Inicio / Fin", "Home / End"},
    {"keys.name_space", "Espacio", "Space"},
    {"keys.notes", "notas del presentador, siguiente diapositiva y reloj",
     "speaker notes, next slide and timer"},
    {"keys.play", "reproducir / pausar el panel", "play / pause the live panel"},
    {"keys.plots", "En los gráficos: arrastrar = desplazar, rueda = zoom, doble clic = restablecer",
     "In plots: drag = pan, wheel = zoom, double-click = reset"},
    {"keys.prev_next", "diapositiva anterior / siguiente (al final, la lección siguiente)",
     "previous / next slide (past the end, the next lesson)"},
    {"keys.reset", "reiniciar esta diapositiva", "reset this slide"},
    {"keys.screenshot", "guardar una captura (PNG)", "save a screenshot (PNG)"},
    {"keys.step", "un paso", "one step"},
    {"keys.title", "Teclas", "Keys"},
    // Status bar, messages, placeholders.
    {"plot.no_data", "aún sin datos", "no data yet"},
    {"shell.cannot_export", "no se pudieron exportar las curvas: {}", "cannot export curves: {}"},
    {"shell.corrupt_settings", "se ignora el archivo de ajustes dañado {} ({})",
     "ignoring the corrupt settings file {} ({})"},
    {"shell.diagnostics", "{} error(es), {} aviso(s) en {}", "{} error(s), {} warning(s) in {}"},
    {"shell.hero_caption",
     "Cada punto empieza como ruido gaussiano y el modelo lo lleva, paso a paso, hasta los datos: {}.",
     "Every point starts as Gaussian noise and the model carries it, step by step, to the data: {}."},
    {"shell.hero_loading", "cargando el modelo…", "loading the model…"},
    {"shell.hero_step", "t = {}", "t = {}"},
    {"shell.lesson_not_found", "no se encuentra el archivo de la lección: {}", "lesson file not found: {}"},
    {"shell.backend_status", "cómputo: {}", "backend: {}"},
    {"shell.thread", "hilo", "thread"},
    {"shell.threads", "hilos", "threads"},
    {"shell.ms_per_frame", "{} ms/fotograma", "{} ms/frame"},
    {"shell.no_lesson", "(sin lección)", "(no lesson)"},
    {"shell.no_lessons_found",
     "no se encontró la carpeta de lecciones (usa DIFFLAB\\_LESSONS\\_DIR o --lesson ARCHIVO)",
     "no lessons folder found (set DIFFLAB\\_LESSONS\\_DIR, or use --lesson FILE)"},
    {"shell.no_panel_to_save", "esta diapositiva no tiene panel en vivo que guardar",
     "this slide has no live panel to save"},
    {"shell.no_slides", "no se puede mostrar {}: no tiene diapositivas (¿falta el archivo o no es Marp?)",
     "cannot show {}: it has no slides (missing file or not a Marp deck?)"},
    {"shell.no_twin_en", "esta lección no tiene versión en inglés", "this lesson has no English version"},
    {"shell.no_twin_es", "esta lección no tiene versión en español", "this lesson has no Spanish version"},
    {"shell.panel_missing", "El panel en vivo «{}» todavía no está en esta versión",
     "The live panel \"{}\" is not in this build yet"},
    {"shell.placeholder",
     "No hay ninguna lección abierta. Elige una en el menú «Lecciones», abre un panel en «Paneles», o "
     "ejecuta  "
     "difflab --lesson ARCHIVO.md.",
     "No lesson is open. Pick one in the Lessons menu, open a panel from Panels, or run  difflab --lesson "
     "FILE.md."},
    {"shell.reset_button", "Reiniciar (R)", "Reset (R)"},
    {"shell.saved", "guardado {}", "saved {}"},
    {"shell.switch_language", "ES → EN (L)", "EN → ES (L)"},
    // Presenter view (N).
    {"presenter.elapsed", "Tiempo", "Time"},
    {"presenter.end", "(fin de la presentación)", "(end of the deck)"},
    {"presenter.next", "Siguiente", "Next"},
    {"presenter.next_panel", "(con panel en vivo)", "(with a live panel)"},
    {"presenter.next_lesson", "Siguiente lección: {}", "Next lesson: {}"},
    {"presenter.no_notes", "(esta diapositiva no tiene notas)", "(no notes on this slide)"},
    {"presenter.notes", "Notas", "Notes"},
    {"presenter.pause_timer", "Pausar", "Pause"},
    {"presenter.reset_timer", "Reiniciar", "Restart"},
    {"presenter.resume_timer", "Seguir", "Resume"},
    {"presenter.slide", "Diapositiva {} de {}", "Slide {} of {}"},
    {"presenter.title", "Vista del presentador", "Presenter view"},
    // lesson.*: the lesson view and instructors' decks (lesson_view.cpp, the diagnostics bar).
    {"lesson.image_missing", "Imagen no encontrada", "Image not found"},
    {"lesson.image_unreadable", "Imagen ilegible (solo PNG o JPEG)",
     "Cannot read the image (PNG or JPEG only)"},
    {"lesson.video_placeholder", "Vídeo (no se reproduce aquí)", "Video (not played here)"},
};

}  // namespace

std::span<const UiTextEntry> ui_text_table_shell() {
  return kEntries;
}

}  // namespace difflab
