// How the benchmarks turn measurements into the figures they print: the median of several runs,
// and the growth column (cost per item against the previous size's), one way for every program.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

// The middle of `runs`: one slow run (a page fault storm, an fsync that drifted) moves it little.
inline double Median(std::vector<double> runs) {
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

// "1.03x": the cost per item against the previous size's (1.00x is linear), or "-" for the first.
// `last` carries the previous size's cost from one row of a table to the next.
inline std::string Growth(double per_item, double* last) {
  char text[32] = "-";
  if (*last > 0) std::snprintf(text, sizeof text, "%.2fx", per_item / *last);
  *last = per_item;
  return text;
}
