// include/mapishut/text.h: the one UTF-8 / wide conversion, independent of the locale.
#include <gtest/gtest.h>

#include "mapishut/text.h"

namespace mapishut {
namespace {

TEST(Text, Utf8AndWideRoundTripEveryPlane) {
  const std::wstring wide = L"a\u00e9\u20ac\U0001F600";
  const std::string utf8 = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  EXPECT_EQ(Utf8FromWide(wide), utf8);
  EXPECT_EQ(WideFromUtf8(utf8), wide);
}

TEST(Text, BytesThatAreNotUtf8AreKeptNotDropped) {
  EXPECT_EQ(WideFromUtf8("caf\xE9!"), std::wstring(L"caf\u00e9!"));  // Latin-1 e-acute, byte by byte
  EXPECT_EQ(WideFromUtf8("\xC3"), std::wstring(L"\u00c3"));          // cut in the middle of a character
}

TEST(Text, FileBytesInUtf16WithAByteOrderMarkOrUtf8AreReadAsUtf8) {
  EXPECT_EQ(TextFromFileBytes(std::string("\xFF\xFE" "a\0\xE9\0", 6)), "a\xC3\xA9");          // UTF-16LE
  EXPECT_EQ(TextFromFileBytes(std::string("\xFE\xFF" "\0a\xD8\x3D\xDE\x00", 8)), "a\xF0\x9F\x98\x80");  // BE, a pair
  EXPECT_EQ(TextFromFileBytes("\xEF\xBB\xBFkey=value"), "key=value");
  EXPECT_EQ(TextFromFileBytes("plain"), "plain");
}

TEST(Text, TrimRemovesSpacesTabsAndLineEndsOnBothSides) {
  EXPECT_EQ(Trim(" \t value \r\n"), "value");
  EXPECT_EQ(Trim(" \r\n"), "");
}

TEST(Text, PrintableShowsControlCharactersAsEscapes) {
  EXPECT_EQ(Printable("a\x1b[31mred\x07\t\r\n"), "a\\u001b[31mred\\u0007\\u0009\\u000d\\u000a");
  EXPECT_EQ(Printable(std::string("nul\0del\x7f", 8)), "nul\\u0000del\\u007f");
  EXPECT_EQ(Printable("csi\xC2\x9B" "2J"), "csi\\u009b2J");              // C1 controls are escapes too
  EXPECT_EQ(Printable("bidi\xE2\x80\xAE" "txt"), "bidi\\u202etxt");  // and text direction overrides
}

TEST(Text, PrintableKeepsUtf8AndReplacesBytesThatAreNot) {
  EXPECT_EQ(Printable("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \\path"), "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \\path");
  const std::string r = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(Printable("caf\xE9!"), "caf" + r + "!");                   // Latin-1
  EXPECT_EQ(Printable("\xC0\xAF"), r + r);                            // overlong '/'
  EXPECT_EQ(Printable("\xED\xA0\x80"), r + r + r);                   // a UTF-16 surrogate
  EXPECT_EQ(Printable("\xF4\x90\x80\x80"), r + r + r + r);          // beyond U+10FFFF
  EXPECT_EQ(Printable("end\xE2\x82"), "end" + r + r);                 // cut in the middle of a character
}

TEST(Text, PrintableCutsOnlyBetweenCharacters) {
  EXPECT_EQ(Printable("ab\xE2\x82\xAC" "cd", 3), "ab\xE2\x82\xAC...");
  EXPECT_EQ(Printable("ab\xE2\x82\xAC" "cd", 2), "ab...");
  EXPECT_EQ(Printable("abc", 3), "abc");
  EXPECT_EQ(Printable("\x1b\x1b\x1b", 2), "\\u001b\\u001b...");  // an escape is never cut either
}

TEST(Text, PrintableOfPrintableTextIsTheSame) {
  const std::string once = Printable("x\x1b[0m\xFF\xC3\xA9\xE2\x80\xAE");
  EXPECT_EQ(Printable(once), once);
}

}  // namespace
}  // namespace mapishut
