// The main() of test programs whose tests change the process for good: a successful fast
// shutdown ends MAPI for the life of the process (SPEC.md), so two such tests cannot share one.
// ctest already runs each test in its own process; this main does the same when the program is
// run directly, so `./subsystem_test` (with or without --gtest_filter) runs every selected test,
// each in a fresh child, and prints one line per test and a summary.
//
// A child (MAPISHUT_TEST_CHILD set), --gtest_list_tests, or a selection of one test runs as
// plain GoogleTest.
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

constexpr const char* kChildVariable = "MAPISHUT_TEST_CHILD";

// Runs this program again with `args`; its exit status (-1 when it could not run).
int RunChild(const char* self, const std::vector<std::string>& args, std::string* output) {
  int fds[2] = {-1, -1};
  if (output != nullptr && pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    setenv(kChildVariable, "1", 1);
    if (output != nullptr) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(self));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(self, argv.data());
    _exit(127);
  }
  if (output != nullptr) {
    close(fds[1]);
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0) output->append(buffer, static_cast<size_t>(n));
    close(fds[0]);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The tests --gtest_list_tests prints for the current filter: "Suite.Test" each.
std::vector<std::string> SelectedTests(const char* self) {
  std::string listing;
  RunChild(self, {"--gtest_list_tests", "--gtest_filter=" + GTEST_FLAG_GET(filter)}, &listing);
  std::vector<std::string> tests;
  std::string suite;
  size_t start = 0;
  while (start < listing.size()) {
    size_t end = listing.find('\n', start);
    if (end == std::string::npos) end = listing.size();
    std::string line = listing.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const size_t comment = line.find("  #");
    if (comment != std::string::npos) line.erase(comment);
    if (line[0] != ' ') {
      suite = line;  // "Suite."
    } else {
      tests.push_back(suite + line.substr(line.find_first_not_of(' ')));
    }
  }
  return tests;
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const std::string filter = GTEST_FLAG_GET(filter);
  const bool one_test = filter != "*" && filter.find_first_of("*?:-") == std::string::npos;  // ctest's way
  if (getenv(kChildVariable) != nullptr || GTEST_FLAG_GET(list_tests) || one_test) return RUN_ALL_TESTS();
  const std::vector<std::string> tests = SelectedTests("/proc/self/exe");
  if (tests.size() <= 1) return RUN_ALL_TESTS();
  std::vector<std::string> failed;
  for (const auto& test : tests) {
    const int status = RunChild("/proc/self/exe", {"--gtest_filter=" + test}, nullptr);
    if (status != 0) failed.push_back(test + " (exit status " + std::to_string(status) + ")");
  }
  printf("\n%zu tests, each in its own process: %zu passed, %zu failed\n", tests.size(), tests.size() - failed.size(),
         failed.size());
  for (const auto& f : failed) printf("  FAILED %s\n", f.c_str());
  return failed.empty() ? 0 : 1;
}
