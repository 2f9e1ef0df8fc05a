// MAPISVC.INF and profiles.inf parsing: every configuration error names the file and the line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config_location.h"
#include "ini_file.h"
#include "profile_config.h"

namespace mapishut {
namespace {

using ::testing::HasSubstr;

TEST(IniFile, KeepsOrderLinesAndMergesRepeatedSections) {
  IniFile f;
  ASSERT_TRUE(ParseIni("x.inf", "\xEF\xBB\xBF; comment\r\n[A]\r\nk=1\r\n[B]\nk = two words \n[a]\nk=3\n", &f).ok());
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[0].name, "A");
  EXPECT_EQ(f.Find("a")->Find("K")->value, "3");  // case-insensitive, last wins
  EXPECT_EQ(f.Find("a")->Find("K")->line, 7);
  EXPECT_EQ(f.Find("B")->Find("k")->value, "two words");
  // The repeated section's entries follow its first part's, in the file's order; B keeps its own.
  ASSERT_EQ(f.Find("A")->entries.size(), 2u);
  EXPECT_EQ(f.Find("A")->entries[0].value, "1");
  EXPECT_EQ(f.Find("A")->entries[1].value, "3");
  ASSERT_EQ(f.Find("B")->entries.size(), 1u);
  EXPECT_EQ(f.Find("B")->entries[0].line, 5);
}

TEST(IniFile, MalformedLinesAreNamedByFileAndLine) {
  IniFile f;
  Status s = ParseIni("x.inf", "[A]\nno equals sign\n", &f);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("x.inf:2"));
  s = ParseIni("y.inf", "k=v\n", &f);
  EXPECT_THAT(s.message(), HasSubstr("y.inf:1"));
  s = ParseIni("z.inf", "[A\n", &f);
  EXPECT_THAT(s.message(), HasSubstr("z.inf:1"));
}

class ProfileConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mapishut-profile-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    where_.dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(where_.dir); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(where_.dir + "/" + name) << text; }
  ConfigLocation where_;
};

TEST_F(ProfileConfigTest, ReadsProvidersInProfileOrderWithTheirProperties) {
  setenv("MAPISHUT_TEST_VALUE", "/data", 1);
  Write("mapisvc.inf",
        "[Services]\nS1=one\nS2=two\n"
        "[S1]\nProviders=P1, P2\n"
        "[P1]\nPR_PROVIDER_DLL_NAME=lib1.so\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE|0x100\n"
        "PR_DISPLAY_NAME=First\nPR_MAPISHUT_DATA_PATH=${MAPISHUT_TEST_VALUE}/p1.db\n"
        "[P2]\nPR_PROVIDER_DLL_NAME=lib2.so\nPR_RESOURCE_TYPE=36\n"
        "[S2]\nProviders=P3\n"
        "[P3]\nPR_PROVIDER_DLL_NAME=/abs/lib3.so\nPR_RESOURCE_TYPE=MAPI_AB_PROVIDER\n0x6621001E=remote\n");
  Write("profiles.inf", "[Profiles]\nDefault=p\n[Profile p]\nServices=S2,S1\n[Profile p/P1]\nPR_DISPLAY_NAME=Renamed\n");
  Profile p;
  ASSERT_TRUE(LoadProfile(where_, "", &p).ok());
  EXPECT_EQ(p.name, "p");
  ASSERT_EQ(p.providers.size(), 3u);
  EXPECT_EQ(p.providers[0]->section, "P3");
  EXPECT_EQ(p.providers[0]->kind, ProviderKind::kAddressBook);
  EXPECT_EQ(p.providers[1]->section, "P1");
  EXPECT_EQ(p.providers[1]->kind, ProviderKind::kStore);
  EXPECT_EQ(p.providers[1]->display_name(), "Renamed");  // the profile's own value wins
  EXPECT_EQ(p.providers[1]->resource_flags, 0x102u);
  EXPECT_EQ(p.providers[2]->kind, ProviderKind::kTransport);
  EXPECT_EQ(p.providers[2]->display_name(), "P2");  // no PR_DISPLAY_NAME: the section name
  bool found = false;
  for (const auto& prop : p.providers[1]->properties) {
    if (prop.tag == 0x6620001E) {
      EXPECT_EQ(prop.text, "/data/p1.db");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ProfileConfigTest, ErrorsNameFileLineAndWhatWasExpected) {
  Write("profiles.inf", "[Profile p]\nServices=S\n");
  Write("mapisvc.inf", "[S]\nProviders=P\n[P]\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\n");
  Profile p;
  Status s = LoadProfile(where_, "p", &p);
  EXPECT_THAT(s.message(), HasSubstr("has no PR_PROVIDER_DLL_NAME"));
  EXPECT_THAT(s.message(), HasSubstr("mapisvc.inf:3"));

  Write("mapisvc.inf", "[S]\nProviders=P\n[P]\nPR_PROVIDER_DLL_NAME=x.so\nPR_RESOURCE_TYPE=34\n");
  s = LoadProfile(where_, "p", &p);
  EXPECT_THAT(s.message(), HasSubstr("PR_RESOURCE_TYPE 34 (0x00000022)"));

  Write("mapisvc.inf", "[S]\nProviders=P\n[P]\nPR_NO_SUCH_TAG=1\n");
  s = LoadProfile(where_, "p", &p);
  EXPECT_THAT(s.message(), HasSubstr("mapisvc.inf:4"));
  EXPECT_THAT(s.message(), HasSubstr("PR_NO_SUCH_TAG"));

  Write("mapisvc.inf", "[S]\nProviders=P\n[P]\nPR_PROVIDER_DLL_NAME=${MAPISHUT_SURELY_UNSET_VARIABLE}\n");
  s = LoadProfile(where_, "p", &p);
  EXPECT_THAT(s.message(), HasSubstr("MAPISHUT_SURELY_UNSET_VARIABLE"));

  Write("profiles.inf", "[Profile p]\nServices=Missing\n");
  s = LoadProfile(where_, "p", &p);
  EXPECT_THAT(s.message(), HasSubstr("'Missing'"));
  EXPECT_THAT(s.message(), HasSubstr("profiles.inf:2"));
}

TEST_F(ProfileConfigTest, ProviderLibrariesAreSearchedAlongThePath) {
  where_.provider_search_path = {where_.dir + "/none", where_.dir};
  Write("libfound.so", "");
  std::string path;
  ASSERT_TRUE(FindProviderLibrary(where_, "libfound.so", &path).ok());
  EXPECT_EQ(path, where_.dir + "/libfound.so");
  const Status s = FindProviderLibrary(where_, "libmissing.so", &path);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(where_.dir + "/none"));
}

// Windows tools save these files as UTF-16 with a byte order mark and name MAPISVC.INF in
// capitals; both are read as they are.
TEST_F(ProfileConfigTest, ReadsUtf16FilesAndUpperCaseNamesAsWindowsToolsSaveThem) {
  auto utf16 = [](const std::string& ascii) {
    std::string out = "\xFF\xFE";
    for (char c : ascii) {
      out += c;
      out += '\0';
    }
    return out;
  };
  Write("MAPISVC.INF", utf16("[Services]\r\nS=s\r\n[S]\r\nProviders=P\r\n[P]\r\nPR_PROVIDER_DLL_NAME=lib.so\r\n"
                             "PR_RESOURCE_TYPE=MAPI_TRANSPORT_PROVIDER\r\n"));
  Write("profiles.inf", utf16("[Profiles]\r\nDefault=p\r\n[Profile p]\r\nServices=S\r\n"));
  Profile p;
  const Status s = LoadProfile(where_, "", &p);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(p.providers.size(), 1u);
  EXPECT_EQ(p.providers[0]->kind, ProviderKind::kTransport);
  EXPECT_EQ(p.providers[0]->dll_name(), "lib.so");
}

// A resource type is one kind: flags or-ed into it, or a number out of range, are refused with
// the file and line instead of becoming another kind.
TEST_F(ProfileConfigTest, AResourceTypeMustBeExactlyOneKind) {
  for (const std::string type : {"MAPI_STORE_PROVIDER|STATUS_DEFAULT_STORE", "-4294967261", "4294967331"}) {
    Write("mapisvc.inf", "[Services]\nS=s\n[S]\nProviders=P\n[P]\nPR_PROVIDER_DLL_NAME=lib.so\nPR_RESOURCE_TYPE=" + type + "\n");
    Write("profiles.inf", "[Profiles]\nDefault=p\n[Profile p]\nServices=S\n");
    Profile p;
    const Status s = LoadProfile(where_, "", &p);
    EXPECT_FALSE(s.ok()) << type << " was read as kind " << static_cast<int>(p.providers.empty() ? 0 : static_cast<int>(p.providers[0]->kind));
    EXPECT_THAT(s.message(), HasSubstr("mapisvc.inf:7")) << type;
  }
}

}  // namespace
}  // namespace mapishut
