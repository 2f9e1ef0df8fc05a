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

}  // namespace
}  // namespace mapishut
