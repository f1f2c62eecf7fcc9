// test_schedule_rule.cpp — issue 10 §5: one schedule rule for every command (defaults by data kind only; a
// checkpoint's schedule wins and a contradicting option is named). Not the commands: cli_test.sh runs those.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/cli.h"

using namespace difflab;

namespace {

// A parser with the shared schedule options, as every command declares them, fed `words`.
struct Parsed {
  std::vector<std::string> words;
  std::vector<char*> pointers;
  ArgParser parser{"test", "schedule options"};
  explicit Parsed(std::vector<std::string> w) : words(std::move(w)) {
    words.insert(words.begin(), {"difflab", "test"});
    for (auto& s : words) pointers.push_back(s.data());
    add_schedule_options(parser);
    parser.option("dataset", "D", "data set").option("model", "M", "model");
    parser.parse(static_cast<int>(pointers.size()), pointers.data(), 2);
  }
};

}  // namespace

TEST_CASE(
    "schedule defaults depend only on the data kind: 2-D 1e-3 … 0.2 (T 100), images 1e-4 … 0.02 (T 1000)") {
  CHECK(data_kind_of("moons") == DataKind::Points2D);
  CHECK(data_kind_of("") == DataKind::Points2D);
  CHECK(data_kind_of("gmm:x.json") == DataKind::Points2D);
  CHECK(data_kind_of("fashion-mnist") == DataKind::Images);
  CHECK(data_kind_of("idx:a.idx,b.idx") == DataKind::Images);
  const ScheduleConfig points = default_schedule(DataKind::Points2D);
  CHECK(points.T == 100);
  CHECK(points.beta_start == 1e-3);
  CHECK(points.beta_end == 0.2);
  const ScheduleConfig images = default_schedule(DataKind::Images);  // Ho et al. 2020, §4
  CHECK(images.T == 1000);
  CHECK(images.beta_start == 1e-4);
  CHECK(images.beta_end == 0.02);
  // --T alone keeps the kind's β range (the old `schedule --T 1000` switched to the image range).
  const auto t1000 = schedule_from_options(Parsed({"--T", "1000"}).parser, DataKind::Points2D);
  REQUIRE(t1000);
  CHECK(t1000->T == 1000);
  CHECK(t1000->beta_start == 1e-3);
  CHECK(t1000->beta_end == 0.2);
  const auto image_t50 = schedule_from_options(Parsed({"--T", "50"}).parser, DataKind::Images);
  CHECK(image_t50->beta_end == 0.02);
  CHECK_FALSE(schedule_from_options(Parsed({}).parser, DataKind::Points2D));
}

TEST_CASE("a checkpoint's schedule wins: contradicting options are a usage error naming both values") {
  const ScheduleConfig trained{ScheduleKind::Linear, 100, 1e-3, 0.2};
  CHECK_NOTHROW(check_schedule_options_against(Parsed({}).parser, trained, "m.ckpt"));
  CHECK_NOTHROW(
      check_schedule_options_against(Parsed({"--T", "100", "--beta-end", "0.2"}).parser, trained, "m.ckpt"));
  CHECK_THROWS_WITH_AS(
      check_schedule_options_against(Parsed({"--T", "1000", "--beta-end", "0.02"}).parser, trained, "m.ckpt"),
      "m.ckpt was trained with its own schedule, which always wins: --T 1000 (the checkpoint has "
      "100), --beta-end 0.02 (the checkpoint has 0.2); drop the option or give the checkpoint's value",
      UsageError);
  CHECK_THROWS_WITH_AS(
      check_schedule_options_against(Parsed({"--schedule", "cosine"}).parser, trained, "m.ckpt"),
      doctest::Contains("--schedule cosine (the checkpoint has linear)"), UsageError);
}
