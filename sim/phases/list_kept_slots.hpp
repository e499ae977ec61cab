#pragma once
// Listing the slots a scan keeps without a branch per slot. Where the kept slots follow
// no pattern (the stalls after the market, a grant's eligible startups), a branch per
// slot mispredicts often; instead every slot is written at the list's end and the end
// moves on only for a kept one.
#include <cstddef>
#include <cstdint>

namespace vcsim {

// Writes the slots i of [begin, end) for which kept(i) is 1 (kept returns 0 or 1) to
// out, in slot order, and returns how many there are. out must have room for
// end - begin slots.
template <typename Kept>
std::size_t list_kept_slots(std::size_t begin, std::size_t end, Kept&& kept, std::uint32_t* out) {
  std::size_t count = 0;
  for (std::size_t i = begin; i < end; ++i) {
    out[count] = static_cast<std::uint32_t>(i);
    count += kept(i);
  }
  return count;
}

}  // namespace vcsim
