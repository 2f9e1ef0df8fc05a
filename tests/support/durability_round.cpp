#include "durability_round.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace mapishut::test {

std::string EndingName(const ::testing::TestParamInfo<Ending>& info) {
  switch (info.param) {
    case Ending::kSigkill: return "Sigkill";
    case Ending::kPowerCut: return "PowerCut";
    case Ending::kTornPowerCut: return "TornPowerCut";
  }
  return "Unknown";
}

int SoakRounds(const char* variable, int base) {
  const char* soak = std::getenv(variable);
  return soak ? std::max(base, std::atoi(soak)) : base;
}

unsigned SoakSeed(unsigned base) {
  const char* seed = std::getenv("MAPISHUT_SOAK_SEED");
  return seed ? base ^ static_cast<unsigned>(std::strtoul(seed, nullptr, 10)) : base;
}

void ReportRounds(int rounds) {
  std::printf("rounds: %d\n", rounds);
  std::fflush(stdout);
}

std::string DurabilityRound::WhyUnavailable(Ending ending) {
  return ending == Ending::kSigkill ? "" : PowerCutFs::WhyUnavailable();
}

DurabilityRound::~DurabilityRound() {
  if (fs_.mounted()) {
    std::string ignored;
    fs_.Unmount(&ignored);
  }
  std::error_code ec;
  if (!root_.empty()) std::filesystem::remove_all(root_, ec);
}

bool DurabilityRound::Start(std::string* why) {
  char tmpl[] = "/tmp/mapishut-round-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    *why = "cannot make a directory under /tmp";
    return false;
  }
  root_ = tmpl;
  disk_ = root_ + "/disk";
  data_ = disk_;
  std::filesystem::create_directory(disk_);
  if (!cuts_power()) return true;
  data_ = root_ + "/mnt";
  std::filesystem::create_directory(data_);
  return fs_.Mount(disk_, data_, why);
}

bool DurabilityRound::End(std::string* why, unsigned seed) {
  return !cuts_power() || fs_.Cut(why, ending_ == Ending::kTornPowerCut, seed);
}

}  // namespace mapishut::test
