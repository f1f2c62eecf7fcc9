// json.h — a minimal JSON reader (objects, arrays, numbers, strings, booleans, null) with line numbers.
// Not a general-purpose library: enough for user data files; errors say where and what.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace difflab::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Value> array;
  std::map<std::string, Value> object;
  int line = 1;  // where the value starts, for messages

  bool is_number() const { return kind == Kind::Number; }
  bool is_array() const { return kind == Kind::Array; }
  bool is_object() const { return kind == Kind::Object; }
  const Value* get(const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &it->second;
  }
};

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws ParseError("line 3: expected ',' or ']' in array").
Value parse(const std::string& text);

}  // namespace difflab::json
