// `vcsim plan`: print the phases of a simulated month.
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "phases/plan.hpp"

namespace vcsim::cli {

namespace {

int plan_command() {
  std::printf("Before month 0: %.*s\n\nEach month, in order (MODEL.md section 3):\n",
              static_cast<int>(kBeforeFirstMonth.size()), kBeforeFirstMonth.data());
  int step = 1;
  for (const Phase& p : kMonthPlan) {
    std::printf("  %d. %-12s [%.*s]%s %.*s\n", step++, std::string(p.name).c_str(),
                static_cast<int>(p.model_section.size()), p.model_section.data(),
                p.january_only ? " (January)" : "", static_cast<int>(p.description.size()),
                p.description.data());
  }
  return kExitOk;
}

}  // namespace

Command add_plan_command(CLI::App& app) {
  auto* plan = app.add_subcommand("plan", "print the phases of a simulated month");
  return {plan, [] { return plan_command(); }};
}

}  // namespace vcsim::cli
