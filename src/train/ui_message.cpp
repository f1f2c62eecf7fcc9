// ui_message.cpp — the English patterns of the messages src/train builds, and their formatting with a
// window's string table. Not the tables themselves (src/lessons/ui_text_lecture.cpp, block "jobs:").
#include "train/ui_message.h"

#include <cstdio>

namespace difflab {
namespace {

constexpr TrainMessagePattern kPatterns[] = {
    {"trainmsg.batch_range", "batch must be 1 … %s"},
    {"trainmsg.cannot_start", "cannot start training"},
    {"trainmsg.classifier_size", "%s: the classifier's images are not the test images' size"},
    {"trainmsg.diverged",
     "diverged (loss = %s): restored the last good state at step %s; lower the learning rate (now %s) and "
     "press play"},
    {"trainmsg.evaluation_failed", "the evaluation failed"},
    {"trainmsg.fid_needs", "FID needs %s test images"},
    {"trainmsg.finished", "finished %s steps"},
    {"trainmsg.label_file", "a class-conditional model needs a label file (idx:IMAGES,LABELS)"},
    {"trainmsg.lr_positive", "the learning rate must be positive"},
    {"trainmsg.model_size", "the test images are not the model's size"},
    {"trainmsg.monitor_failed", "the quality monitor failed"},
    {"trainmsg.no_classifier", "no classifier checkpoint at %s (make one with `difflab classifier train`)"},
    {"trainmsg.no_images", "no training images"},
    {"trainmsg.no_test_split", "no test split"},
    {"trainmsg.param_count", "parameter count does not match the model"},
    {"trainmsg.ready", "ready: %s"},
    {"trainmsg.test_split_small", "the test split has fewer than %s images"},
    {"trainmsg.too_few_points", "too few data points"},
    {"trainmsg.training_step", "training: step %s"},
};

}  // namespace

std::span<const TrainMessagePattern> train_message_patterns() {
  return kPatterns;
}

std::string fill_pattern(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 's') {
      out += next < args.size() ? args[next] : std::string();
      ++next, ++i;
    } else if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == '%') {
      out += '%';
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

UiMessage train_message(const std::string& key, std::vector<std::string> args) {
  for (const TrainMessagePattern& p : kPatterns)
    if (key == p.key) {
      UiMessage m;
      m.key = key;
      m.english = fill_pattern(p.english, args);
      m.args = std::move(args);
      return m;
    }
  throw std::logic_error("no train message " + key);
}

UiMessage raw_message(std::string english) {
  UiMessage m;
  m.english = std::move(english);
  return m;
}

UiMessage message_of(const std::exception& e) {
  if (const auto* t = dynamic_cast<const TrainError*>(&e)) return t->message();
  return raw_message(e.what());
}

UiMessage with_cause(UiMessage outer, const UiMessage& cause) {
  outer.english += ": " + cause.english;
  outer.cause = std::make_shared<const UiMessage>(cause);
  return outer;
}

std::string format_message(const UiMessage& m, const std::function<const char*(const char*)>& lookup) {
  if (m.key.empty()) return m.english;
  const char* pattern = lookup ? lookup(m.key.c_str()) : nullptr;
  if (!pattern || m.key == pattern) return m.english;
  std::string text = fill_pattern(pattern, m.args);
  if (m.cause) text += ": " + format_message(*m.cause, lookup);
  return text;
}

std::string number_text(double value, const char* format) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}  // namespace difflab
