// test_args.cpp — the command-line parser: value forms, negative numbers, errors.
// Not the commands (cli_test.sh runs those end to end).
#include <doctest/doctest.h>

#include <vector>

#include "app/args.h"

using namespace difflab;

namespace {
struct Argv {
  std::vector<std::string> words;
  std::vector<char*> pointers;
  explicit Argv(std::vector<std::string> w) : words(std::move(w)) {
    for (auto& s : words) pointers.push_back(s.data());
  }
  int argc() const { return static_cast<int>(pointers.size()); }
  char** argv() { return pointers.data(); }
};
ArgParser make_parser() {
  ArgParser p("test", "a test parser");
  p.option("at", "x,y", "a point").option("t", "T", "time", "5").flag("quiet", "shh");
  return p;
}
}  // namespace

TEST_CASE("options take '--opt value' and '--opt=value', including negative numbers") {
  for (auto words : {std::vector<std::string>{"difflab", "field", "--at=-2,1.5", "--t", "-3"},
                     std::vector<std::string>{"difflab", "field", "--at", "-2,1.5", "--t=-3"}}) {
    Argv a(words);
    ArgParser p = make_parser();
    REQUIRE(p.parse(a.argc(), a.argv(), 2));
    CHECK(parse_number_list(p.get("at"), "at", 2) == std::vector<double>{-2, 1.5});
    CHECK(p.get_int("t", -10, 10) == -3);
    CHECK_FALSE(p.get_flag("quiet"));
  }
}

TEST_CASE("defaults, flags and range checks") {
  Argv a({"difflab", "x", "--quiet"});
  ArgParser p = make_parser();
  REQUIRE(p.parse(a.argc(), a.argv(), 2));
  CHECK(p.get_int("t", 0, 10) == 5);
  CHECK(p.get_flag("quiet"));
  CHECK_THROWS_WITH_AS(p.get_int("t", 6, 10), doctest::Contains("outside"), UsageError);
  CHECK_THROWS_WITH_AS(p.require("at"), doctest::Contains("--at is required"), UsageError);
}

TEST_CASE("bad arguments are usage errors with a message") {
  for (auto words :
       {std::vector<std::string>{"difflab", "x", "--nope", "1"},
        std::vector<std::string>{"difflab", "x", "--at"}, std::vector<std::string>{"difflab", "x", "stray"},
        std::vector<std::string>{"difflab", "x", "--quiet=1"}}) {
    Argv a(words);
    ArgParser p = make_parser();
    CHECK_THROWS_AS(p.parse(a.argc(), a.argv(), 2), UsageError);
  }
  Argv a({"difflab", "x", "--t", "abc"});
  ArgParser p = make_parser();
  p.parse(a.argc(), a.argv(), 2);
  CHECK_THROWS_WITH_AS(p.get_int("t", 0, 10), doctest::Contains("expects a number"), UsageError);
  CHECK_THROWS_AS(parse_number_list("1,2,3", "at", 2), UsageError);
  CHECK_THROWS_AS(parse_number_list("1,,2", "at", 3), UsageError);
}

TEST_CASE("a number list with an empty cell at either end is an error, not a shorter list") {
  // "--at=1,2," used to read as (1, 2): the trailing empty cell was dropped silently.
  CHECK_THROWS_WITH_AS(parse_number_list("1,2,", "at", 2), "--at: '' is not a number", UsageError);
  CHECK_THROWS_WITH_AS(parse_number_list(",1,2", "at", 2), "--at: '' is not a number", UsageError);
  CHECK_THROWS_WITH_AS(parse_number_list("", "at", 2), "--at expects 2 comma-separated numbers, got ''",
                       UsageError);
  CHECK(parse_number_list("-0.5,1e3", "at", 2) == std::vector<double>{-0.5, 1000});
}
