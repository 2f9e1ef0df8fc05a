// The .reg parser takes what real files contain (issue 3, item 4).
#include "reg_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "utf8_check.h"

namespace mapishut {
namespace {

using ::testing::HasSubstr;

const char* kKey = "HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown";

uint32_t Dword(const RegHive& h, const std::string& key = kKey, const std::string& name = "FastShutdownBehavior") {
  const RegValue* v = h.Find(key, name);
  uint32_t d = 0xDEADBEEF;
  if (v) AsDword(*v, &d);
  return d;
}

std::string Utf16le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

const std::string kRegedit5 =
    "Windows Registry Editor Version 5.00\r\n\r\n"
    "[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\r\n"
    "\"FastShutdownBehavior\"=dword:00000001\r\n";

TEST(RegFile, ReadsRegeditFiveAsRegeditWritesItUtf16WithBom) {
  const RegHive h = ParseRegFile(Utf16le(kRegedit5));
  EXPECT_EQ(Dword(h), 1u);
  EXPECT_TRUE(h.warnings.empty());
  EXPECT_EQ(h.Find(kKey, "FastShutdownBehavior")->line, 4);
}

TEST(RegFile, ReadsUtf8WithAndWithoutBomAndLfLineEnds) {
  EXPECT_EQ(Dword(ParseRegFile("\xEF\xBB\xBF" + kRegedit5)), 1u);
  std::string lf = kRegedit5;
  std::erase(lf, '\r');
  EXPECT_EQ(Dword(ParseRegFile(lf)), 1u);
}

TEST(RegFile, ReadsRegedit4AndKeysCaseInsensitively) {
  const RegHive h = ParseRegFile(
      "REGEDIT4\n\n[hkey_current_user\\SOFTWARE\\policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\n"
      "\"fastshutdownbehavior\"=dword:00000002\n");
  EXPECT_EQ(Dword(h), 2u);
}

TEST(RegFile, CommentsQuotedNamesWithEscapesAndDefaultValues) {
  const RegHive h = ParseRegFile(
      "Windows Registry Editor Version 5.00\n; a comment\n[HKEY_CURRENT_USER\\K]\n"
      "\"a \\\"quoted\\\" name\"=\"C:\\\\path\\\\x\"\n@=\"default\"\n");
  ASSERT_NE(h.Find("HKEY_CURRENT_USER\\K", "a \"quoted\" name"), nullptr);
  EXPECT_EQ(h.Find("HKEY_CURRENT_USER\\K", "a \"quoted\" name")->text, "C:\\path\\x");
  EXPECT_EQ(h.Find("HKEY_CURRENT_USER\\K", "")->text, "default");
}

TEST(RegFile, HexAndTypedHexValuesContinueOverLines) {
  const RegHive h = ParseRegFile(std::string("Windows Registry Editor Version 5.00\n[") + kKey +
                                 "]\n\"FastShutdownBehavior\"=hex(4):02,\\\n  00,00,\\\n  00\n\"Bin\"=hex:01,02,\\\n 03\n");
  EXPECT_EQ(Dword(h), 2u);  // hex(4): of four little-endian bytes is a REG_DWORD
  EXPECT_EQ(h.Find(kKey, "Bin")->data, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(h.Find(kKey, "Bin")->type, RegType::kBinary);
}

// A long hex value as regedit writes it: 25 bytes a line, each line but the last ending in "\".
// The value's text is 5 MB, so a parser that re-copies the value at every continued line (time
// growing with the square of its size: 2.7 MB took 6 s) makes this suite visibly slow; a linear
// one reads it in well under a second. No assertion on time here: time it with
// `policy_test --gtest_filter=RegFile.LongHexValue*` when touching the continuation code.
TEST(RegFile, LongHexValueContinuedOverManyLinesIsReadWhole) {
  constexpr size_t kBytes = 5 * 1024 * 1024 / 3;  // "xx," per byte and a line break per 25: 5.6 MB of text
  std::string file = std::string("Windows Registry Editor Version 5.00\r\n\r\n[") + kKey + "]\r\n\"Big\"=hex:";
  file.reserve(6 * 1024 * 1024);
  const char* const kDigits = "0123456789abcdef";
  for (size_t i = 0; i < kBytes; ++i) {
    const auto b = static_cast<uint8_t>(i * 7 + i / 256);
    file += kDigits[b >> 4];
    file += kDigits[b & 15];
    if (i + 1 == kBytes) break;
    file += ',';
    if (i % 25 == 24) file += "\\\r\n  ";
  }
  file += "\r\n\"FastShutdownBehavior\"=dword:00000001\r\n";
  ASSERT_GT(file.size(), 5u * 1000 * 1000);
  const RegHive h = ParseRegFile(file);
  const RegValue* big = h.Find(kKey, "Big");
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(h.warnings.empty());
  ASSERT_EQ(big->data.size(), kBytes);
  for (size_t i : {size_t{0}, size_t{1}, size_t{24}, size_t{25}, kBytes / 2, kBytes - 1}) {
    EXPECT_EQ(big->data[i], static_cast<uint8_t>(i * 7 + i / 256)) << "byte " << i;
  }
  EXPECT_EQ(Dword(h), 1u);  // the line after the value is read as its own
  EXPECT_EQ(h.Find(kKey, "FastShutdownBehavior")->line, 4 + static_cast<int>((kBytes - 1) / 25) + 1);
}

TEST(RegFile, DeletedKeysAndValuesAndRepeatedKeys) {
  const RegHive h = ParseRegFile(std::string("Windows Registry Editor Version 5.00\n") + "[" + kKey +
                                 "]\n\"FastShutdownBehavior\"=dword:00000001\n\"Other\"=dword:1\n" +
                                 "[" + kKey + "]\n\"FastShutdownBehavior\"=dword:00000002\n\"Other\"=-\n" +
                                 "[HKEY_CURRENT_USER\\Gone\\Sub]\n\"x\"=dword:1\n[-HKEY_CURRENT_USER\\Gone]\n");
  EXPECT_EQ(Dword(h), 2u);  // the last one wins
  EXPECT_EQ(h.Find(kKey, "Other"), nullptr);
  EXPECT_EQ(h.Find("HKEY_CURRENT_USER\\Gone\\Sub", "x"), nullptr);  // deleting a key deletes its subkeys
}

TEST(RegFile, WineUserRegIsRelativeToHkcuWithDoubledBackslashes) {
  const RegHive h = ParseRegFile(
      "WINE REGISTRY Version 2\n;; All keys relative to \\\\User\\\\S-1-5-21\n\n#arch=win64\n\n"
      "[Software\\\\Policies\\\\Microsoft\\\\Office\\\\16.0\\\\Outlook\\\\Options\\\\Shutdown] 1700000000\n"
      "#time=1d9a1b2c3d4e5f6\n\"FastShutdownBehavior\"=dword:00000000\n");
  EXPECT_EQ(Dword(h), 0u);
  EXPECT_TRUE(h.warnings.empty()) << h.warnings[0].message;
}

TEST(RegFile, WrongLinesAreWarningsNamingTheLineAndTheRestIsRead) {
  const RegHive h = ParseRegFile(std::string("Windows Registry Editor Version 5.00\n[") + kKey +
                                 "]\n\"Broken\"=dword:xyz\ngarbage line\n\"FastShutdownBehavior\"=dword:00000001\n");
  EXPECT_EQ(Dword(h), 1u);
  ASSERT_EQ(h.warnings.size(), 2u);
  EXPECT_EQ(h.warnings[0].line, 3);
  EXPECT_THAT(h.warnings[0].message, HasSubstr("dword"));
  EXPECT_EQ(h.warnings[1].line, 4);
}

// A warning quotes the line it could not read: terminal escapes in it are shown, not sent, and
// the quote is cut between characters, so the warning is always valid UTF-8.
TEST(RegFile, WarningsQuoteFileContentPrintably) {
  std::string accents;
  for (int i = 0; i < 30; ++i) accents += "\xC3\xA9";  // byte 40 falls in the middle of one
  const RegHive h = ParseRegFile(std::string("REGEDIT4\n[") + kKey + "]\n\"A\"=\x1b]0;owned!\x07" + accents + "\n" +
                                 "\"B\"=dword:\x1b[2J\n");
  ASSERT_EQ(h.warnings.size(), 2u);
  for (const auto& w : h.warnings) {
    EXPECT_EQ(w.message.find('\x1b'), std::string::npos) << w.message;
    EXPECT_EQ(w.message.find('\x07'), std::string::npos) << w.message;
    EXPECT_THAT(w.message, HasSubstr("\\u001b"));
    EXPECT_TRUE(IsUtf8(w.message)) << w.message;
    EXPECT_EQ(w.message.find("\xEF\xBF\xBD"), std::string::npos) << "an accent was cut: " << w.message;
  }
}

TEST(RegFile, AStringIsNotADword) {
  const RegHive h = ParseRegFile(std::string("REGEDIT4\n[") + kKey + "]\n\"FastShutdownBehavior\"=\"1\"\n");
  uint32_t d = 0;
  ASSERT_NE(h.Find(kKey, "FastShutdownBehavior"), nullptr);
  EXPECT_FALSE(AsDword(*h.Find(kKey, "FastShutdownBehavior"), &d));
}

TEST(RegFile, SurvivesHostileInput) {
  for (const std::string& s : {std::string("\xFF\xFE"), std::string("\xFF\xFE\x00\xD8"), std::string("[\n\"\n\"a\"=hex(\n"),
                               std::string("REGEDIT4\n[K]\n\"a\"=hex:0\\\n"), std::string(1000, '\\'), std::string("\0\0\0", 3)}) {
    const RegHive h = ParseRegFile(s);
    EXPECT_EQ(h.Find(kKey, "FastShutdownBehavior"), nullptr);
  }
}

}  // namespace
}  // namespace mapishut
