// The offline address list: contacts downloaded from a directory of .vcf files (standing in for
// the server) into memory, and saved to SQLite with the sync position in one durable transaction.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "mapishut/status.h"
#include "vcard.h"

namespace mapishut {

class OabCache {
 public:
  // Opens (creating) the cache at `path` and loads what was saved, all of it: a cache that cannot
  // be read whole is refused, naming the file (Status::Corrupt when it is damaged).
  static Status Open(const std::string& path, std::unique_ptr<OabCache>* out);
  ~OabCache();

  // Downloads the cards changed since the sync position from `server_dir`, one file at a time,
  // stopping between files when `stop` is requested; the position only advances past files that
  // were taken in, so the next refresh completes the job.
  Status Refresh(const std::string& server_dir, std::stop_token stop);
  // Saves the cards new or changed since the last successful Save, and the sync position, in one
  // transaction that is on stable storage when it returns OK; its cost does not grow with the
  // number of cards that did not change. On failure nothing is saved and the changes stay for
  // the next Save - except after a failed fsync: then every later Save fails with that error
  // without writing (the failed fsync may have dropped pages; a retry would promise nothing).
  Status Save();

  std::vector<Contact> Contacts();
  std::string sync_position();
  // How many card rows the last successful Save wrote: lets tests and benchmarks see that a
  // Save writes only what changed.
  size_t cards_written_by_last_save();

 private:
  OabCache() = default;
  // All with mutex_ held.
  void TakeIn(const Contact& c);
  bool WriteDirtyCards(size_t* written);
  bool WritePosition();
  bool Exec(const char* sql);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, Contact> contacts_;  // by UID
  std::string position_;                     // "<mtime ns>/<file name>" of the last file taken in
  // UIDs of the cards new or changed since the last successful Save. The cache never drops a
  // card (the server directory has no deletions), so every one of them is in contacts_.
  std::set<std::string> dirty_;
  size_t cards_written_by_last_save_ = 0;
  Status sync_failure_;  // set for good by a Save whose fsync failed
};

}  // namespace mapishut
