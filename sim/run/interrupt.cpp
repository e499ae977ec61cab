#include "run/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace vcsim {
namespace {

// Lock-free, so storing to it is async-signal-safe.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_interrupt_signal(int signal) { request_interrupt(signal); }

void install(int signal) {
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second signal takes the default action: exit
  sigaction(signal, &action, nullptr);
}

}  // namespace

Interrupted::Interrupted(int signal)
    : std::runtime_error("interrupted by " + signal_name(signal)), signal_(signal) {}

void install_interrupt_handlers() {
  install(SIGINT);
  install(SIGTERM);
}

void request_interrupt(int signal) noexcept { g_signal.store(signal, std::memory_order_relaxed); }
void clear_interrupt() noexcept { g_signal.store(0, std::memory_order_relaxed); }
int interrupt_signal() noexcept { return g_signal.load(std::memory_order_relaxed); }
bool interrupted() noexcept { return interrupt_signal() != 0; }

void throw_if_interrupted() {
  if (const int signal = interrupt_signal(); signal != 0) throw Interrupted(signal);
}

int interrupt_exit_code(int signal) { return 128 + signal; }

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

}  // namespace vcsim
