// `mapishut check`'s measure of busy threads: the CPU time of each thread of this process, read
// from proc(5).
#pragma once

#include <map>
#include <string>
#include <utility>

// By thread id: the thread's name and its CPU time in clock ticks (utime + stime), read from
// `task_dir`/<tid>/stat. A thread that ends while it is read is left out: its stat can vanish
// after the listing, or fail to read after it opened.
std::map<long, std::pair<std::string, long>> ThreadTicks(const std::string& task_dir = "/proc/self/task");
