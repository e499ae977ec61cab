// The calibration journal: evaluations come back bit for bit, a cut-off last line is
// dropped, and a journal is never silently overwritten or reused for something else.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>

#include "../support/temp_dir.hpp"
#include "calibrate/journal.hpp"

using vcsim::Evaluation;
using vcsim::Journal;
using vcsim::JournalError;

namespace {

Evaluation evaluation(double a, double b) {
  Evaluation e;
  e.values = {a, b};
  e.objective = a * 3.1 + b / 7.0;
  vcsim::MomentStats m;
  m.mean = a / 3.0;
  m.sd = 0.1 / 3.0;
  m.min = -1e-300;
  m.max = 1e300;
  m.n = 17;
  vcsim::MomentStats missing;
  missing.mean = missing.sd = missing.min = missing.max = std::numeric_limits<double>::quiet_NaN();
  e.moments = {m, missing};
  return e;
}

std::string contents(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("Journalled evaluations replay bit for bit", "[calibrate][journal]") {
  vcsim::testing::TempDir dir;
  const std::string path = dir.file("fit.h5.evals");
  const Evaluation first = evaluation(0.1, 1.0 / 3.0), second = evaluation(0.7, 2e-8);
  {
    Journal j(path, "abc", 2, 2, false);
    j.append(first);
    j.append(second);
  }
  Journal j(path, "abc", 2, 2, true);
  REQUIRE(j.stored() == 2);
  const Evaluation* got = j.find(second.values);
  REQUIRE(got != nullptr);
  CHECK(got->objective == second.objective);
  CHECK(got->moments[0].mean == second.moments[0].mean);
  CHECK(got->moments[0].sd == second.moments[0].sd);
  CHECK(got->moments[0].min == second.moments[0].min);
  CHECK(got->moments[0].max == second.moments[0].max);
  CHECK(got->moments[0].n == 17);
  CHECK(std::isnan(got->moments[1].mean));
  CHECK(j.find({0.1, 0.3333}) == nullptr);
}

TEST_CASE("A journal line cut off by a kill is dropped", "[calibrate][journal]") {
  vcsim::testing::TempDir dir;
  const std::string path = dir.file("fit.h5.evals");
  {
    Journal j(path, "abc", 2, 2, false);
    j.append(evaluation(0.1, 0.2));
  }
  { std::ofstream(path, std::ios::app) << "eval 0x1.8p-1 0x1p-2 0x1.2"; }
  {
    Journal j(path, "abc", 2, 2, true);
    CHECK(j.stored() == 1);
    j.append(evaluation(0.3, 0.4));
  }
  const std::string text = contents(path);
  CHECK(text.find("0x1.2\n") == std::string::npos);
  Journal j(path, "abc", 2, 2, true);
  CHECK(j.stored() == 2);
}

TEST_CASE("A journal is neither overwritten nor reused for other inputs", "[calibrate][journal]") {
  vcsim::testing::TempDir dir;
  const std::string path = dir.file("fit.h5.evals");
  {
    Journal j(path, "abc", 2, 2, false);
    j.append(evaluation(0.1, 0.2));
  }
  CHECK_THROWS_WITH(Journal(path, "abc", 2, 2, false), Catch::Contains("--resume"));
  CHECK_THROWS_AS(Journal(path, "other", 2, 2, true), JournalError);
  CHECK_THROWS_AS(Journal(path, "abc", 3, 2, true), JournalError);
  CHECK(Journal(path, "abc", 2, 2, true).stored() == 1);
}

TEST_CASE("Fingerprints are stable and tell texts apart", "[calibrate][journal]") {
  // FNV-1a 64 of "a" (a published test vector).
  CHECK(vcsim::fingerprint_of("a") == "af63dc4c8601ec8c");
  CHECK(vcsim::fingerprint_of("seed 1") != vcsim::fingerprint_of("seed 2"));
}
