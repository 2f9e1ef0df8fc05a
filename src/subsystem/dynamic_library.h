// The loader's seam to the operating system's dynamic loader, in the manner of LevelDB's Env:
// production code uses SystemLibraryLoader (dlopen with RTLD_NOW | RTLD_LOCAL); tests wrap it
// to make a symbol vanish or a library fail to open, without building broken libraries.
#pragma once

#include <memory>
#include <string>

#include "mapishut/status.h"

namespace mapishut {

class DynamicLibrary {
 public:
  virtual ~DynamicLibrary() = default;  // closes the library
  virtual const std::string& path() const = 0;
  // Looks up `name`. NotFound carries "no entry point [name] in <path>" and the loader's text.
  virtual Status Symbol(const char* name, void** address) = 0;
  // The OS handle, passed to entry points as their instance handle.
  virtual void* handle() const = 0;
};

class LibraryLoader {
 public:
  virtual ~LibraryLoader() = default;
  // Opens `path`. NotFound/IoError carries the path and dlerror()'s text.
  virtual Status Open(const std::string& path, std::unique_ptr<DynamicLibrary>* out) = 0;
};

// The process's loader (dlopen). Never null; lives for the whole process.
LibraryLoader* SystemLibraryLoader();

// Replaces the loader the subsystem uses (nullptr restores the system one). For tests; the
// caller keeps ownership and keeps the loader alive while the subsystem may load providers.
void SetLibraryLoaderForTesting(LibraryLoader* loader);
LibraryLoader* CurrentLibraryLoader();

}  // namespace mapishut
