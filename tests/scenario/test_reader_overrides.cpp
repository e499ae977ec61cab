// Values set by dotted path after includes (`vcsim run --set`, sweeps, calibration).
#include <catch2/catch.hpp>
#include <string>

#include "scenario/reader.hpp"

using namespace vcsim;

namespace {

const std::string kSmall = VCSIM_SOURCE_DIR "/scenarios/small.toml";

const RegionSpec& region(const Scenario& s, const std::string& name) {
  for (const auto& r : s.regions)
    if (r.name == name) return r;
  FAIL("no region " << name);
  return s.regions.front();
}

std::string error_with(const std::vector<Override>& overrides) {
  try {
    read_scenario(kSmall, overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("overrides: a dotted path replaces one value after includes", "[scenario]") {
  const Scenario plain = read_scenario(kSmall);
  const Scenario set = read_scenario(
      kSmall, {{"regions.US.ipo_rate", "0.25", "--set"}, {"run.seed", "99", "--set"}});
  CHECK(region(set, "US").ipo_rate.at_month(0, 2000) == 0.25);
  CHECK(region(plain, "US").ipo_rate.at_month(0, 2000) != 0.25);
  CHECK(set.seed == 99u);
  CHECK(region(set, "CN").ipo_rate.at_month(0, 2000) ==
        region(plain, "CN").ipo_rate.at_month(0, 2000));
  // The stored scenario text carries the overridden value, so the output says what ran.
  CHECK(set.resolved_text.find("ipo_rate = 0.25") != std::string::npos);
}

TEST_CASE("overrides: later overrides win and an integral float stays an integer", "[scenario]") {
  const Scenario s = read_scenario(
      kSmall, {{"run.replications", "3.0", "sweep"}, {"run.replications", "5", "sweep"}});
  CHECK(s.replications == 5);
  CHECK(read_scenario(kSmall, {{"run.replications", "4.0", "sweep"}}).replications == 4);
}

TEST_CASE("overrides: bad overrides are refused naming their origin and key", "[scenario]") {
  CHECK(error_with({{"nosuch.table.key", "1", "--set"}}) ==
        "--set: nosuch.table.key: expected a path into the scenario, but it has no table "
        "nosuch");
  CHECK_THAT(error_with({{"regions.US.ipo_rat", "0.1", "--set x"}}),
             Catch::StartsWith("--set x:1: regions.US.ipo_rat: unknown key (did you mean "
                               "ipo_rate?)"));
  CHECK_THAT(error_with({{"regions.US.ipo_rate", "-1", "point 3"}}),
             Catch::StartsWith("point 3:1: regions.US.ipo_rate: expected"));
  CHECK_THAT(error_with({{"regions.US.ipo_rate", "abc", "--set"}}),
             Catch::Contains("expected a TOML value"));
  CHECK_THAT(error_with({{"regions.US.", "1", "--set"}}), Catch::Contains("expected a dotted key"));
}

TEST_CASE("overrides: KEY=VALUE assignments parse with spaces trimmed", "[scenario]") {
  const Override o = parse_override(" market.min_fill = 0.5 ", "--set");
  CHECK(o.key == "market.min_fill");
  CHECK(o.value == "0.5");
  CHECK(o.origin == "--set");
  CHECK_THROWS_AS(parse_override("market.min_fill", "--set"), ScenarioError);
  CHECK_THROWS_AS(parse_override("=1", "--set"), ScenarioError);
}

TEST_CASE("characters: non-ASCII text is read in comments and strings, refused elsewhere",
          "[scenario]") {
  // A comment in Chinese and a name with accents read; a Cyrillic or Latin-1 letter in a
  // key (where toml++ 3.3 would reach undefined behaviour) is refused with its line.
  CHECK_NOTHROW(check_toml_characters("# 中文注释 é €\nname = \"Zürich ×\"\n", "a.toml"));
  CHECK_NOTHROW(check_toml_characters("x = '''é\n×'''\ny = \"\"\"\\\"é\n\"\"\"\n", "a.toml"));
  CHECK_THROWS_WITH(check_toml_characters("# ok é\nregions.US\xd2\x96p = 1\n", "a.toml"),
                    "a.toml:2: expected ASCII outside comments and strings (keys, numbers, "
                    "dates), got a non-ASCII character");
  CHECK_THROWS_WITH(check_toml_characters("x = \"a\\\"\" \xc3\x97\n", "b.toml"),
                    Catch::StartsWith("b.toml:1: expected ASCII"));
  CHECK_THROWS_AS(read_scenario(kSmall, {{"market.min_fill", "0.5\xc3\x97", "--set"}}),
                  ScenarioError);
  // Strings where TOML puts them: quoted keys, table headers, arrays, inline tables.
  CHECK_NOTHROW(check_toml_characters(
      "\"k\u00e9\" = 1\n[a.\"\xc3\xa9\"]\nb=[1, \"\xc3\xa9\"]\nc = { d = '\xc3\xa9' }\n",
      "c.toml"));
  // A line-ending backslash in a multi-line string reads when an ASCII character
  // follows the blanks; a non-ASCII one there, or straight after a backslash, is refused
  // (toml++ 3.3 classifies it as a blank or not with undefined behaviour).
  CHECK_NOTHROW(check_toml_characters("x = \"\"\"a\\\n  b \xc3\xa9\\\"\"\"\"\n", "e.toml"));
  CHECK_THROWS_WITH(check_toml_characters("x = \"\"\"a\\\n\n  \xc3\xa9\"\"\"\n", "f.toml"),
                    Catch::StartsWith("f.toml:3: expected an ASCII character after a backslash"));
  CHECK_THROWS_WITH(check_toml_characters("x = \"\"\"\\\xc3\xa9\"\"\"\n", "g.toml"),
                    Catch::StartsWith("g.toml:1: expected an ASCII character after a backslash"));
  // A quote straight after a value opens no string (toml++ scans on through it).
  CHECK_THROWS_WITH(check_toml_characters("x = 0\"\xd1\x84\"\n", "d.toml"),
                    Catch::StartsWith("d.toml:1: expected ASCII"));
}
