// json.cpp — recursive-descent JSON reader (see json.h).
// Not a writer: output JSON is printed directly by the CLI.
#include "data/json.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace difflab::json {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Value parse_document() {
    Value v = parse_value();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw ParseError("line " + std::to_string(line_) + ": " + what);
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Value parse_value() {
    if (++depth_ > 256) fail("nesting is too deep");
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    Value v;
    v.line = line_;
    const char c = text_[pos_];
    if (c == '{') {
      v.kind = Value::Kind::Object;
      ++pos_;
      if (!consume('}')) {
        do {
          skip_space();
          if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a quoted key in object");
          std::string key = parse_string();
          if (!consume(':')) fail("expected ':' after key \"" + key + "\"");
          v.object[key] = parse_value();
        } while (consume(','));
        if (!consume('}')) fail("expected ',' or '}' in object");
      }
    } else if (c == '[') {
      v.kind = Value::Kind::Array;
      ++pos_;
      if (!consume(']')) {
        do v.array.push_back(parse_value());
        while (consume(','));
        if (!consume(']')) fail("expected ',' or ']' in array");
      }
    } else if (c == '"') {
      v.kind = Value::Kind::String;
      v.string = parse_string();
    } else if (text_.compare(pos_, 4, "true") == 0) {
      v.kind = Value::Kind::Bool, v.boolean = true, pos_ += 4;
    } else if (text_.compare(pos_, 5, "false") == 0) {
      v.kind = Value::Kind::Bool, pos_ += 5;
    } else if (text_.compare(pos_, 4, "null") == 0) {
      pos_ += 4;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      const char* begin = text_.c_str() + pos_;
      char* end = nullptr;
      v.kind = Value::Kind::Number;
      v.number = std::strtod(begin, &end);
      if (end == begin) fail("malformed number");
      const std::string number(begin, static_cast<size_t>(end - begin));
      // strtod also reads "-inf", "-nan" and hex floats, which JSON has not; and 1e999 overflows to inf.
      if (number.find_first_not_of("0123456789+-.eE") != std::string::npos)
        fail("malformed number '" + number + "'");
      if (!std::isfinite(v.number)) fail("number " + number + " is out of range (not a finite double)");
      pos_ += static_cast<size_t>(end - begin);
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
    --depth_;
    return v;
  }
  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\n') fail("newline inside a string");
      if (c == '\\' && pos_ < text_.size()) {
        const char e = text_[pos_++];
        switch (e) {
          case 'n':
            c = '\n';
            break;
          case 't':
            c = '\t';
            break;
          case 'u':
            pos_ = std::min(pos_ + 4, text_.size());
            c = '?';
            break;
          default:
            c = e;
        }
      }
      out += c;
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  const std::string& text_;
  size_t pos_ = 0;
  int line_ = 1;
  int depth_ = 0;
};

}  // namespace

Value parse(const std::string& text) {
  return Parser(text).parse_document();
}

}  // namespace difflab::json
