// One round of a durability test, ended the way the round asks: the process under test is
// SIGKILLed (the kernel keeps what it wrote), or SIGKILLed and then the power is cut (only what
// was fsync'ed survives; power_cut_fs.h), or the power cut also tears the last unsynced write.
// The program under test writes under data(); the test checks disk() after End(), which is what
// the machine would find on its disk when it comes back.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "power_cut_fs.h"

namespace mapishut::test {

enum class Ending { kSigkill, kPowerCut, kTornPowerCut };

// The three endings, for INSTANTIATE_TEST_SUITE_P, and their names in test names.
inline auto AllEndings() { return ::testing::Values(Ending::kSigkill, Ending::kPowerCut, Ending::kTornPowerCut); }
std::string EndingName(const ::testing::TestParamInfo<Ending>& info);

// The soak's knobs (scripts/soak.sh). How many rounds a test runs: `base`, or the number in
// environment variable `variable` when larger.
int SoakRounds(const char* variable, int base);
// The seed that places a test's kills and faults: `base`, changed by $MAPISHUT_SOAK_SEED.
unsigned SoakSeed(unsigned base);
// "rounds: N" on stdout, summed by the soak script.
void ReportRounds(int rounds);

class DurabilityRound {
 public:
  // Why rounds with `ending` cannot run here ("" when they can): tests skip with it.
  static std::string WhyUnavailable(Ending ending);

  explicit DurabilityRound(Ending ending) : ending_(ending) {}
  DurabilityRound(const DurabilityRound&) = delete;
  DurabilityRound& operator=(const DurabilityRound&) = delete;
  ~DurabilityRound();  // removes both directories

  // Makes a fresh disk, and mounts the power-cut filesystem over it when the ending needs it.
  bool Start(std::string* why);
  // After the process under test was killed: cuts the power (tearing with `seed`) or, for
  // kSigkill, nothing.
  bool End(std::string* why, unsigned seed = 0);

  const std::string& data() const { return data_; }  // where the program under test writes
  const std::string& disk() const { return disk_; }  // what survived, to check after End()
  bool cuts_power() const { return ending_ != Ending::kSigkill; }

 private:
  Ending ending_;
  std::string root_, disk_, data_;
  PowerCutFs fs_;
};

}  // namespace mapishut::test
