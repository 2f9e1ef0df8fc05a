// Text helpers every part uses, so there is one way to do each: UTF-8 is the narrow encoding
// inside mapishut (PT_STRING8 values, profile names, file contents), wchar_t strings are MAPI's
// PT_UNICODE. The conversions do not depend on the process's locale; bytes that are not UTF-8
// are kept one by one (as if Latin-1), never dropped.
#pragma once

#include <string>
#include <string_view>

namespace mapishut {

std::string Utf8FromWide(std::wstring_view wide);
std::wstring WideFromUtf8(std::string_view utf8);
// A text file's bytes as UTF-8: UTF-16 with a byte order mark (FF FE or FE FF, as regedit and
// other Windows tools save .reg and MAPISVC.INF files) is converted, a UTF-8 byte order mark is
// dropped, anything else is taken as UTF-8 already. UTF-8 is returned in the same buffer: the
// files can be megabytes, and a copy is as many fresh pages.
std::string TextFromFileBytes(std::string bytes);
// Appends the rest of the open file `fd` (from its offset to its end) to *bytes, in one
// allocation when its size is known; false, with errno set, when a read fails.
bool ReadAll(int fd, std::string* bytes);
// Appends the whole file at `path` to *bytes: read(2) and nothing else, so a failed read is
// never a short file (a stream would end quietly). False, with errno set, when the file cannot
// be opened (ENOENT: it is not there) or read.
bool ReadFile(const std::string& path, std::string* bytes);
// write()s all of `bytes` to `fd`, again after a short write or EINTR; false, with errno set
// (ENOSPC when the file takes no more), when it cannot.
bool WriteAll(int fd, std::string_view bytes);
// `text` as it may be shown on a terminal, in a log or in JSON, for anything read from a file or
// the file system (a file's lines, file names): control characters (C0, DEL, C1, including ESC)
// and text direction overrides are written as \u001b, bytes that are not UTF-8 become U+FFFD, so
// the result is always valid UTF-8 and never moves a cursor or recolours a terminal. With
// `max_chars`, at most that many characters of `text` are kept, cut between two characters and
// followed by "...". Printable(Printable(s)) == Printable(s).
std::string Printable(std::string_view text, size_t max_chars = std::string_view::npos);

// A JSON string literal (quotes included) of `text` as Printable() shows it: what a script reads
// is what a person sees, and always valid UTF-8 without control characters.
std::string JsonString(std::string_view text);
// The same, appended to *out: for building a long line without a temporary per string.
void AppendJsonString(std::string* out, std::string_view text);
// `text` without leading and trailing spaces, tabs, carriage returns and newlines: a view into
// `text` (parsing a profile of thousands of services allocates nothing per line for it).
std::string_view Trim(std::string_view text);

}  // namespace mapishut
