// test_panel_spec.cpp — the panel table: the parameters of "train" and "gallery", value checking, no name
// twice, and every panel the lessons name in it.
// Not the directive parsing (test_lesson_parser.cpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "lessons/panel_spec.h"

using namespace difflab;

TEST_CASE("the train panel has the agreed parameters, ranges and defaults") {
  const PanelSpec* train = find_panel_spec("train");
  REQUIRE(train);
  struct Expected {
    const char* name;
    ParamType type;
    double min, max;
    const char* fallback;
  };
  const Expected expected[] = {
      {"dataset", ParamType::Enum, 0, 0, "moons"},  {"width", ParamType::Int, 16, 1024, "128"},
      {"depth", ParamType::Int, 1, 8, "3"},         {"lr", ParamType::Float, 1e-5, 1, "2e-3"},
      {"batch", ParamType::Int, 1, 4096, "256"},    {"schedule", ParamType::Enum, 0, 0, "linear"},
      {"T", ParamType::Int, 2, 4000, "100"},        {"autoplay", ParamType::Bool, 0, 1, "false"},
      {"view", ParamType::Enum, 0, 0, "samples"},   {"loss", ParamType::Enum, 0, 0, "simple"},
      {"prediction", ParamType::Enum, 0, 0, "eps"}, {"draw", ParamType::Bool, 0, 1, "false"}};
  REQUIRE(train->params.size() == std::size(expected));
  for (const Expected& e : expected) {
    CAPTURE(e.name);
    const ParamSpec* p = train->find(e.name);
    REQUIRE(p);
    CHECK(p->type == e.type);
    CHECK(p->default_value == e.fallback);
    if (e.type == ParamType::Int || e.type == ParamType::Float) {
      CHECK(p->min == doctest::Approx(e.min));
      CHECK(p->max == doctest::Approx(e.max));
    }
    CHECK_FALSE(validate_param(*p, p->default_value).has_value());  // every default is valid
  }
  CHECK(train->find("schedule")->choices ==
        std::vector<std::string>{"linear", "quadratic", "cosine", "sigmoid"});
  CHECK(train->find("dataset")->choices == dataset_preset_names());
  REQUIRE(find_panel_spec("gallery"));
  CHECK(find_panel_spec("gallery")->params.empty());
  CHECK_FALSE(find_panel_spec("nope"));
}

TEST_CASE("every panel of lecture I exists and every default of every panel is a valid value") {
  for (const char* name :
       {"train", "gallery", "forward", "schedules", "sampling", "elbo", "ddim", "score", "ode", "images"})
    CHECK(find_panel_spec(name));
  for (const PanelSpec& spec : panel_specs())
    for (const ParamSpec& p : spec.params) {
      CAPTURE(spec.name + "." + p.name);
      CHECK_FALSE(validate_param(p, p.default_value).has_value());
    }
}

TEST_CASE("validate_param explains what is wrong with a value") {
  const PanelSpec* train = find_panel_spec("train");
  CHECK(validate_param(*train->find("width"), "5000").value() == "width=5000 is outside 16 … 1024");
  CHECK(validate_param(*train->find("width"), "12.5").value() == "width=12.5 is not a whole number");
  CHECK(validate_param(*train->find("lr"), "2").value() == "lr=2 is outside 1e-05 … 1");
  CHECK(validate_param(*train->find("lr"), "fast").value() == "lr=fast is not a number");
  CHECK_FALSE(validate_param(*train->find("lr"), "3e-4").has_value());
  CHECK(validate_param(*train->find("schedule"), "exp").value() ==
        "schedule=exp is not one of linear, quadratic, cosine, sigmoid");
  CHECK(validate_param(*train->find("autoplay"), "maybe").value() == "autoplay=maybe is not true or false");
  CHECK_FALSE(validate_param(*train->find("T"), "2").has_value());
  CHECK(validate_param(*train->find("T"), "1").has_value());
}

TEST_CASE("the panel table names each panel once") {
  std::set<std::string> names;
  for (const PanelSpec& spec : panel_specs()) {
    CAPTURE(spec.name);
    CHECK(names.insert(spec.name).second);
  }
}

TEST_CASE("every panel=NAME written in lessons/ names a row of the panel table") {
  const std::regex directive(R"(<!--\s*difflab:\s*panel=([A-Za-z0-9_-]+))");
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DIFFLAB_SOURCE_DIR "/lessons")) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), directive); it != std::sregex_iterator();
         ++it, ++seen) {
      CAPTURE(entry.path().filename().string());
      CHECK_MESSAGE(find_panel_spec((*it)[1]), (*it)[1]);
    }
  }
  CHECK(seen > 50);  // the lessons show panels on most slides
}

TEST_CASE(
    "the controlnet panel: image, scale 0 to 2, class, samples, step 0, and lesson 18 shows it in both "
    "languages") {
  const PanelSpec* cn = find_panel_spec("controlnet");
  REQUIRE(cn);
  REQUIRE(cn->find("scale"));
  CHECK(cn->find("scale")->min == 0);
  CHECK(cn->find("scale")->max == 2);   // the issue's 0 … 2 slider
  CHECK(cn->find("class")->min == -1);  // −1 = no class (∅), as the CLI samples
  CHECK(cn->find("step0")->type == ParamType::Bool);
  CHECK(validate_param(*cn->find("scale"), "2.5").value() == "scale=2.5 is outside 0 … 2");
  for (const char* lang : {"es", "en"}) {
    std::ifstream in(std::string(DIFFLAB_SOURCE_DIR "/lessons/18-personalization.") + lang + ".md");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CAPTURE(lang);
    CHECK(text.find("<!-- difflab: panel=controlnet") != std::string::npos);
    CHECK(text.find("18-controlnet.png") == std::string::npos);  // the static picture is gone
  }
}

TEST_CASE("lesson 16 shows the DiT-vs-U-Net race in both languages, after the flow DiT, citing Peebles") {
  const PanelSpec* dit = find_panel_spec("dit");
  REQUIRE(dit);
  REQUIRE(dit->find("view"));
  CHECK_FALSE(validate_param(*dit->find("view"), "race").has_value());
  for (const char* lang : {"es", "en"}) {
    std::ifstream in(std::string(DIFFLAB_SOURCE_DIR "/lessons/16-flux.") + lang + ".md");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CAPTURE(lang);
    const size_t race = text.find("<!-- difflab: panel=dit view=race");
    const size_t flow = text.find("<!-- difflab: panel=dit view=flow");
    REQUIRE(race != std::string::npos);
    REQUIRE(flow != std::string::npos);
    CHECK(flow < race);
    // The race slide (up to the next slide break) cites the DiT paper and both parameter counts.
    const std::string slide = text.substr(race, text.find("\n---", race) - race);
    CHECK(slide.find("Peebles") != std::string::npos);
    CHECK(slide.find(lang == std::string("es") ? "652 204" : "652,204") != std::string::npos);
    CHECK(slide.find(lang == std::string("es") ? "636 465" : "636,465") != std::string::npos);
  }
}
