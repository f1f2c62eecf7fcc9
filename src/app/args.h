// args.h — a small declarative command-line parser: --opt value, --opt=value, negative numbers as values.
// Not a framework: each command declares its options, asks for typed values, and prints generated help.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace difflab {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ArgParser {
 public:
  ArgParser(std::string usage, std::string summary)
      : usage_(std::move(usage)), summary_(std::move(summary)) {}

  // An option that takes a value. An empty default means "not set unless given".
  ArgParser& option(const std::string& name, const std::string& value_name, const std::string& help,
                    const std::string& default_value = "");
  ArgParser& flag(const std::string& name, const std::string& help);

  // Parses argv[first …]. Returns false when --help was asked for (help already printed).
  // Throws UsageError for unknown options, missing values or stray arguments.
  bool parse(int argc, char** argv, int first);

  bool has(const std::string& name) const;  // given on the command line, or has a default
  bool given(const std::string& name) const;
  std::string get(const std::string& name) const;
  std::string require(const std::string& name) const;
  double get_double(const std::string& name, double lo, double hi) const;
  int get_int(const std::string& name, int lo, int hi) const;
  bool get_flag(const std::string& name) const;
  std::string help() const;
  const std::vector<std::string>& positional() const { return positional_; }
  void allow_positional(const std::string& name) { positional_name_ = name; }

 private:
  struct Option {
    std::string name, value_name, help, default_value;
    bool is_flag = false;
    std::optional<std::string> value;
  };
  const Option* find(const std::string& name) const;
  Option* find(const std::string& name);
  std::string usage_, summary_, positional_name_;
  std::vector<Option> options_;
  std::vector<std::string> positional_;
};

// "a,b,c" → numbers; throws UsageError naming the option.
std::vector<double> parse_number_list(const std::string& text, const std::string& option, size_t expected);

}  // namespace difflab
