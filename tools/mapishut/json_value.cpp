#include "json_value.h"

#include <cctype>
#include <cstdlib>

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  bool Document(JsonValue* out) {
    if (!Value(out, 0)) return false;
    Space();
    return i_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;  // the log nests three deep; anything deeper is not ours

  void Space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c == '\\') {
        if (i_ >= s_.size()) return false;
        const char e = s_[i_++];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e;  // the writer escapes only '"' and '\\'
      }
      out->push_back(c);
    }
    return Eat('"');
  }
  bool Value(JsonValue* v, int depth) {
    if (depth > kMaxDepth) return false;
    Space();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      v->kind = JsonValue::Kind::kObject;
      if (Eat('}')) return true;
      do {
        std::string key;
        if (!String(&key) || !Eat(':') || !Value(&v->object[key], depth + 1)) return false;
      } while (Eat(','));
      return Eat('}');
    }
    if (c == '[') {
      ++i_;
      v->kind = JsonValue::Kind::kArray;
      if (Eat(']')) return true;
      do {
        v->array.emplace_back();
        if (!Value(&v->array.back(), depth + 1)) return false;
      } while (Eat(','));
      return Eat(']');
    }
    if (c == '"') {
      v->kind = JsonValue::Kind::kString;
      return String(&v->string);
    }
    if (Word("true")) {
      v->kind = JsonValue::Kind::kBool;
      v->boolean = true;
      return true;
    }
    if (Word("false")) {
      v->kind = JsonValue::Kind::kBool;
      return true;
    }
    if (Word("null")) return true;
    const std::string number(s_.substr(i_, s_.find_first_of(",]} ", i_) - i_));
    char* end = nullptr;
    v->number = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size()) return false;
    v->kind = JsonValue::Kind::kNumber;
    i_ += number.size();
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

const JsonValue& JsonValue::operator[](const std::string& key) const {
  static const JsonValue kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : it->second;
}

bool ParseJson(std::string_view text, JsonValue* out) {
  *out = JsonValue{};
  return Parser(text).Document(out);
}
