// The smallest MAPI client that exits the way mapishut promises: log on, work, and leave with
// one call that either lets the process exit at once or does the normal shutdown.
#include <mapix.h>
#include <mapishut/client_exit.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (FAILED(MAPIInitialize(nullptr))) return 1;
  LPMAPISESSION session = nullptr;
  HRESULT hr = MAPILogonEx(0, argc > 1 ? argv[1] : nullptr, nullptr, MAPI_EXTENDED | MAPI_USE_DEFAULT, &session);
  if (FAILED(hr)) return std::printf("logon failed: 0x%08X\n", static_cast<unsigned>(hr)), 1;
  // ... the client's work ...
  mapishut::ExitDecision exit = mapishut::PrepareToExit(session);
  std::printf("%s\n", exit.why.c_str());
  if (exit.exit_now) std::_Exit(0);  // no further MAPI call, not even Release
  session->Release();                  // the normal shutdown already logged off and uninitialized
  return 0;
}
