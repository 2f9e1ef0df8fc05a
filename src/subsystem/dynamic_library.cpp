#include "dynamic_library.h"

#include <dlfcn.h>

#include <atomic>
#include <mutex>

namespace mapishut {
namespace {

// dlerror() keeps its message in per-thread state, but the text itself is only valid until the
// next dl* call; copy it at once.
std::string LastDlError() {
  const char* e = dlerror();
  return e ? std::string(e) : std::string("unknown error");
}

class PosixLibrary final : public DynamicLibrary {
 public:
  PosixLibrary(std::string path, void* handle) : path_(std::move(path)), handle_(handle) {}
  ~PosixLibrary() override { dlclose(handle_); }

  const std::string& path() const override { return path_; }
  void* handle() const override { return handle_; }

  Status Symbol(const char* name, void** address) override {
    dlerror();
    void* sym = dlsym(handle_, name);
    if (sym == nullptr) {
      return Status::NotFound(std::string("no entry point [") + name + "] in " + path_ + ": " + LastDlError());
    }
    *address = sym;
    return Status::Ok();
  }

 private:
  std::string path_;
  void* handle_;
};

class PosixLoader final : public LibraryLoader {
 public:
  Status Open(const std::string& path, std::unique_ptr<DynamicLibrary>* out) override {
    // RTLD_LOCAL: providers never see each other's symbols; RTLD_NOW: an unresolved symbol is a
    // load error now, with a message, instead of a crash in the middle of a shutdown.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return Status::NotFound("cannot load " + path + ": " + LastDlError());
    *out = std::make_unique<PosixLibrary>(path, handle);
    return Status::Ok();
  }
};

std::atomic<LibraryLoader*> g_loader{nullptr};

}  // namespace

LibraryLoader* SystemLibraryLoader() {
  static PosixLoader loader;
  return &loader;
}

void SetLibraryLoaderForTesting(LibraryLoader* loader) { g_loader.store(loader); }

LibraryLoader* CurrentLibraryLoader() {
  LibraryLoader* l = g_loader.load();
  return l ? l : SystemLibraryLoader();
}

}  // namespace mapishut
