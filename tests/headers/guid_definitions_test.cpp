// Microsoft's IID scheme: this translation unit includes mapiguid.h plainly, then again after
// INITGUID and USES_IID_* lines (as real clients do), defining two IIDs here. Another translation
// unit (guid_second_tu.cpp) defines one of them too, and libmapishut defines all of them: the
// program still links, and the bytes are the documented ones.
#include <mapiguid.h>

#define INITGUID
#define USES_IID_IMAPIClientShutdown
#define USES_IID_IMAPIProviderShutdown
#include <initguid.h>
#include <mapiguid.h>

#include <gtest/gtest.h>
#include <mapix.h>

extern const GUID* SecondTranslationUnitsClientShutdownIid();

namespace {

TEST(GuidDefinitions, ShutdownIidsHaveTheDocumentedBytes) {
  const GUID client = {0x00020397, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
  const GUID provider = {0x00020398, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
  EXPECT_TRUE(IsEqualGUID(IID_IMAPIClientShutdown, client));
  EXPECT_TRUE(IsEqualGUID(IID_IMAPIProviderShutdown, provider));
  EXPECT_FALSE(IsEqualGUID(IID_IMAPIClientShutdown, provider));
}

TEST(GuidDefinitions, DefinitionsInSeveralUnitsAndTheLibraryAgree) {
  EXPECT_TRUE(IsEqualGUID(*SecondTranslationUnitsClientShutdownIid(), IID_IMAPIClientShutdown));
  EXPECT_TRUE(IsEqualGUID(IID_IMAPISession, GUID{0x00020300, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}}));
}

}  // namespace
