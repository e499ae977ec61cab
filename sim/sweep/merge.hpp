#pragma once
// `vcsim merge SHARD... -o SWEEP.h5`: joins the files of `vcsim sweep --shard K/N` into
// the one file the whole sweep would have written, bit for bit in every dataset.
#include <string>
#include <vector>

namespace vcsim {

// Refuses (SweepError) files that are not sweep files, shards of different sweeps
// (scenario, seed, design, replications, parameters) or of different vcsim builds
// (engine version and git revision), and points missing or given twice.
void merge_shards(const std::vector<std::string>& shards, const std::string& output);

}  // namespace vcsim
