#pragma once
// Stopping a run on Ctrl-C (SIGINT) or SIGTERM. The handler only records the signal in
// a lock-free atomic (the one thing a signal handler may safely do); the replication
// loop polls it once per simulated month and throws Interrupted, so a run stops within
// a month's work (milliseconds) and unwinds normally: no output is half-written because
// the output file is written only after every replication has finished.
//
// The flag is process-wide by nature (signals are), the one piece of global state in
// vcsim. Commands that run replications (run, sweep) install the handlers; library
// code and tests that never install them are unaffected unless they raise the flag.
#include <stdexcept>
#include <string>

namespace vcsim {

// Thrown by the replication loop once an interrupt was requested.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Installs handlers for SIGINT and SIGTERM that request an interrupt. Each handler is
// one-shot (SA_RESETHAND): a second Ctrl-C kills the program at once, for a user who
// does not want to wait.
void install_interrupt_handlers();

// Records `signal` as if it had been received (what the handler does; also for tests).
void request_interrupt(int signal) noexcept;
// Forgets a recorded interrupt (tests, and a program that handled one and goes on).
void clear_interrupt() noexcept;

// The signal received, or 0 if none.
int interrupt_signal() noexcept;
bool interrupted() noexcept;
// Throws Interrupted if an interrupt was requested; called once per simulated month.
void throw_if_interrupted();

// The shell's convention for a program ended by `signal`: 128 + signal (130 for SIGINT,
// 143 for SIGTERM).
int interrupt_exit_code(int signal);
// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int signal);

}  // namespace vcsim
