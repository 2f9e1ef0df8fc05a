// libFuzzer target over the INI parser that reads mapisvc.inf and profiles.inf: any bytes, read
// as ReadIniFile reads a file (UTF-16 with a byte order mark or UTF-8), must never crash, hang or
// leak, and every section and entry it hands back must be usable by what reads a profile.
#include <cstdint>
#include <string>

#include "ini_file.h"
#include "mapishut/text.h"
#include "profile_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  mapishut::IniFile file;
  if (!mapishut::ParseIni("fuzz.inf", mapishut::TextFromFileBytes(bytes), &file).ok()) return 0;
  for (const auto& section : file.sections) {
    (void)file.Find(section.name);
    (void)file.Where(section.line);
    for (const auto& entry : section.entries) {
      (void)section.Find(entry.key);
      uint32_t tag = 0;
      (void)mapishut::ParsePropertyTag(entry.key, &tag);  // provider sections name properties by key
    }
  }
  return 0;
}
