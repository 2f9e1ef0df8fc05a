// The spooler's job, done in-process and synchronously: when a store says a message is ready to
// send (IMAPISupport::SpoolerNotify(NOTIFY_READYTOSEND)), take each message of its outgoing
// queue (IMsgStore::GetOutgoingQueue), hand it to the session's transports
// (IXPLogon::SubmitMessage, first to accept wins), and tell the store it is done
// (IMsgStore::FinishedMsg). The caller keeps the store and the transports alive while it runs. Because the transport spools durably before SubmitMessage returns,
// a message is never only in memory once the client's IMessage::SubmitMessage has returned.
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <string>
#include <vector>

#include "mapishut/com_ptr.h"

namespace mapishut {

struct SpoolResult {
  int delivered = 0;
  std::vector<std::string> problems;  // for people: which message, which transport, what code
};

SpoolResult DeliverOutgoing(IMsgStore* store, const std::vector<IXPLogon*>& transports);

}  // namespace mapishut
