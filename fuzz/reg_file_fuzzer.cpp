// libFuzzer target over the policy parser and the source logic above it: any bytes, read as a
// .reg file, a Wine user.reg or a system policy file, must never crash, hang or leak.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "mapishut/registry_policy.h"
#include "reg_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const mapishut::RegHive hive = mapishut::ParseRegFile(bytes);
  for (const auto& [key, values] : hive.keys) {
    for (const auto& [name, value] : values) {
      uint32_t d = 0;
      (void)mapishut::AsDword(value, &d);
    }
  }
  // The same bytes through the reader that merges versions and sources.
  static const std::string dir = [] {
    char tmpl[] = "/tmp/mapishut-fuzz-XXXXXX";
    return std::string(mkdtemp(tmpl) ? tmpl : "/tmp");
  }();
  std::ofstream(dir + "/user.reg", std::ios::binary) << bytes;
  mapishut::RegistryPolicyOptions options;
  options.user_file = dir + "/user.reg";
  options.wine_file = dir + "/user.reg";
  (void)mapishut::NewRegistryPolicyReader(options)->Read();
  return 0;
}
