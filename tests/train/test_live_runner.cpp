// test_live_runner.cpp — the one live training protocol: a fake TrainJob counting its steps under play,
// pause, step once, reset, step limits, divergence, errors, cancellation and snapshots read while it runs.
// Not a real trainer (test_live_trainer.cpp runs the 2-D one through it) and no timing benchmark.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "train/live_runner.h"

using namespace difflab;
using Clock = std::chrono::steady_clock;

namespace {
struct FakeSnapshot {
  int step = 0;
  std::vector<int> steps;  // 1, 2, …, step: a torn snapshot would disagree with `step`
  int finished_calls = 0, diverged_calls = 0, errors = 0;
  std::string message;
  bool stopped = false;
};

struct Counters {  // shared with the test: the job lives (and dies) on the worker
  std::atomic<int> steps{0}, jobs_alive{0}, jobs_made{0}, after_steps{0};
  std::atomic<float> lr{0};
};

struct FakeOptions {
  int limit = 0;       // finished() at this many steps (0 = never)
  int diverge_at = 0;  // the step that returns diverged (0 = never)
  int throw_at = 0;    // the step that throws (0 = never)
  bool start_throws = false;
  int step_ms = 0;          // each step's duration
  int long_work_every = 0;  // after_step runs "an evaluation" of 30 s, cancellable, every this many steps
};

class FakeJob final : public TrainJob {
 public:
  FakeJob(std::shared_ptr<Counters> c, FakeOptions o) : c_(std::move(c)), o_(o) {
    ++c_->jobs_alive;
    ++c_->jobs_made;
  }
  ~FakeJob() override { --c_->jobs_alive; }
  void start() override {
    if (o_.start_throws) throw std::runtime_error("no data");
  }
  StepResult step() override {
    if (o_.step_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o_.step_ms));
    const int next = step_ + 1;
    if (next == o_.throw_at) throw std::runtime_error("boom at " + std::to_string(next));
    StepResult r;
    r.loss = 1.0 / next;
    if (next == o_.diverge_at) {
      r.diverged = true;
      r.loss = NAN;
      return r;  // a diverged step is not counted (the optimizer keeps the last good state)
    }
    step_ = next;
    steps_.push_back(step_);
    ++c_->steps;
    return r;
  }
  int step_count() const override { return step_; }
  bool finished() const override { return o_.limit > 0 && step_ >= o_.limit; }
  void set_learning_rate(float lr) override { c_->lr = lr; }
  void after_step(const StepResult&, const JobHooks& hooks) override {
    ++c_->after_steps;
    if (o_.long_work_every > 0 && step_ % o_.long_work_every == 0) {
      const auto end = Clock::now() + std::chrono::seconds(30);
      while (Clock::now() < end && !hooks.cancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void on_diverged(const StepResult&) override { ++diverged_; }
  void on_error(const std::exception& e) override {
    ++errors_;
    message_ = e.what();
  }
  void on_finished() override { ++finished_; }
  std::shared_ptr<const void> snapshot(const RunInfo& run) override {
    auto s = std::make_shared<FakeSnapshot>();
    s->step = step_;
    s->steps = steps_;
    s->finished_calls = finished_;
    s->diverged_calls = diverged_;
    s->errors = errors_;
    s->message = message_;
    s->stopped = run.stopped;
    return s;
  }

 private:
  std::shared_ptr<Counters> c_;
  FakeOptions o_;
  int step_ = 0, finished_ = 0, diverged_ = 0, errors_ = 0;
  std::vector<int> steps_;
  std::string message_;
};

LiveRunner::Factory fake(const std::shared_ptr<Counters>& c, FakeOptions o = {}) {
  return [c, o] { return std::make_unique<FakeJob>(c, o); };
}

// The latest snapshot, or an empty one before the worker's first publication.
std::shared_ptr<const FakeSnapshot> snap(const LiveRunner& r) {
  static const auto none = std::make_shared<const FakeSnapshot>();
  const auto s = r.snapshot<FakeSnapshot>();
  return s ? s : none;
}

// Waits until pred() holds (true) or 20 s pass (false): a hang fails the test instead of stalling CI.
template <class Pred>
bool eventually(Pred pred) {
  const auto end = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return pred();
}
void settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
}  // > 2 slices of 25 ms
}  // namespace

TEST_CASE("a new runner publishes the fresh job and takes no step until asked") {
  auto c = std::make_shared<Counters>();
  LiveRunner r(fake(c));
  REQUIRE(eventually([&] { return r.latest() != nullptr; }));
  settle();
  CHECK(c->steps == 0);
  CHECK(snap(r)->step == 0);
  CHECK_FALSE(r.playing());
}

TEST_CASE("step once takes exactly one step each time, then the runner is paused") {
  auto c = std::make_shared<Counters>();
  LiveRunner r(fake(c));
  for (int k = 1; k <= 3; ++k) {
    r.step_once();
    REQUIRE(eventually([&] {
      auto s = snap(r);
      return s && s->step == k;
    }));
    CHECK_FALSE(r.playing());
  }
  settle();
  CHECK(c->steps == 3);
  CHECK(snap(r)->step == 3);
  CHECK(snap(r)->stopped);  // a paused view gets refreshed previews
}

TEST_CASE("play runs until pause, after pause no further step is taken") {
  auto c = std::make_shared<Counters>();
  FakeOptions o;
  o.step_ms = 1;
  LiveRunner r(fake(c, o));
  r.play();
  CHECK(r.playing());
  REQUIRE(eventually([&] { return snap(r) && snap(r)->step >= 20; }));
  r.pause();
  CHECK_FALSE(r.playing());
  settle();  // the worker finishes the step it was in and publishes
  const int paused_at = c->steps;
  settle();
  CHECK(c->steps == paused_at);
  CHECK(snap(r)->step == paused_at);
  r.toggle();
  REQUIRE(eventually([&] { return c->steps > paused_at; }));
  r.toggle();
  CHECK_FALSE(r.playing());
}

TEST_CASE("a step limit stops playing at exactly the limit, once") {
  auto c = std::make_shared<Counters>();
  FakeOptions o;
  o.limit = 137;
  LiveRunner r(fake(c, o));
  r.play();
  REQUIRE(eventually([&] { return !r.playing(); }));
  REQUIRE(eventually([&] { return snap(r)->finished_calls == 1; }));
  CHECK(snap(r)->step == 137);
  r.play();  // at the limit, play stops again at once without a step
  REQUIRE(eventually([&] { return !r.playing(); }));
  settle();
  CHECK(c->steps == 137);
  CHECK(snap(r)->finished_calls == 2);
}

TEST_CASE("a diverged step pauses the run, the job says why") {
  auto c = std::make_shared<Counters>();
  FakeOptions o;
  o.diverge_at = 50;
  LiveRunner r(fake(c, o));
  r.play();
  REQUIRE(eventually([&] { return snap(r)->diverged_calls == 1; }));
  CHECK_FALSE(r.playing());
  CHECK(snap(r)->step == 49);
  CHECK(c->after_steps == 49);  // after_step only follows good steps
  CHECK(snap(r)->stopped);
}

TEST_CASE("a step that throws pauses the run with the job's message, a start that throws never steps") {
  auto c = std::make_shared<Counters>();
  FakeOptions o;
  o.throw_at = 7;
  LiveRunner r(fake(c, o));
  r.play();
  REQUIRE(eventually([&] { return snap(r)->errors == 1; }));
  CHECK_FALSE(r.playing());
  CHECK(snap(r)->message == "boom at 7");
  CHECK(snap(r)->step == 6);

  auto d = std::make_shared<Counters>();
  FakeOptions broken;
  broken.start_throws = true;
  LiveRunner b(fake(d, broken));
  REQUIRE(eventually([&] {
    auto s = snap(b);
    return s && s->errors == 1;
  }));
  CHECK(snap(b)->message == "no data");
  b.play();
  b.step_once();
  settle();
  CHECK(d->steps == 0);
  CHECK_FALSE(b.playing());
}

TEST_CASE("reset drops the job and starts the new one from step 0, the learning rate reaches the job") {
  auto c = std::make_shared<Counters>();
  LiveRunner r(fake(c));
  r.play();
  REQUIRE(eventually([&] { return c->steps >= 100; }));
  r.pause();
  FakeOptions o;
  o.limit = 5;
  r.reset(fake(c, o));
  REQUIRE(eventually([&] { return c->jobs_made == 2 && snap(r)->step == 0; }));
  CHECK(c->jobs_alive == 1);  // the old job is gone
  r.set_learning_rate(0.25f);
  r.step_once();
  REQUIRE(eventually([&] { return snap(r)->step == 1; }));
  CHECK(c->lr == doctest::Approx(0.25f));
  r.play();
  REQUIRE(eventually([&] { return snap(r)->finished_calls == 1; }));
  CHECK(snap(r)->step == 5);  // the new job's limit
}

TEST_CASE("snapshots read while playing are never torn and their step never goes back") {
  auto c = std::make_shared<Counters>();
  LiveRunner r(fake(c));
  r.play();
  int last = 0, checked = 0;
  const auto end = Clock::now() + std::chrono::milliseconds(300);
  while (Clock::now() < end) {
    const auto s = snap(r);
    if (!s) continue;
    REQUIRE(s->steps.size() == size_t(s->step));
    if (s->step > 0) CHECK(s->steps.back() == s->step);
    CHECK(s->step >= last);
    last = s->step;
    ++checked;
  }
  CHECK(checked > 0);
  CHECK(last > 0);
}

TEST_CASE("destroying a playing runner returns promptly, even during the job's long work") {
  auto c = std::make_shared<Counters>();
  FakeOptions o;
  o.long_work_every = 3;  // "an evaluation" of 30 s at step 3 that polls hooks.cancelled()
  auto r = std::make_unique<LiveRunner>(fake(c, o));
  r->play();
  REQUIRE(eventually([&] { return c->steps >= 3; }));
  settle();
  const auto start = Clock::now();
  r.reset();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  CHECK(seconds < 5.0);  // far below the 30 s the work would take uncancelled
  CHECK(c->jobs_alive == 0);
  CHECK(c->steps == 3);

  // Destroyed right after play, possibly before the first step: also no hang.
  auto d = std::make_shared<Counters>();
  for (int k = 0; k < 20; ++k) {
    LiveRunner quick(fake(d));
    quick.play();
  }
  CHECK(d->jobs_alive == 0);
}
