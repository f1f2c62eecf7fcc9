// panel_train_logic.h — what Space (or Play) does on the train panel, as a pure decision: pause, play, or on
// the drawing slide retrain on the drawing / ask for points. Not the panel (panel_train.cpp acts on it).
#pragma once

#include <cmath>

namespace difflab::ui {

enum class TrainAction { Pause, Play, RestartOnDrawingThenPlay, AskForPoints };

// `drawn_generation` counts edits of the drawing; `trained_generation` is the edit the trainer last started
// on (−1: never). On the drawing slide training must use the drawing (lesson 01 trained on moons instead).
inline TrainAction train_toggle_action(bool playing, bool drawing, int drawn_points, int drawn_generation,
                                       int trained_generation) {
  if (playing) return TrainAction::Pause;
  if (!drawing) return TrainAction::Play;
  if (drawn_points == 0) return TrainAction::AskForPoints;
  return drawn_generation != trained_generation ? TrainAction::RestartOnDrawingThenPlay : TrainAction::Play;
}

// How many of n interleaved points (x, y) lie outside the square [−half, half]²: the samples plot's legend
// says so, since the preview's samples of an untrained network land far off the plot (trainer.h,
// preview_sample) and the plot would otherwise just look empty.
inline int points_outside(const float* xy, int n, double half) {
  int outside = 0;
  for (int i = 0; i < n; ++i)
    outside += !(std::abs(xy[2 * i]) <= half && std::abs(xy[2 * i + 1]) <= half);  // NaN counts as outside
  return outside;
}

}  // namespace difflab::ui
