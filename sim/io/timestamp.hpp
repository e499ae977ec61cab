#pragma once
// The creation time every file vcsim writes records in its `created` attribute.
#include <string>

namespace vcsim {

// Now, as ISO 8601 UTC to the second ("2025-01-31T12:00:00Z").
std::string utc_timestamp();

}  // namespace vcsim
