// panel_gallery.cpp — the "gallery" panel: the plotting layer's demo (plot::show_gallery) in a scrolling child.
// Not the gallery itself: that lives in src/plot/gallery.cpp so the layer documents itself.
#include <imgui.h>

#include "plot/plot.h"
#include "ui/panels.h"

namespace difflab::ui {
namespace {

class GalleryPanel : public Panel {
 public:
  void draw(const PanelInput&) override { plot::show_gallery(); }
};

}  // namespace

std::unique_ptr<Panel> make_gallery_panel(const PanelDirective&) { return std::make_unique<GalleryPanel>(); }

}  // namespace difflab::ui
