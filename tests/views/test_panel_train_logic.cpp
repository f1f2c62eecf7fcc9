// test_panel_train_logic.cpp — Space on the train panel: on lesson 01's drawing slide it trains on the
// drawing (it trained on moons), retrains after the drawing changed, and asks for points when there are none.
// Not the panel itself (ImGui); the decision it takes.
#include <doctest/doctest.h>

#include <cmath>

#include "ui/panel_train_logic.h"

using namespace difflab::ui;

TEST_CASE("Space on the drawing slide trains on the drawing") {
  // Nothing drawn: no training on some preset data set, a request for points.
  CHECK(train_toggle_action(false, true, 0, 0, -1) == TrainAction::AskForPoints);
  // Points drawn (edit 3), never trained: restart on them, then play.
  CHECK(train_toggle_action(false, true, 120, 3, -1) == TrainAction::RestartOnDrawingThenPlay);
  // Paused after training on edit 3, nothing changed: just resume.
  CHECK(train_toggle_action(false, true, 120, 3, 3) == TrainAction::Play);
  // The drawing changed (edit 5): train on the new one.
  CHECK(train_toggle_action(false, true, 150, 5, 3) == TrainAction::RestartOnDrawingThenPlay);
  // Playing: Space pauses, drawing or not.
  CHECK(train_toggle_action(true, true, 150, 5, 5) == TrainAction::Pause);
  CHECK(train_toggle_action(true, false, 0, 0, -1) == TrainAction::Pause);
  // Other slides: play the data set of the directive.
  CHECK(train_toggle_action(false, false, 0, 0, -1) == TrainAction::Play);
}

TEST_CASE("the samples legend counts the points off the plotted square, NaN included") {
  const float xy[] = {0, 0, 2.5f, -2.5f, 2.6f, 0, 0, -40, NAN, 0};
  CHECK(points_outside(xy, 5, 2.5) == 3);  // (2.6, 0), (0, −40) and the NaN
  CHECK(points_outside(xy, 2, 2.5) == 0);  // the edge itself is inside
  CHECK(points_outside(xy, 0, 2.5) == 0);
}
