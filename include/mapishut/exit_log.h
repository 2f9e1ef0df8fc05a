// Where the subsystem keeps the durable record of every exit, and how to read it back
// (`mapishut report`). One JSON object per line, oldest first; see docs/OPERATIONS.md for fields.
#pragma once

#include <string>
#include <vector>

namespace mapishut {

// $XDG_STATE_HOME/mapishut/exits.log (else ~/.local/state/mapishut/exits.log), or "" when
// neither XDG_STATE_HOME nor HOME is set.
std::string ExitLogPath();

// The complete lines of the log at `path`, oldest first; a line torn by a crash is left out.
std::vector<std::string> ReadExitLog(const std::string& path);

}  // namespace mapishut
