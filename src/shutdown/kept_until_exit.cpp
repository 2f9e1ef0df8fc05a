#include "kept_until_exit.h"

#include <mutex>
#include <vector>

namespace mapishut {

void KeepUntilExit(IUnknown* object) {
  if (object == nullptr) return;
  static std::mutex* const mutex = new std::mutex();
  static std::vector<IUnknown*>* const kept = new std::vector<IUnknown*>();  // never destroyed
  std::lock_guard lock(*mutex);
  kept->push_back(object);
}

}  // namespace mapishut
