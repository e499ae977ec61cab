// The [sweep] section: what it accepts, and the file:line: key messages of what it refuses.
#include <catch2/catch.hpp>

#include "sweep/sweep_spec.hpp"

namespace vcsim {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_sweep_spec(text, "s.toml");
  } catch (const SweepError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a scenario without [sweep] has no sweep", "[sweep]") {
  CHECK_FALSE(parse_sweep_spec("name = \"x\"\n", "s.toml").has_value());
}

TEST_CASE("a grid of a list and a stepped range", "[sweep]") {
  const auto spec = parse_sweep_spec(R"(
[sweep]
replications = 3
seed = 11
[sweep.parameters]
"market.max_dilution" = { min = 0.2, max = 0.4, steps = 3 }
regions.US.births = [100, 250]
)",
                                     "s.toml");
  REQUIRE(spec.has_value());
  CHECK(spec->design == DesignKind::grid);
  CHECK(spec->replications == 3);
  CHECK(spec->seed == 11u);
  REQUIRE(spec->parameters.size() == 2);
  // Name order, whether the path was quoted or written as nested keys.
  CHECK(spec->parameters[0].path == "market.max_dilution");
  CHECK(spec->parameters[0].is_range());
  CHECK(spec->parameters[0].steps == 3);
  CHECK_FALSE(spec->parameters[0].integer);
  CHECK(spec->parameters[1].path == "regions.US.births");
  CHECK(spec->parameters[1].values == std::vector<double>{100, 250});
  CHECK(spec->parameters[1].integer);
  CHECK(spec->parameters[1].where == "s.toml:7");
}

TEST_CASE("bad sweep sections are refused naming file, line and key", "[sweep]") {
  CHECK(error_of("[sweep]\ndesign = \"lhs\"\nparameters = { a = [1] }\n") ==
        "s.toml:1: sweep.points: expected an integer >= 1 (required by a lhs design)");
  CHECK(error_of("[sweep]\ndesign = \"random\"\n[sweep.parameters]\na = [1]\n") ==
        "s.toml:2: sweep.design: expected one of \"grid\", \"lhs\", \"sobol\", \"saltelli\"");
  CHECK(error_of("[sweep]\n[sweep.parameters]\na = { min = 2, max = 2, steps = 3 }\n")
            .starts_with("s.toml:3: sweep.parameters.a: expected min < max, got an empty range"));
  CHECK(error_of("[sweep]\n[sweep.parameters]\na = { min = 0, max = 1 }\n") ==
        "s.toml:3: sweep.parameters.a.steps: expected an integer in [2, 100000]: a grid range "
        "needs its number of values");
  CHECK(error_of("[sweep]\n[sweep.parameters]\na = []\n") ==
        "s.toml:3: sweep.parameters.a: expected a non-empty list of numbers");
  CHECK(error_of("[sweep]\n[sweep.parameters]\na = [1, \"x\"]\n") ==
        "s.toml:3: sweep.parameters.a: expected a list of finite numbers");
  CHECK(error_of("[sweep]\npoint = 3\n[sweep.parameters]\na = [1]\n") ==
        "s.toml:2: sweep.point: unknown key; expected design, points, replications, seed or "
        "parameters");
  CHECK(error_of("[sweep]\nreplications = 0\n[sweep.parameters]\na = [1]\n") ==
        "s.toml:2: sweep.replications: expected an integer in [1, 100000]");
  CHECK(error_of("[sweep]\n").starts_with("s.toml:1: sweep.parameters: expected a table"));
  CHECK(error_of("[sweep]\n[sweep.parameters]\n\"a.b\" = [1]\na.b = [2]\n")
            .ends_with("sweep.parameters.a.b: expected each parameter once"));
}

TEST_CASE("sampled designs take ranges without steps and bound their dimensions", "[sweep]") {
  CHECK(error_of("[sweep]\ndesign = \"sobol\"\npoints = 8\n[sweep.parameters]\n"
                 "a = { min = 0, max = 1, steps = 2 }\n")
            .starts_with("s.toml:5: sweep.parameters.a.steps: expected no steps"));
  std::string many = "[sweep]\ndesign = \"saltelli\"\npoints = 8\n[sweep.parameters]\n";
  for (char name = 'a'; name <= 'k'; ++name) {
    many += name;
    many += " = { min = 0, max = 1 }\n";
  }
  CHECK(error_of(many) ==
        "s.toml:4: sweep.parameters: expected at most 10 parameters for a saltelli design, got 11");
}

}  // namespace vcsim
