#include "thread_ticks.h"

#include <dirent.h>

#include <cstdlib>
#include <sstream>

#include "mapishut/text.h"

std::map<long, std::pair<std::string, long>> ThreadTicks(const std::string& task_dir) {
  std::map<long, std::pair<std::string, long>> ticks;
  DIR* dir = opendir(task_dir.c_str());
  if (!dir) return ticks;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    // ReadFile, not a stream: a stream throws when a read fails after the open (ESRCH once the
    // thread has ended), and that took the whole check down.
    std::string stat;
    if (!mapishut::ReadFile(task_dir + "/" + e->d_name + "/stat", &stat)) continue;
    const size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 > stat.size()) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {  // fields 14 and 15 of proc(5): utime, stime
      if (i == 14) utime = std::atol(field.c_str());
      if (i == 15) stime = std::atol(field.c_str());
    }
    ticks[std::atol(e->d_name)] = {stat.substr(open + 1, close - open - 1), utime + stime};
  }
  closedir(dir);
  return ticks;
}
