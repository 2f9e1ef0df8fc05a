// Where the policy comes from: each source, their precedence, the security rules, and the
// report (issue 3, items 1-3, 5, 6).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "mapishut/registry_policy.h"
#include "mapishut/policy_report.h"
#include "utf8_check.h"

namespace mapishut {
namespace {

using ::testing::HasSubstr;
using ::testing::Field;
using ::testing::Contains;

std::string PolicyFile(const char* version, const std::string& data) {
  return std::string("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\") +
         version + "\\Outlook\\Options\\Shutdown]\r\n\"FastShutdownBehavior\"=" + data + "\r\n";
}

class RegistryPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mapishut-policy-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    std::filesystem::create_directories(root_ + "/etc/policy.d");
    std::filesystem::create_directories(root_ + "/home/.config/mapishut");
    std::filesystem::create_directories(root_ + "/wine");
    ::chmod((root_ + "/etc/policy.d").c_str(), 0755);
    options_.system_dir = root_ + "/etc/policy.d";
    options_.user_file = root_ + "/home/.config/mapishut/policy.reg";
    options_.wine_file = root_ + "/wine/user.reg";
    options_.trusted_owner_uid = ::geteuid();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& path, const std::string& text, mode_t mode = 0644) {
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), mode);
  }
  PolicyReading Read() { return NewRegistryPolicyReader(options_)->Read(); }
  std::string root_;
  RegistryPolicyOptions options_;
};

TEST_F(RegistryPolicyTest, NoSourceMeansNoValueAndEveryMissingSourceIsALine) {
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  ASSERT_EQ(r.consulted.size(), 3u);
  EXPECT_EQ(r.consulted[1].outcome, ConsultedSource::Outcome::kMissing);
  EXPECT_THAT(FormatPolicyReport(r), HasSubstr("not set"));
}

TEST_F(RegistryPolicyTest, WineHiveAloneIsUsed) {
  Write(options_.wine_file, "WINE REGISTRY Version 2\n\n[Software\\\\Policies\\\\Microsoft\\\\Office\\\\15.0\\\\Outlook\\\\Options\\\\Shutdown] 1\n\"FastShutdownBehavior\"=dword:00000002\n");
  const PolicyReading r = Read();
  ASSERT_TRUE(r.value);
  EXPECT_EQ(*r.value, FastShutdownBehavior::kDisabled);
  EXPECT_EQ(r.file, options_.wine_file);
  EXPECT_EQ(r.line, 4);
  EXPECT_THAT(r.key, HasSubstr("15.0"));
}

TEST_F(RegistryPolicyTest, UserFileOverridesWineHive) {
  Write(options_.wine_file, "WINE REGISTRY Version 2\n[Software\\\\Policies\\\\Microsoft\\\\Office\\\\16.0\\\\Outlook\\\\Options\\\\Shutdown]\n\"FastShutdownBehavior\"=dword:00000002\n");
  Write(options_.user_file, PolicyFile("14.0", "dword:00000001"));
  const PolicyReading r = Read();
  EXPECT_EQ(*r.value, FastShutdownBehavior::kOnlyIfAllOptedIn);
  EXPECT_EQ(r.file, options_.user_file);
  EXPECT_EQ(r.consulted[2].outcome, ConsultedSource::Outcome::kOverridden);
}

TEST_F(RegistryPolicyTest, SystemPolicyOverridesTheUsersOwn) {
  Write(options_.user_file, PolicyFile("16.0", "dword:00000000"));
  Write(options_.system_dir + "/10-outlook.reg", PolicyFile("14.0", "dword:00000002"));
  const PolicyReading r = Read();
  EXPECT_EQ(*r.value, FastShutdownBehavior::kDisabled);
  EXPECT_EQ(r.file, options_.system_dir + "/10-outlook.reg");
}

TEST_F(RegistryPolicyTest, LaterSystemFilesOverrideEarlierOnes) {
  Write(options_.system_dir + "/10-a.reg", PolicyFile("16.0", "dword:00000002"));
  Write(options_.system_dir + "/20-b.reg", PolicyFile("16.0", "dword:00000001"));
  EXPECT_EQ(*Read().value, FastShutdownBehavior::kOnlyIfAllOptedIn);
}

TEST_F(RegistryPolicyTest, NewestOfficeVersionWithAValidValueWins) {
  Write(options_.user_file, PolicyFile("14.0", "dword:00000002") + PolicyFile("16.0", "dword:00000001").substr(38) +
                                PolicyFile("15.0", "dword:00000000").substr(38));
  EXPECT_EQ(*Read().value, FastShutdownBehavior::kOnlyIfAllOptedIn);
  Write(options_.user_file, PolicyFile("14.0", "dword:00000002") + PolicyFile("16.0", "dword:00000007").substr(38) +
                                PolicyFile("15.0", "\"0\"").substr(38));
  const PolicyReading r = Read();
  EXPECT_EQ(*r.value, FastShutdownBehavior::kDisabled);  // 16.0 out of range, 15.0 wrong type: 14.0 wins
  EXPECT_THAT(r.key, HasSubstr("14.0"));
}

TEST_F(RegistryPolicyTest, InvalidValuesAreIgnoredWithAWarningNamingFileAndLine) {
  Write(options_.user_file, PolicyFile("16.0", "dword:00000003"));
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].file, options_.user_file);
  EXPECT_EQ(r.warnings[0].line, 4);
  EXPECT_THAT(r.warnings[0].message, HasSubstr("outside 0..2"));
  Write(options_.user_file, PolicyFile("16.0", "hex:01,00,00,00"));
  EXPECT_THAT(Read().warnings.at(0).message, HasSubstr("not a REG_DWORD"));
}

TEST_F(RegistryPolicyTest, SystemFileWritableByOthersIsRefusedWithAWarning) {
  Write(options_.system_dir + "/10-outlook.reg", PolicyFile("16.0", "dword:00000002"), 0666);
  Write(options_.user_file, PolicyFile("16.0", "dword:00000000"));
  const PolicyReading r = Read();
  EXPECT_EQ(*r.value, FastShutdownBehavior::kUnlessOptedOut);  // the user's value, not the untrusted one
  EXPECT_EQ(r.consulted[0].outcome, ConsultedSource::Outcome::kRefused);
  EXPECT_THAT(r.warnings.at(0).message, HasSubstr("writable"));
}

TEST_F(RegistryPolicyTest, SystemDirectoryWritableByOthersIsRefused) {
  Write(options_.system_dir + "/10-outlook.reg", PolicyFile("16.0", "dword:00000002"));
  ::chmod(options_.system_dir.c_str(), 0777);
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.consulted[0].outcome, ConsultedSource::Outcome::kRefused);
}

TEST_F(RegistryPolicyTest, SystemFileOwnedBySomeoneElseIsRefused) {
  Write(options_.system_dir + "/10-outlook.reg", PolicyFile("16.0", "dword:00000002"));
  options_.trusted_owner_uid = ::geteuid() + 1;  // the files belong to someone the reader does not trust
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  EXPECT_THAT(r.consulted[0].why, HasSubstr("owned by uid"));
}

TEST_F(RegistryPolicyTest, SystemFileThatIsASymlinkIsRefused) {
  Write(root_ + "/trusted.reg", PolicyFile("16.0", "dword:00000002"));
  ASSERT_EQ(::symlink((root_ + "/trusted.reg").c_str(), (options_.system_dir + "/10-outlook.reg").c_str()), 0);
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  ASSERT_EQ(r.consulted.at(0).outcome, ConsultedSource::Outcome::kRefused);
  EXPECT_THAT(r.consulted[0].why, HasSubstr("symbolic link"));
  EXPECT_THAT(r.warnings.at(0).message, HasSubstr("symbolic link"));
}

TEST_F(RegistryPolicyTest, SystemDirectoryThatIsASymlinkIsRefused) {
  Write(options_.system_dir + "/10-outlook.reg", PolicyFile("16.0", "dword:00000002"));
  ASSERT_EQ(::symlink(options_.system_dir.c_str(), (root_ + "/link.d").c_str()), 0);
  options_.system_dir = root_ + "/link.d";
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.consulted.at(0).outcome, ConsultedSource::Outcome::kRefused);
}

// The trust check and the read must look at the same file. A second thread swaps a symlink in
// the system directory between a trusted file and a world-writable one (which the check refuses
// whoever runs the test, root included) as fast as it can while this thread reads; checking one
// file by name and then opening the name again lets the untrusted value through now and then.
TEST_F(RegistryPolicyTest, SwappingASystemFileBehindTheCheckNeverGetsAnUntrustedValueIn) {
  const std::string trusted = root_ + "/trusted.reg", untrusted = root_ + "/untrusted.reg";
  Write(trusted, PolicyFile("16.0", "dword:00000001"));
  Write(untrusted, PolicyFile("16.0", "dword:00000002"), 0666);
  const std::string link = options_.system_dir + "/10-outlook.reg", next = options_.system_dir + "/.next";
  ASSERT_EQ(::symlink(trusted.c_str(), link.c_str()), 0);
  std::atomic<bool> stop{false};
  std::atomic<int> swaps{0};
  std::thread swapper([&] {
    for (bool to_untrusted = true; !stop.load(std::memory_order_relaxed); to_untrusted = !to_untrusted) {
      ::unlink(next.c_str());
      if (::symlink((to_untrusted ? untrusted : trusted).c_str(), next.c_str()) == 0) std::rename(next.c_str(), link.c_str());
      swaps.fetch_add(1, std::memory_order_relaxed);
    }
  });
  while (swaps.load() < 2) std::this_thread::yield();  // read only while the swaps are going on
  auto reader = NewRegistryPolicyReader(options_);
  int untrusted_accepted = 0;
  for (int i = 0; i < 10000; ++i) {
    const PolicyReading r = reader->Read();
    if (r.value == FastShutdownBehavior::kDisabled) ++untrusted_accepted;
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(untrusted_accepted, 0);
}

TEST_F(RegistryPolicyTest, UserFileThatLinksToAFileOthersMayWriteIsRefused) {
  Write(root_ + "/shared.reg", PolicyFile("16.0", "dword:00000002"), 0666);
  ASSERT_EQ(::symlink((root_ + "/shared.reg").c_str(), options_.user_file.c_str()), 0);
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.consulted.at(1).outcome, ConsultedSource::Outcome::kRefused);
  EXPECT_THAT(r.warnings.at(0).message, HasSubstr("writable"));
}

TEST_F(RegistryPolicyTest, UserFileOwnedBySomeoneElseIsRefused) {
  Write(options_.user_file, PolicyFile("16.0", "dword:00000002"));
  const uid_t other = ::geteuid() + 4242;
  if (::chown(options_.user_file.c_str(), other, static_cast<gid_t>(-1)) != 0) GTEST_SKIP() << "needs root to give a file away";
  const PolicyReading r = Read();
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.consulted.at(1).outcome, ConsultedSource::Outcome::kRefused);
  EXPECT_THAT(r.consulted[1].why, HasSubstr("owned by uid " + std::to_string(other)));
}

TEST_F(RegistryPolicyTest, UserFileMayBeASymlinkToTheUsersOwnFile) {
  Write(root_ + "/dotfiles-policy.reg", PolicyFile("16.0", "dword:00000001"));
  ASSERT_EQ(::symlink((root_ + "/dotfiles-policy.reg").c_str(), options_.user_file.c_str()), 0);
  EXPECT_EQ(Read().value, FastShutdownBehavior::kOnlyIfAllOptedIn);
}

TEST_F(RegistryPolicyTest, AChangeBetweenTwoReadsIsHonoured) {
  auto reader = NewRegistryPolicyReader(options_);
  Write(options_.user_file, PolicyFile("16.0", "dword:00000000"));
  EXPECT_EQ(*reader->Read().value, FastShutdownBehavior::kUnlessOptedOut);
  Write(options_.user_file, PolicyFile("16.0", "dword:00000002"));
  EXPECT_EQ(*reader->Read().value, FastShutdownBehavior::kDisabled);
}

TEST_F(RegistryPolicyTest, EnvironmentLocatesTheUserSources) {
  setenv("HOME", (root_ + "/home").c_str(), 1);
  unsetenv("XDG_CONFIG_HOME");
  setenv("WINEPREFIX", (root_ + "/wine").c_str(), 1);
  const RegistryPolicyOptions o = RegistryPolicyOptions::FromEnvironment();
  EXPECT_EQ(o.user_file, root_ + "/home/.config/mapishut/policy.reg");
  EXPECT_EQ(o.wine_file, root_ + "/wine/user.reg");
  setenv("XDG_CONFIG_HOME", (root_ + "/xdg").c_str(), 1);
  EXPECT_EQ(RegistryPolicyOptions::FromEnvironment().user_file, root_ + "/xdg/mapishut/policy.reg");
}

// File content and file names reach people's terminals and scripts' JSON parsers: neither may
// carry a terminal escape or bytes that are not UTF-8.
TEST_F(RegistryPolicyTest, ReportsShowFileContentAndNamesPrintablyAndJsonIsUtf8) {
  std::string accents;
  for (int i = 0; i < 30; ++i) accents += "\xC3\xA9";
  Write(options_.user_file, PolicyFile("16.0", "dword:00000001") + "\"X\"=\x1b]2;owned!\x07" + accents + "\r\n" +
                                "\"Y\"=caf\xE9\x1b[2J\r\n");
  Write(options_.system_dir + "/\x1b[31mred\xFF.reg", PolicyFile("16.0", "dword:00000002"), 0666);
  const PolicyReading r = Read();
  ASSERT_GE(r.warnings.size(), 3u);  // the refused file, then the two lines of the user's file
  const std::string text = FormatPolicyReport(r), json = FormatPolicyReportJson(r);
  for (const std::string& out : {text, json}) {
    EXPECT_TRUE(IsUtf8(out)) << out;
    for (char c : out) ASSERT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\n') << "control character in\n" << out;
    EXPECT_THAT(out, HasSubstr("u001b[31mred"));
    EXPECT_THAT(out, HasSubstr("u001b]2;owned"));
  }
}

TEST_F(RegistryPolicyTest, JsonReportCarriesValueSourceAndEverySource) {
  Write(options_.user_file, PolicyFile("16.0", "dword:00000001"));
  const std::string json = FormatPolicyReportJson(Read());
  EXPECT_THAT(json, HasSubstr("\"value\": 1"));
  EXPECT_THAT(json, HasSubstr("\"line\": 4"));
  EXPECT_THAT(json, HasSubstr("\"outcome\": \"used\""));
  EXPECT_THAT(json, HasSubstr("\"outcome\": \"missing\""));
  // Structurally JSON: balanced braces and brackets outside strings.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\\' && in_string) { ++i; continue; }
    if (json[i] == '"') in_string = !in_string;
    if (in_string) continue;
    if (json[i] == '{' || json[i] == '[') ++depth;
    if (json[i] == '}' || json[i] == ']') --depth;
    ASSERT_GE(depth, 0);
  }
  EXPECT_EQ(depth, 0);
  EXPECT_FALSE(in_string);
}

// Issue 12, item 4: the administrator sets the provider-call deadline and the slow threshold in
// the same files, under mapishut's own key; each comes from the first source that sets it, with
// its file and line, and `mapishut policy` shows them.
TEST_F(RegistryPolicyTest, TheDeadlineAndTheSlowThresholdComeFromMapishutsOwnKeyWithTheirSources) {
  const std::string key = "[HKEY_CURRENT_USER\\Software\\Policies\\mapishut\\Shutdown]\r\n";
  Write(options_.user_file, "Windows Registry Editor Version 5.00\r\n\r\n" + key +
                                "\"ProviderCallTimeoutMs\"=dword:00000bb8\r\n\"SlowProviderMs\"=dword:000000fa\r\n");
  Write(options_.system_dir + "/10-site.reg",
        "Windows Registry Editor Version 5.00\r\n\r\n" + key + "\"ProviderCallTimeoutMs\"=dword:000007d0\r\n"
        "\"SlowProviderMs\"=\"fast please\"\r\n");
  const PolicyReading r = Read();
  ASSERT_TRUE(r.provider_call_timeout_ms);
  EXPECT_EQ(r.provider_call_timeout_ms->value, 2000u);  // the system file wins over the user's
  EXPECT_EQ(r.provider_call_timeout_ms->file, options_.system_dir + "/10-site.reg");
  EXPECT_EQ(r.provider_call_timeout_ms->line, 4);
  ASSERT_TRUE(r.slow_provider_ms);
  EXPECT_EQ(r.slow_provider_ms->value, 250u);  // the system file's is not a REG_DWORD: the user's applies
  EXPECT_EQ(r.slow_provider_ms->file, options_.user_file);
  EXPECT_THAT(r.warnings, Contains(Field(&PolicyWarning::message, HasSubstr("SlowProviderMs"))));
  const std::string report = FormatPolicyReport(r);
  EXPECT_THAT(report, HasSubstr("ProviderCallTimeoutMs = 2000"));
  EXPECT_THAT(report, HasSubstr("SlowProviderMs = 250"));
  EXPECT_THAT(FormatPolicyReportJson(r), HasSubstr("\"provider_call_timeout_ms\": {\"value\": 2000"));
}

}  // namespace
}  // namespace mapishut
