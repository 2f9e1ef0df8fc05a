// An owning smart pointer for COM/MAPI interfaces, after WIL's com_ptr_nothrow: it AddRefs on
// copy, Releases on reset and destruction, and queries with error codes, never exceptions, so it
// is safe on both sides of a provider's ABI boundary.
//
//   mapishut::com_ptr<IMAPISession> session;
//   RETURN_IF_FAILED(MAPILogonEx(0, name, nullptr, flags, session.put()));
//   auto shutdown = session.try_query<IMAPIClientShutdown>();  // may be null; the IID comes from the traits
//   RETURN_IF_FAILED(session.query_to(shutdown.put()));
#pragma once

#include <mapidefs.h>

#include "mapishut/interface_traits.h"

#include <cstddef>
#include <utility>

namespace mapishut {

template <typename T>
class com_ptr {
 public:
  com_ptr() = default;
  com_ptr(std::nullptr_t) {}
  // Takes a new reference to `p` (AddRef). Use attach() to adopt one already owned.
  explicit com_ptr(T* p) : p_(p) { if (p_) p_->AddRef(); }
  com_ptr(const com_ptr& o) : com_ptr(o.p_) {}
  com_ptr(com_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  com_ptr& operator=(const com_ptr& o) {
    com_ptr(o).swap(*this);
    return *this;
  }
  com_ptr& operator=(com_ptr&& o) noexcept {
    com_ptr(std::move(o)).swap(*this);
    return *this;
  }
  ~com_ptr() { reset(); }

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

  void reset() {
    if (T* p = std::exchange(p_, nullptr)) p->Release();
  }
  // Adopts a reference the caller already owns (no AddRef).
  void attach(T* p) {
    reset();
    p_ = p;
  }
  // Gives up ownership without Release; the caller now owns the reference.
  [[nodiscard]] T* detach() { return std::exchange(p_, nullptr); }
  // Releases the current pointer and returns the slot for an out-parameter (T**).
  T** put() {
    reset();
    return &p_;
  }
  // The same slot typed for out-parameters declared as LPUNKNOWN* or void**.
  template <typename Slot>
  Slot** put_as() {
    reset();
    return reinterpret_cast<Slot**>(&p_);
  }
  // Hands a new reference to an out-parameter; null stays null.
  void copy_to(T** out) const {
    *out = p_;
    if (p_) p_->AddRef();
  }
  void swap(com_ptr& o) noexcept { std::swap(p_, o.p_); }

  // QueryInterface into `*out`; returns the provider's HRESULT.
  template <typename U>
  HRESULT query_to(REFIID iid, U** out) const {
    *out = nullptr;
    if (!p_) return E_POINTER;
    return p_->QueryInterface(iid, reinterpret_cast<void**>(out));
  }
  template <typename U>
  HRESULT query_to(U** out) const {
    return query_to(IidOf<U>(), out);
  }
  // QueryInterface, or null when the interface is unsupported (which is normal, not an error).
  template <typename U>
  com_ptr<U> try_query() const {
    com_ptr<U> result;
    if (p_ && FAILED(p_->QueryInterface(IidOf<U>(), reinterpret_cast<void**>(result.put())))) result.reset();
    return result;
  }

  friend bool operator==(const com_ptr& a, std::nullptr_t) { return a.p_ == nullptr; }

 private:
  T* p_ = nullptr;
};

// Adopts an owned reference: auto s = mapishut::adopt(raw_from_factory);
template <typename T>
com_ptr<T> adopt(T* owned) {
  com_ptr<T> p;
  p.attach(owned);
  return p;
}

}  // namespace mapishut
