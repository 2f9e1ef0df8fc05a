// Just enough JSON to read back what mapishut wrote (the exit log): objects, arrays, strings,
// numbers, true/false/null. Parse returns false on anything else; the caller skips that line.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::map<std::string, JsonValue> object;

  // Member `key` of an object, or a null value.
  const JsonValue& operator[](const std::string& key) const;
  std::string str() const { return kind == Kind::kString ? string : std::string(); }
};

bool ParseJson(std::string_view text, JsonValue* out);
