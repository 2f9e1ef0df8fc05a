#include "malloc_object.h"

#include <malloc.h>
#include <mapicode.h>
#include <mapiguid.h>

#include <cstdlib>

#include "mapishut/com_object.h"

namespace mapishut {
namespace {

// A process-lifetime object: its count never reaches zero while a provider holds it, and it is
// never freed when it does.
class Malloc final : public ComObject<Malloc, IMalloc> {
 public:
  void* STDMETHODCALLTYPE Alloc(SIZE_T cb) override { return std::malloc(cb ? cb : 1); }
  void* STDMETHODCALLTYPE Realloc(void* pv, SIZE_T cb) override { return std::realloc(pv, cb ? cb : 1); }
  void STDMETHODCALLTYPE Free(void* pv) override { std::free(pv); }
  SIZE_T STDMETHODCALLTYPE GetSize(void* pv) override { return pv ? static_cast<SIZE_T>(malloc_usable_size(pv)) : static_cast<SIZE_T>(-1); }
  int STDMETHODCALLTYPE DidAlloc(void* pv) override { return pv ? -1 : 0; }  // -1: cannot tell
  void STDMETHODCALLTYPE HeapMinimize() override { malloc_trim(0); }

 private:
  void OnFinalRelease() override {}
};

}  // namespace

LPMALLOC ProcessMalloc() {
  static Malloc instance;
  return &instance;
}

}  // namespace mapishut
