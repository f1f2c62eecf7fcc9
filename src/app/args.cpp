// args.cpp — the command-line parser (see args.h).
// Not command logic.
#include "app/args.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace difflab {

ArgParser& ArgParser::option(const std::string& name, const std::string& value_name, const std::string& help,
                             const std::string& default_value) {
  options_.push_back({name, value_name, help, default_value, false, std::nullopt});
  return *this;
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
  options_.push_back({name, "", help, "", true, std::nullopt});
  return *this;
}

const ArgParser::Option* ArgParser::find(const std::string& name) const {
  for (const Option& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

ArgParser::Option* ArgParser::find(const std::string& name) {
  for (Option& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

bool ArgParser::parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(help().c_str(), stdout);
      return false;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      if (positional_name_.empty()) throw UsageError("unexpected argument '" + arg + "'");
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool has_inline_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    Option* o = find(name);
    if (!o) throw UsageError("unknown option --" + name + " (see --help)");
    if (o->is_flag) {
      if (has_inline_value) throw UsageError("--" + name + " takes no value");
      o->value = std::string(1, '1');
      continue;
    }
    if (!has_inline_value) {
      // The next word is the value, even when it starts with '-' (negative numbers).
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value (" + o->value_name + ")");
      value = argv[++i];
    }
    o->value = value;
  }
  return true;
}

bool ArgParser::given(const std::string& name) const {
  const Option* o = find(name);
  return o && o->value.has_value();
}

bool ArgParser::has(const std::string& name) const {
  const Option* o = find(name);
  return o && (o->value.has_value() || !o->default_value.empty());
}

std::string ArgParser::get(const std::string& name) const {
  const Option* o = find(name);
  if (!o) throw std::logic_error("option --" + name + " was not declared");
  return o->value ? *o->value : o->default_value;
}

std::string ArgParser::require(const std::string& name) const {
  if (!has(name)) throw UsageError("--" + name + " is required (see --help)");
  return get(name);
}

double ArgParser::get_double(const std::string& name, double lo, double hi) const {
  const std::string text = require(name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw UsageError("--" + name + " expects a number, got '" + text + "'");
  if (v < lo || v > hi) {
    std::ostringstream s;
    s << "--" << name << " = " << text << " is outside " << lo << " … " << hi;
    throw UsageError(s.str());
  }
  return v;
}

int ArgParser::get_int(const std::string& name, int lo, int hi) const {
  const double v = get_double(name, lo, hi);
  if (v != std::floor(v)) throw UsageError("--" + name + " expects a whole number, got '" + get(name) + "'");
  return static_cast<int>(v);
}

bool ArgParser::get_flag(const std::string& name) const {
  return given(name);
}

std::string ArgParser::help() const {
  std::ostringstream s;
  s << "usage: " << usage_ << "\n\n" << summary_ << "\n\noptions:\n";
  for (const Option& o : options_) {
    std::string left = "  --" + o.name + (o.is_flag ? "" : " " + o.value_name);
    s << left;
    if (left.size() < 30)
      s << std::string(30 - left.size(), ' ');
    else
      s << "\n" << std::string(30, ' ');
    s << o.help;
    if (!o.default_value.empty()) s << " (default " << o.default_value << ")";
    s << "\n";
  }
  s << "  --help                      this text\n";
  return s.str();
}

std::vector<double> parse_number_list(const std::string& text, const std::string& option, size_t expected) {
  std::vector<double> values;
  // Every cell between commas, the last one included: "1,2," has an empty third cell (getline would drop it).
  std::vector<std::string> cells;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    cells.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (text.empty()) cells.clear();
  for (const std::string& cell : cells) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (cell.empty() || *end != '\0' || !std::isfinite(v))
      throw UsageError("--" + option + ": '" + cell + "' is not a number");
    values.push_back(v);
  }
  if (values.size() != expected)
    throw UsageError("--" + option + " expects " + std::to_string(expected) +
                     " comma-separated numbers, got '" + text + "'");
  return values;
}

}  // namespace difflab
