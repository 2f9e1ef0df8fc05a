// A profile with the SQLite store provider in a fresh directory, and the property set every
// store test writes (one value of each type the store must keep, derived from a seed).
#pragma once

#include <gtest/gtest.h>
#include <mapicode.h>
#include <mapitags.h>
#include <mapix.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mapishut/subsystem.h"

namespace mapishut::test {

// The profile's directory; the store's database is `data_dir`/store.db (default: in it).
inline std::string MakeStoreProfile(const std::string& data_dir = "") {
  char tmpl[] = "/tmp/mapishut-store-XXXXXX";
  if (!mkdtemp(tmpl)) return {};
  const std::string dir = tmpl;
  const std::string data = data_dir.empty() ? dir : data_dir;
  std::ofstream(dir + "/mapisvc.inf") << "[Services]\nStore=Store\n[Store]\nProviders=Store Provider\n"
                                         "[Store Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_store.so\n"
                                         "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\n"
                                         "PR_DISPLAY_NAME=Test Store\nPR_MAPISHUT_DATA_PATH=" << data << "/store.db\n";
  std::ofstream(dir + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=Store\n";
  return dir;
}

inline void UseStoreProfile(const std::string& dir) {
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  SetConfigDirectory(dir);
  SetPolicyReader(NewFixedPolicyReader(std::nullopt, "test"));
}

// The seven property types of issue 4, with values that depend on `seed`.
struct SampleProps {
  explicit SampleProps(int seed)
      : subject_w(L"subject \u00e9 " + std::to_wstring(seed)),
        sender_a("sender" + std::to_string(seed) + "@example.org"),
        blob{static_cast<BYTE>(seed), 0, 0xFF, static_cast<BYTE>(seed >> 8)} {
    values.resize(7);
    values[0].ulPropTag = PR_IMPORTANCE;
    values[0].Value.l = seed % 3;
    values[1].ulPropTag = PROP_TAG(PT_I8, 0x6700);
    values[1].Value.li.QuadPart = 0x0123456789ABLL * seed;
    values[2].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6701);
    values[2].Value.b = seed % 2;
    values[3].ulPropTag = PR_CLIENT_SUBMIT_TIME;
    values[3].Value.ft = FILETIME{static_cast<DWORD>(seed * 1000), 0x01D9ABCD};
    values[4].ulPropTag = PR_SUBJECT_W;
    values[4].Value.lpszW = subject_w.data();
    values[5].ulPropTag = PR_SENDER_EMAIL_ADDRESS_A;
    values[5].Value.lpszA = sender_a.data();
    values[6].ulPropTag = PROP_TAG(PT_BINARY, 0x6702);
    values[6].Value.bin = SBinary{static_cast<ULONG>(blob.size()), blob.data()};
  }
  std::wstring subject_w;
  std::string sender_a;
  std::vector<BYTE> blob;
  std::vector<SPropValue> values;
};

// True when `got` (from GetProps) holds exactly the sample's values.
inline ::testing::AssertionResult SameProps(const SampleProps& want, ULONG count, const SPropValue* got) {
  for (const auto& w : want.values) {
    const SPropValue* g = nullptr;
    for (ULONG i = 0; i < count; ++i) {
      if (got[i].ulPropTag == w.ulPropTag) g = &got[i];
    }
    if (!g) return ::testing::AssertionFailure() << "missing property " << std::hex << w.ulPropTag;
    bool same = false;
    switch (PROP_TYPE(w.ulPropTag)) {
      case PT_LONG: same = g->Value.l == w.Value.l; break;
      case PT_I8: same = g->Value.li.QuadPart == w.Value.li.QuadPart; break;
      case PT_BOOLEAN: same = (g->Value.b != 0) == (w.Value.b != 0); break;
      case PT_SYSTIME: same = g->Value.ft.dwLowDateTime == w.Value.ft.dwLowDateTime && g->Value.ft.dwHighDateTime == w.Value.ft.dwHighDateTime; break;
      case PT_UNICODE: same = std::wstring(g->Value.lpszW) == w.Value.lpszW; break;
      case PT_STRING8: same = std::string(g->Value.lpszA) == w.Value.lpszA; break;
      case PT_BINARY: same = g->Value.bin.cb == w.Value.bin.cb && std::memcmp(g->Value.bin.lpb, w.Value.bin.lpb, w.Value.bin.cb) == 0; break;
    }
    if (!same) return ::testing::AssertionFailure() << "property " << std::hex << w.ulPropTag << " differs";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace mapishut::test
