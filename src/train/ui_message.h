// ui_message.h — a message from src/train that a window shows in its own language: a key of the GUI's string
// tables and its arguments, already formatted (numbers, paths), plus the English text the CLI prints.
// Not the tables (src/lessons/ui_text*.cpp) and not a logger: training code only builds these.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace difflab {

struct UiMessage {
  std::string key;                         // "trainmsg.…"; empty for text that has no key (a raw e.what())
  std::vector<std::string> args;           // replace the table text's %s, in order
  std::string english;                     // the same message in English: CLI output, what(), logs
  std::shared_ptr<const UiMessage> cause;  // shown after ": " (the exception behind "cannot start training")
  bool empty() const { return key.empty() && english.empty(); }
};

// The English pattern of every message src/train builds ("%s" for each argument), for the test that the GUI
// tables have each key with the same English text.
struct TrainMessagePattern {
  const char* key;
  const char* english;
};
std::span<const TrainMessagePattern> train_message_patterns();

// A message of train_message_patterns() with its arguments; throws std::logic_error for an unknown key.
UiMessage train_message(const std::string& key, std::vector<std::string> args = {});
// The message of any exception: a TrainError's own, else the English what() without a key.
UiMessage message_of(const std::exception& e);
// Text without a key (shown as is in every language).
UiMessage raw_message(std::string english);
// `outer` with `cause` after it ("cannot start training: batch must be 1 … 4096").
UiMessage with_cause(UiMessage outer, const UiMessage& cause);

// The message in a window's language: lookup(key) is the table's text (the GUI passes tr); "%s" takes the
// arguments in order, "%%" is "%". Without a key, or when lookup returns the key itself, the English text.
std::string format_message(const UiMessage& m, const std::function<const char*(const char*)>& lookup);
// "%s" replaced by args in order ("%%" → "%"): the English text of a pattern.
std::string fill_pattern(const std::string& pattern, const std::vector<std::string>& args);
// "%g" of a number, for arguments.
std::string number_text(double value, const char* format = "%g");

// An invalid_argument whose what() is the English text and that carries the message for the GUI.
class TrainError : public std::invalid_argument {
 public:
  explicit TrainError(UiMessage m) : std::invalid_argument(m.english), message_(std::move(m)) {}
  const UiMessage& message() const { return message_; }

 private:
  UiMessage message_;
};

}  // namespace difflab
