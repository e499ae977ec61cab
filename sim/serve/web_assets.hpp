#pragma once
// The teaching page's files (web/), compiled into the program at build time
// (cmake/web_assets.cmake), so the page and its chart library work with no network and
// no files beside the program.
#include <string_view>
#include <vector>

namespace vcsim::serve {

struct WebAsset {
  std::string_view path;  // URL path, e.g. "/vendor/chart.umd.min.js"; "/" is index.html
  std::string_view body;
};

const std::vector<WebAsset>& web_assets();

}  // namespace vcsim::serve
