// The process-wide state of the subsystem: how often MAPIInitialize was called, the sessions
// that are logged on (in logon order, for the coordinator), the provider libraries, and the one
// shutdown coordinator. One instance per process, never destroyed: a provider call abandoned at
// its deadline may still be running when the process exits.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../shutdown/coordinator.h"
#include "dynamic_library.h"

namespace mapishut {

class Session;

// The policy reader a process starts with (docs/POLICY.md).
std::shared_ptr<const PolicyReader> DefaultPolicyReader();

class Process {
 public:
  static Process& Get();

  HRESULT Initialize();
  // The last call shuts every session down normally and closes the provider libraries.
  void Uninitialize();
  bool initialized() const;

  ShutdownCoordinator& coordinator() { return coordinator_; }
  bool ended() const { return coordinator_.ended(); }

  // The next session's logon order (1, 2, ...).
  uint32_t NextSessionNumber();
  void AddSession(Session* session);
  void RemoveSession(Session* session);
  void KeepLibrary(std::unique_ptr<DynamicLibrary> library);


 private:
  Process();
  std::vector<ShutdownTarget> Targets();
  // Closes the provider libraries, unless a call abandoned at its deadline still runs in one.
  void CloseLibraries();

  mutable std::mutex mutex_;
  int init_count_ = 0;
  uint64_t cycle_ = 0;  // MAPI cycles begun (first MAPIInitialize to last MAPIUninitialize)
  uint32_t next_session_ = 1;
  std::vector<Session*> sessions_;  // logged on, in logon order; not owned (see Targets)
  std::vector<std::unique_ptr<DynamicLibrary>> libraries_;
  ShutdownCoordinator coordinator_;
};

}  // namespace mapishut
