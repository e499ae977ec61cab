#include "model/startups.hpp"

#include <tbb/task_group.h>

#include <cmath>

namespace vcsim {

std::size_t Startups::add(std::uint32_t identity, int month, int region_index, int sector_index,
                          int locality_index, double quality, double log_value, double founder_cash,
                          double initial_burn) {
  const std::size_t slot = size();
  for_each_column([](auto& column) { column.emplace_back(); });
  id[slot] = identity;
  birth_month[slot] = static_cast<std::int16_t>(month);
  region[slot] = static_cast<std::uint8_t>(region_index);
  sector[slot] = static_cast<std::uint8_t>(sector_index);
  locality[slot] = static_cast<std::uint16_t>(locality_index);
  log_q[slot] = quality;
  log_f[slot] = log_value;
  cash[slot] = founder_cash;
  burn[slot] = initial_burn;
  status[slot] = Status::alive;
  for (auto& column : stage_month) column[slot] = kNever;
  stage_month[0][slot] = static_cast<std::int16_t>(month);
  unicorn_month[slot] = kNever;
  end_month[slot] = kNever;
  return slot;
}

void Startups::remove_ended() {
  std::size_t first_ended = 0;
  while (first_ended < size() && status[first_ended] == Status::alive) ++first_ended;
  std::size_t ended = 0;
  for (std::size_t i = first_ended; i < size(); ++i) ended += status[i] != Status::alive;
  // Compacting moves every column; waiting until a sixteenth of the slots have ended
  // keeps that cost small (about 2 % of a replication), and every phase skips ended
  // startups meanwhile (about 2 % of the slots scanned).
  if (ended * 16 < size()) return;
  std::vector<std::size_t> kept;
  kept.reserve(size() - first_ended - ended);
  for (std::size_t i = first_ended; i < size(); ++i)
    if (status[i] == Status::alive) kept.push_back(i);
  // The slots before the first ended one stay; each column gathers the rest, the
  // columns side by side on TBB's threads.
  tbb::task_group columns;
  for_each_column([&](auto& column) {
    columns.run([&column, &kept, first_ended] {
      std::size_t out = first_ended;
      for (std::size_t i : kept) column[out++] = std::move(column[i]);
      column.resize(out);
    });
  });
  columns.wait();
}

}  // namespace vcsim
