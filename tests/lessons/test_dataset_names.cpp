// test_dataset_names.cpp — panel_spec.h repeats the 2-D dataset presets; this checks they match src/data.
// Not a test of the data sets themselves.
#include <doctest/doctest.h>

#include "data/toy2d.h"
#include "lessons/panel_spec.h"

TEST_CASE("dataset_preset_names() lists exactly the presets of data/toy2d.h, in menu order") {
  CHECK(difflab::dataset_preset_names() == difflab::dataset_presets());
}
