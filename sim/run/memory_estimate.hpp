#pragma once
// An estimate of a run's peak memory, made before anything runs, so that a scenario too
// big for the machine is refused with the estimate in the message rather than killed by
// the kernel hours later (docs/reliability.md states its measured accuracy).
//
// Peak memory = the program itself + the worlds simulated at once (their startups at the
// largest expected stock, their funds, which are never removed, and the fund table each
// writes as it ends, which goes to disk) + every replication's recorded arrays, which
// are held until the output is written + the micro-data rows of the worlds in flight
// when asked for (they go to disk too).
#include <cstdint>
#include <optional>
#include <string>

#include "run/replication.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

struct MemoryEstimate {
  std::uint64_t program = 0;        // code, libraries, thread stacks, allocator arenas
  std::uint64_t worlds = 0;         // the worlds simulated at once
  std::uint64_t results = 0;        // every replication's recorded arrays
  std::uint64_t micro_data = 0;     // per-startup and per-investment rows
  std::uint64_t peak_startups = 0;  // expected largest startup stock of one world
  std::uint64_t funds = 0;          // expected funds of one world (never removed)
  int concurrent = 0;               // replications simulated at once

  std::uint64_t total() const { return program + worlds + results + micro_data; }
  // One line: "about 1.2 GiB (2 worlds at once of about 85,000 startups and 9,000
  // funds each: 60 MiB; ...)".
  std::string describe() const;
};

MemoryEstimate estimate_memory(const Scenario& scenario, int replications, int threads,
                               MicroData micro_data);

// Memory this process may still use: MemAvailable of /proc/meminfo, lowered to what the
// cgroup's memory.max leaves (a batch job's limit). Nothing when neither can be read.
std::optional<std::uint64_t> available_memory();

// Parses a size such as "512M", "8G", "1.5GiB", "2000000" (bytes). K, M, G and T (with or
// without "i" and "B") are powers of 1024. Throws std::invalid_argument naming `text`.
std::uint64_t parse_memory_size(const std::string& text);

// "1.2 GiB", "340 MiB", "12 KiB", "100 B".
std::string format_bytes(std::uint64_t bytes);

}  // namespace vcsim
