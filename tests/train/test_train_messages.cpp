// test_train_messages.cpp — messages from src/train reach a window in its language: every key src/train
// builds is in the GUI's string table with the same English text and a Spanish one, exceptions and the live
// trainer carry keys, and format_message fills the arguments. Not the CLI's output (it stays English:
// what()).
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "lessons/ui_text.h"
#include "train/live_trainer.h"
#include "train/trainer.h"
#include "train/ui_message.h"

using namespace difflab;

namespace {
int placeholders(const std::string& s) {
  int n = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] == '%' && s[i + 1] == 's') ++n, ++i;
  return n;
}
const UiTextEntry* entry(const std::string& key) {
  for (const UiTextEntry& e : ui_text_table_lecture())
    if (key == e.key) return &e;
  return nullptr;
}
std::string in(UiLanguage lang, const UiMessage& m) {
  return format_message(m, [lang](const char* key) { return tr(key, lang); });
}
}  // namespace

TEST_CASE("every message src/train builds has the table's English text and a Spanish one with its %s") {
  REQUIRE(train_message_patterns().size() >= 15);
  for (const TrainMessagePattern& p : train_message_patterns()) {
    INFO(p.key);
    const UiTextEntry* e = entry(p.key);
    REQUIRE(e != nullptr);
    CHECK(std::string(e->en) == p.english);  // the window's English is the CLI's
    CHECK(std::string(e->es) != e->en);
    CHECK(placeholders(e->es) == placeholders(p.english));
  }
  CHECK_THROWS_AS(train_message("trainmsg.no_such_key"), std::logic_error);
}

TEST_CASE("a trainer's invalid configuration throws an English what() and a message the window translates") {
  TrainConfig c;
  c.batch = 0;
  try {
    Trainer trainer(c);
    FAIL("a batch of 0 was accepted");
  } catch (const TrainError& e) {
    CHECK(std::string(e.what()) == "batch must be 1 … 65536");
    CHECK(e.message().key == "trainmsg.batch_range");
    CHECK(in(UiLanguage::es, e.message()) == "el lote debe ser de 1 … 65536");
    CHECK(in(UiLanguage::en, e.message()) == e.what());
  }
}

TEST_CASE(
    "the live trainer's status is a message: 'cannot start' with its cause, in Spanish for a Spanish UI") {
  TrainConfig c;
  c.optimizer.lr = -1;
  LiveTrainer live(c);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::shared_ptr<const TrainSnapshot> s = live.snapshot();
  while (s->message.empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s = live.snapshot();
  }
  CHECK(s->message == "cannot start training: the learning rate must be positive");  // CLI / logs: English
  CHECK(in(UiLanguage::es, s->status) ==
        "no se puede empezar a entrenar: la tasa de aprendizaje debe ser positiva");
  CHECK(in(UiLanguage::en, s->status) == s->message);
}

TEST_CASE("format_message: %s in order, %% kept, raw text and unknown keys fall back to the English") {
  const UiMessage m = train_message("trainmsg.diverged", {number_text(1e30), "120", number_text(0.05)});
  CHECK(
      m.english ==
      "diverged (loss = 1e+30): restored the last good state at step 120; lower the learning rate (now 0.05) "
      "and press play");
  CHECK(in(UiLanguage::es, m).find("paso 120") != std::string::npos);
  CHECK(in(UiLanguage::es, m).find("(ahora 0.05)") != std::string::npos);
  CHECK(fill_pattern("100 %% of %s", {"x"}) == "100 % of x");
  CHECK(in(UiLanguage::es, raw_message("as is")) == "as is");
  UiMessage unknown = raw_message("fallback");
  unknown.key = "trainmsg.not_in_the_table";
  CHECK(in(UiLanguage::es, unknown) == "fallback");
  const std::runtime_error plain("plain error");
  CHECK(message_of(plain).key.empty());
  CHECK(message_of(plain).english == "plain error");
}
