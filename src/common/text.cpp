#include "mapishut/text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace mapishut {
namespace {

// The length of the UTF-8 character at text[i], with its code point in *c; 0 when the bytes
// there are not UTF-8. Strict, as JSON parsers are: no overlong forms, no UTF-16 surrogates,
// nothing beyond U+10FFFF.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* c) {
  const auto b = static_cast<unsigned char>(text[i]);
  const size_t length = b < 0x80 ? 1 : (b >= 0xC2 && b <= 0xDF) ? 2 : (b >= 0xE0 && b <= 0xEF) ? 3 : (b >= 0xF0 && b <= 0xF4) ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  *c = length == 1 ? b : b & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    *c = (*c << 6) | (next & 0x3F);
  }
  if (length == 3 && (*c < 0x800 || (*c >= 0xD800 && *c <= 0xDFFF))) return 0;
  if (length == 4 && (*c < 0x10000 || *c > 0x10FFFF)) return 0;
  return length;
}

// Characters a terminal acts on instead of showing (C0, DEL, C1: ESC and CSI start escape
// sequences), and the ones that reorder or break the text around them when shown.
bool ActsOnTerminal(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string Utf8FromWide(std::wstring_view wide) {
  std::string out;
  out.reserve(wide.size());
  for (wchar_t wc : wide) {
    auto c = static_cast<uint32_t>(wc);
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;  // not a character: the replacement one
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::wstring WideFromUtf8(std::string_view utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    uint32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
    bool valid = length != 0 && i + length <= utf8.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = (next & 0xC0) == 0x80;
      c = (c << 6) | (next & 0x3F);
    }
    if (!valid) {
      out += static_cast<wchar_t>(b);  // not UTF-8: keep the byte
      ++i;
      continue;
    }
    out += static_cast<wchar_t>(c);
    i += length;
  }
  return out;
}

std::string TextFromFileBytes(std::string bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.erase(0, 3);  // in place (erase's reference returned would be copied)
    return bytes;
  }
  if (bytes.size() < 2) return bytes;
  const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
  const bool little = b0 == 0xFF && b1 == 0xFE;
  if (!little && !(b0 == 0xFE && b1 == 0xFF)) return bytes;
  std::wstring wide;
  for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
    const auto lo = static_cast<unsigned char>(bytes[little ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(bytes[little ? i + 1 : i]);
    uint32_t unit = (static_cast<uint32_t>(hi) << 8) | lo;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {  // a surrogate pair
      const auto lo2 = static_cast<unsigned char>(bytes[little ? i + 2 : i + 3]);
      const auto hi2 = static_cast<unsigned char>(bytes[little ? i + 3 : i + 2]);
      const uint32_t low = (static_cast<uint32_t>(hi2) << 8) | lo2;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    wide += static_cast<wchar_t>(unit);
  }
  return Utf8FromWide(wide);
}

std::string Printable(std::string_view text, size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars) + 3);
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    uint32_t c = 0;
    const size_t length = DecodeUtf8(text, i, &c);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for one byte that is not UTF-8
      ++i;
      continue;
    }
    if (ActsOnTerminal(c)) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
      out += escape;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

bool ReadAll(int fd, std::string* bytes) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) bytes->reserve(bytes->size() + static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    bytes->append(buffer, static_cast<size_t>(n));
  }
}

bool ReadFile(const std::string& path, std::string* bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool read = ReadAll(fd, bytes);
  const int error = errno;
  ::close(fd);
  errno = error;
  return read;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

void AppendJsonString(std::string* out, std::string_view text) {
  // Most strings (names, paths, step names) need nothing: one scan, one append.
  const bool as_is = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
  if (as_is) {
    out->push_back('"');
    out->append(text);
    out->push_back('"');
    return;
  }
  // Printable ASCII is its own Printable(): only quotes and backslashes need a hand. Anything
  // else (a control character, UTF-8, a stray byte) goes the whole way through Printable().
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
  std::string printable;
  if (!plain) printable = Printable(text);
  const std::string_view shown = plain ? text : std::string_view(printable);
  *out += '"';
  // Runs between quotes and backslashes go in whole; each of those gets its backslash.
  size_t from = 0;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] != '"' && shown[i] != '\\') continue;
    out->append(shown.data() + from, i - from);
    *out += '\\';
    *out += shown[i];
    from = i + 1;
  }
  out->append(shown.data() + from, shown.size() - from);
  *out += '"';
}

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

}  // namespace mapishut
