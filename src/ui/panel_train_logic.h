// panel_train_logic.h — what Space (or Play) does on the train panel, as a pure decision: pause, play, or on
// the drawing slide retrain on the drawing / ask for points. Not the panel (panel_train.cpp acts on it).
#pragma once

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

}  // namespace difflab::ui
