// IUnknown written once, after WIL's and ATL's implementation helpers: reference counting,
// QueryInterface answered from interface traits (an IMessage also answers IMAPIProp and
// IUnknown), a final-release hook, and tear-offs that share their owner's identity.
//
//   class Table final : public mapishut::ComObject<Table, IMAPITable> { ... };
//   class Folder final : public mapishut::ComObject<Folder, mapishut::MAPIFolderDefaults<IMAPIFolder>> { ... };
//   class Session final : public mapishut::ComObject<Session, IMAPISession> {
//     IUnknown* QueryExtra(REFIID riid) override;   // hands out a TearOff member
//     void OnFinalRelease() override;               // instead of `delete this`
//   };
//
// Every object starts with one reference, owned by whoever created it. The codes are COM's:
// E_INVALIDARG (MAPI_E_INVALID_PARAMETER) for a null out-pointer, E_NOINTERFACE
// (MAPI_E_INTERFACE_NOT_SUPPORTED) for an interface the object does not have.
#pragma once

#include <mapicode.h>

#include <atomic>

#include "mapishut/interface_traits.h"

namespace mapishut {

template <typename Derived, typename First, typename... Rest>
class ComObject : public First, public Rest... {
 public:
  ComObject() = default;
  ComObject(const ComObject&) = delete;
  ComObject& operator=(const ComObject&) = delete;

  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override {
    if (ppvObj == nullptr) return E_INVALIDARG;
    *ppvObj = nullptr;
    IUnknown* found = Find<First, Rest...>(riid);
    if (found == nullptr) found = QueryExtra(riid);
    if (found == nullptr) return E_NOINTERFACE;
    found->AddRef();
    *ppvObj = found;
    return S_OK;
  }
  STDMETHODIMP_(ULONG) AddRef() override { return ++refs_; }
  STDMETHODIMP_(ULONG) Release() override {
    const ULONG left = --refs_;
    if (left == 0) OnFinalRelease();
    return left;
  }

  // The object's COM identity: what QueryInterface(IID_IUnknown) answers.
  IUnknown* identity() { return static_cast<InterfaceOf<First>*>(static_cast<First*>(this)); }

 protected:
  virtual ~ComObject() = default;

  // Called once when the last reference is released. The default frees the object.
  virtual void OnFinalRelease() { delete this; }
  // Interfaces beyond the class's own (tear-offs); the result is not yet AddRef'd.
  virtual IUnknown* QueryExtra(REFIID) { return nullptr; }
  // AddRef unless the count already reached zero (the object is being released). For caches
  // that hold objects without owning them.
  bool TryAddRef() {
    ULONG n = refs_.load();
    while (n != 0) {
      if (refs_.compare_exchange_weak(n, n + 1)) return true;
    }
    return false;
  }

 private:
  template <typename I, typename... More>
  IUnknown* Find(REFIID riid) {
    if (InterfaceChainContains<InterfaceOf<I>>(riid)) return static_cast<InterfaceOf<I>*>(static_cast<I*>(this));
    if constexpr (sizeof...(More) > 0) {
      return Find<More...>(riid);
    } else {
      return nullptr;
    }
  }

  std::atomic<ULONG> refs_{1};
};

// An interface an object hands out as a separate pointer but with the owner's identity and
// reference count: QueryInterface for anything else, AddRef and Release go to the owner. Kept as
// a member of the owner, so asking twice gives the same pointer.
template <typename Interface>
class TearOff : public Interface {
 public:
  explicit TearOff(IUnknown* owner) : owner_(owner) {}
  TearOff(const TearOff&) = delete;
  TearOff& operator=(const TearOff&) = delete;

  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override {
    if (ppvObj != nullptr && riid != IID_IUnknown && InterfaceChainContains<Interface>(riid)) {
      AddRef();
      *ppvObj = static_cast<Interface*>(this);
      return S_OK;
    }
    return owner_->QueryInterface(riid, ppvObj);
  }
  STDMETHODIMP_(ULONG) AddRef() override { return owner_->AddRef(); }
  STDMETHODIMP_(ULONG) Release() override { return owner_->Release(); }

 protected:
  ~TearOff() = default;
  IUnknown* owner() const { return owner_; }

 private:
  IUnknown* owner_;  // not owned: the tear-off lives inside it
};

}  // namespace mapishut
