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

// Creates `path` (which must not exist), writes `bytes` and fsyncs it: its data is on stable
// storage, though its name is not until the directory is fsynced. Removes the file on failure.
Status WriteNewFileSynced(const std::string& path, const std::string& bytes);

// fsyncs a directory, so that entries created or renamed in it are durable.
Status FsyncDirectory(const std::string& dir);

}  // namespace mapishut
