// A second MAPI client for the store tests: logs on to the default profile of the configuration
// directory given as its argument and prints what MAPILogonEx answered and why:
//   0x8004010B store database /tmp/.../store.db is already open in process 1234; ...
#include <mapicode.h>
#include <mapix.h>

#include <cstdio>
#include <string>

#include "mapishut/com_ptr.h"
#include "mapishut/subsystem.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  mapishut::SetConfigDirectory(argv[1]);
  if (FAILED(MAPIInitialize(nullptr))) return 3;
  mapishut::com_ptr<IMAPISession> session;
  const HRESULT hr = MAPILogonEx(0, nullptr, nullptr, MAPI_EXTENDED | MAPI_USE_DEFAULT, session.put());
  std::printf("0x%08X %s\n", static_cast<unsigned>(hr), mapishut::LastErrorMessage().c_str());
  if (session) session->Logoff(0, 0, 0);
  session.reset();
  MAPIUninitialize();
  return 0;
}
