#include "malloc_object.h"

#include <malloc.h>
#include <mapicode.h>
#include <mapiguid.h>

#include <cstdlib>

namespace mapishut {
namespace {

class Malloc final : public IMalloc {
 public:
  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppv) override {
    if (ppv == nullptr) return E_INVALIDARG;
    if (riid == IID_IUnknown || riid == IID_IMalloc) {
      *ppv = static_cast<IMalloc*>(this);
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  // A process-lifetime object: references are not counted.
  STDMETHODIMP_(ULONG) AddRef() override { return 1; }
  STDMETHODIMP_(ULONG) Release() override { return 1; }
  void* STDMETHODCALLTYPE Alloc(SIZE_T cb) override { return std::malloc(cb ? cb : 1); }
  void* STDMETHODCALLTYPE Realloc(void* pv, SIZE_T cb) override { return std::realloc(pv, cb ? cb : 1); }
  void STDMETHODCALLTYPE Free(void* pv) override { std::free(pv); }
  SIZE_T STDMETHODCALLTYPE GetSize(void* pv) override { return pv ? static_cast<SIZE_T>(malloc_usable_size(pv)) : static_cast<SIZE_T>(-1); }
  int STDMETHODCALLTYPE DidAlloc(void* pv) override { return pv ? -1 : 0; }  // -1: cannot tell
  void STDMETHODCALLTYPE HeapMinimize() override { malloc_trim(0); }
};

}  // namespace

LPMALLOC ProcessMalloc() {
  static Malloc instance;
  return &instance;
}

}  // namespace mapishut
