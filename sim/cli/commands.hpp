#pragma once
// The vcsim program's commands. Exit codes: 0 success, 1 a failure while running
// (I/O, output), 2 bad input (a scenario that does not validate, a bad argument).
namespace vcsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int main(int argc, char** argv);

}  // namespace vcsim::cli
