// test_live_trainer.cpp — the live trainer's publishing: histories shared with snapshots (O(1) per publish,
// amortised O(1) per point), and sample refreshes that leave training most of the worker's time.
// Not the training math (test_training.cpp) and not a timing benchmark: no assertion depends on machine
// speed.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "train/live_trainer.h"

using namespace difflab;

TEST_CASE("a series view copies nothing and never sees later appends") {
  Series<int> s;
  std::vector<SeriesView<int>> views;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    s.push_back(3 * i);
    if (i % 1000 == 999) views.push_back(s.view());  // 100 publications
  }
  // Growth doubles the buffer: 64 + 128 + … < 2n elements copied in all, however many views were taken.
  CHECK(s.elements_copied() < 2u * n);
  const size_t copied = s.elements_copied();
  for (int k = 0; k < 1000; ++k) views.push_back(s.view());
  CHECK(s.elements_copied() == copied);                          // taking a view is free
  CHECK(views.back().data() == views[views.size() - 2].data());  // the same storage, not a copy
  for (size_t v = 0; v < 100; ++v) {
    const SeriesView<int>& view = views[v];
    REQUIRE(view.size() == 1000 * (v + 1));
    CHECK(view.front() == 0);
    CHECK(view.back() == 3 * int(view.size() - 1));  // later appends are not visible in an older view
  }
  CHECK(views.back().to_vector().size() == size_t(n));
  CHECK(*views.back().rbegin() == 3 * (n - 1));
}

TEST_CASE("publishing costs the same whatever the history length") {
  // Every step logs a loss point: over 1,000 steps the worker publishes many times (one per 25 ms slice and
  // per refresh). Copying the histories on each publication would copy Σ(length) points; shared series copy
  // fewer than 2 × the points ever appended, in total, whatever the number of publications.
  TrainConfig c;
  c.steps = 1000;
  c.batch = 32;
  c.log_every = 1;
  c.eval_every = 0;
  LiveTrainer live(c);
  live.play();
  const auto hang_guard = std::chrono::steady_clock::now() + std::chrono::minutes(20);
  std::shared_ptr<const TrainSnapshot> s = live.snapshot();
  std::vector<std::shared_ptr<const TrainSnapshot>> seen;
  while (s->step < c.steps && std::chrono::steady_clock::now() < hang_guard) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s = live.snapshot();
    if (seen.empty() || seen.back() != s) seen.push_back(s);
  }
  REQUIRE(s->step == c.steps);
  const size_t points = s->loss_history.size() + s->loss_history_step.size() + s->loss_by_t_history.size() +
                        s->loss_by_t_history_step.size();
  CHECK(s->loss_history.size() == size_t(c.steps));
  CHECK(s->loss_by_t_history.size() == size_t(c.steps / 100));
  CAPTURE(seen.size());
  CHECK(s->history_elements_copied < 2 * points);
  // Older snapshots still read their own prefix of the same values.
  for (const auto& old : seen)
    for (size_t i = 0; i < old->loss_history.size(); i += 97) {
      REQUIRE(old->loss_history_step[i] == int(i) + 1);
      CHECK(old->loss_history[i] == s->loss_history[i]);
    }
}

TEST_CASE("sample refreshes take at most about a quarter of the worker's time") {
  // The scatter plot's samples (600 points through all T steps) are refreshed at most every 250 ms and never
  // sooner than 3× the last refresh's duration after it: where sampling is slow (a sanitizer build), it must
  // not starve training. Both sides are measured by the worker, so the ratio holds on any machine speed.
  TrainConfig c;
  c.steps = 800;
  c.eval_every = 0;
  LiveTrainer live(c);
  live.play();
  const auto hang_guard = std::chrono::steady_clock::now() + std::chrono::minutes(20);
  while (live.snapshot()->step < c.steps && std::chrono::steady_clock::now() < hang_guard)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto s = live.snapshot();
  REQUIRE(s->step == c.steps);
  REQUIRE(s->sample_refreshes >= 1);
  CAPTURE(s->train_seconds);
  CAPTURE(s->sample_seconds);
  CAPTURE(s->sample_refreshes);
  // The refresh at reset and the one at the end are not preceded by training; every other is preceded by
  // ≥ 3× its predecessor's duration of training.
  const double mean_refresh = s->sample_seconds / s->sample_refreshes;
  CHECK(s->sample_seconds <= s->train_seconds / 2 + 2 * mean_refresh);
}

TEST_CASE("live sliced W2 comes early: steps 25, 50, 100 with a quarter of the samples, then every 250") {
  // The cadence lesson 04's quality slide trains with (eval_every = 250, eval_points = 1000): a first point
  // at step 25 instead of 250, and the three early evaluations draw 250 samples each, 750 in all: less than
  // one full evaluation more than every-250 alone over any run.
  std::vector<int> due;
  int extra = 0;
  for (int step = 0; step <= 1000; ++step) {
    const int n = live_eval_points(step, 250, 1000);
    if (n > 0) due.push_back(step);
    if (step > 0 && step % 250 == 0)
      CHECK(n == 1000);
    else
      extra += n;
  }
  CHECK(due == std::vector<int>{25, 50, 100, 250, 500, 750, 1000});
  CHECK(extra == 3 * 250);
  for (int step = 0; step <= 1000; ++step) CHECK(live_eval_points(step, 0, 1000) == 0);
  CHECK(live_eval_points(10, 100, 1000) == 250);
  CHECK(live_eval_points(-250, 250, 1000) == 0);
}
