// The path a MAPI client takes to its inbox (SPEC.md, "How clients reach their data"), shared by
// `mapishut demo` and `mapishut check`: the default store from GetMsgStoresTable, OpenMsgStore,
// then GetReceiveFolder and OpenEntry.
#pragma once

#include <mapix.h>

#include "mapishut/com_ptr.h"

HRESULT OpenMailbox(IMAPISession* s, mapishut::com_ptr<IMsgStore>* store, mapishut::com_ptr<IMAPIFolder>* inbox);
