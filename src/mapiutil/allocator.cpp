// MAPIAllocateBuffer / MAPIAllocateMore / MAPIFreeBuffer: a buffer and everything allocated "more"
// onto it are freed together by one MAPIFreeBuffer, which is how MAPI hands out property arrays
// whose strings live in separate blocks.
#include <mapicode.h>
#include <mapix.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

namespace {

// Each block starts with this header; the caller sees the bytes after it.
struct alignas(std::max_align_t) BlockHeader {
  uint32_t magic;
  BlockHeader* parent;     // null for a buffer from MAPIAllocateBuffer
  BlockHeader* next_more;  // the chain of blocks allocated onto the same parent
};
constexpr uint32_t kLiveMagic = 0x4D415049;  // "MAPI"

std::mutex g_chain_mutex;  // guards the next_more chains

BlockHeader* HeaderOf(void* p) { return static_cast<BlockHeader*>(p) - 1; }

void* NewBlock(ULONG cb, BlockHeader* parent) {
  auto* h = static_cast<BlockHeader*>(std::malloc(sizeof(BlockHeader) + (cb ? cb : 1)));
  if (!h) return nullptr;
  h->magic = kLiveMagic;
  h->parent = parent;
  h->next_more = nullptr;
  return h + 1;
}

}  // namespace

STDAPI_(SCODE) MAPIAllocateBuffer(ULONG cbSize, LPVOID FAR* lppBuffer) {
  if (lppBuffer == nullptr) return MAPI_E_INVALID_PARAMETER;
  *lppBuffer = NewBlock(cbSize, nullptr);
  return *lppBuffer ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

STDAPI_(SCODE) MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID FAR* lppBuffer) {
  if (lppBuffer == nullptr || lpObject == nullptr) return MAPI_E_INVALID_PARAMETER;
  BlockHeader* parent = HeaderOf(lpObject);
  if (parent->magic != kLiveMagic) return MAPI_E_INVALID_PARAMETER;
  while (parent->parent) parent = parent->parent;  // "more" onto a "more" block joins the root
  void* p = NewBlock(cbSize, parent);
  if (!p) return MAPI_E_NOT_ENOUGH_MEMORY;
  std::lock_guard lock(g_chain_mutex);
  HeaderOf(p)->next_more = parent->next_more;
  parent->next_more = HeaderOf(p);
  *lppBuffer = p;
  return S_OK;
}

STDAPI_(ULONG) MAPIFreeBuffer(LPVOID lpBuffer) {
  if (lpBuffer == nullptr) return 0;
  BlockHeader* root = HeaderOf(lpBuffer);
  if (root->magic != kLiveMagic || root->parent != nullptr) return 0;  // not ours, or a "more" block
  BlockHeader* more;
  {
    std::lock_guard lock(g_chain_mutex);
    more = root->next_more;
    root->next_more = nullptr;
  }
  while (more) {
    BlockHeader* next = more->next_more;
    more->magic = 0;
    std::free(more);
    more = next;
  }
  root->magic = 0;
  std::free(root);
  return 0;
}
