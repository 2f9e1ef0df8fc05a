// IStream through the gate: what IMAPIProp::OpenProperty(IID_IStream) hands a client. COM's
// IStream has no MAPI_I*_METHODS macro; its order is mapiwin.h's (COM's).
#include "gated_prop.h"

namespace mapishut {
namespace {

class GatedStream final : public Gated<GatedStream, IStream> {
 public:
  using Gated::Gated;
  STDMETHODIMP Read(void* pv, ULONG cb, ULONG* pcbRead) override { return Forward(&IStream::Read, pv, cb, pcbRead); }
  STDMETHODIMP Write(const void* pv, ULONG cb, ULONG* pcbWritten) override { return Forward(&IStream::Write, pv, cb, pcbWritten); }
  STDMETHODIMP Seek(LARGE_INTEGER dlibMove, DWORD dwOrigin, ULARGE_INTEGER* plibNewPosition) override {
    return Forward(&IStream::Seek, dlibMove, dwOrigin, plibNewPosition);
  }
  STDMETHODIMP SetSize(ULARGE_INTEGER libNewSize) override { return Forward(&IStream::SetSize, libNewSize); }
  STDMETHODIMP CopyTo(IStream* pstm, ULARGE_INTEGER cb, ULARGE_INTEGER* pcbRead, ULARGE_INTEGER* pcbWritten) override {
    return Forward(&IStream::CopyTo, pstm, cb, pcbRead, pcbWritten);
  }
  STDMETHODIMP Commit(DWORD grfCommitFlags) override { return Forward(&IStream::Commit, grfCommitFlags); }
  STDMETHODIMP Revert() override { return Forward(&IStream::Revert); }
  STDMETHODIMP LockRegion(ULARGE_INTEGER libOffset, ULARGE_INTEGER cb, DWORD dwLockType) override {
    return Forward(&IStream::LockRegion, libOffset, cb, dwLockType);
  }
  STDMETHODIMP UnlockRegion(ULARGE_INTEGER libOffset, ULARGE_INTEGER cb, DWORD dwLockType) override {
    return Forward(&IStream::UnlockRegion, libOffset, cb, dwLockType);
  }
  STDMETHODIMP Stat(STATSTG* pstatstg, DWORD grfStatFlag) override { return Forward(&IStream::Stat, pstatstg, grfStatFlag); }
  STDMETHODIMP Clone(IStream** ppstm) override {
    return HandBack(Forward(&IStream::Clone, ppstm), IID_IStream, reinterpret_cast<void**>(ppstm));
  }
};

}  // namespace

void* NewGatedStream(const Gate& gate, IStream* inner) { return static_cast<IStream*>(new GatedStream(gate, inner)); }

}  // namespace mapishut
