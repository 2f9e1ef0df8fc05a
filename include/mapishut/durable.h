// Helpers for saving so that it survives SIGKILL and power loss, in SQLite's manner of caring
// what is durable when.
#pragma once

#include <string>

#include "mapishut/status.h"

namespace mapishut {

// Writes `bytes` to dir/name so that after it returns OK the file is complete on stable storage,
// and a crash at any moment leaves either the old file or the new one, never a torn one:
// write dir/.name.tmp, fsync it, rename it over dir/name, fsync the directory.
Status WriteFileDurably(const std::string& dir, const std::string& name, const std::string& bytes);

// fsyncs a directory, so that entries created or renamed in it are durable.
Status FsyncDirectory(const std::string& dir);

}  // namespace mapishut
