#include "calibrate/fit_output.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "io/durable_rename.hpp"
#include "io/hdf5.hpp"
#include "io/timestamp.hpp"
#include "scenario/reader.hpp"
#include "version.hpp"

namespace vcsim {
namespace {

std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

// Enough significant digits for counts in the thousands and shares of a percent.
std::string figure(double v) {
  if (std::isnan(v)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

std::string pad(const std::string& s, std::size_t width, bool left) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return left ? s + fill : fill + s;
}

std::string table_text(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += ' ';
      line += pad(row[c], width[c], c < 2);
    }
    out += line;
    out += '\n';
  }
  return out;
}

double z_score(const Target& t, const MomentStats& m) { return target_z(t, m.mean); }

double relative_error(const Target& t, const MomentStats& m) {
  return t.observed != 0 ? (m.mean - t.observed) / std::abs(t.observed) : NAN;
}

void write_root(const Group& root, const Calibration& c, const CalibrationResult& result) {
  write_attribute(root, "file_kind", kFitFileKind);
  write_attribute(root, "format_version", std::vector<int>{kFitFormatMajor, kFitFormatMinor});
  write_attribute(root, "engine_version", kEngineVersion);
  write_attribute(root, "git_revision", kGitRevision);
  write_attribute(root, "created", utc_timestamp());
  write_attribute(root, "scenario_name", c.base().name);
  write_attribute(root, "scenario_path", c.base().source_path);
  write_attribute(root, "scenario", c.base().resolved_text);
  write_attribute(root, "targets_path", c.targets().path);
  write_attribute(root, "targets", c.targets().text);
  write_attribute(root, "seed", static_cast<std::int64_t>(c.seed()));
  write_attribute(root, "replications", c.settings().replications);
  write_attribute(root, "evaluations", result.trace.size());
  write_attribute(root, "best_evaluation", result.best);
  write_attribute(root, "objective", result.best_evaluation().objective);
  write_attribute(root, "converged", static_cast<std::int64_t>(result.converged ? 1 : 0));
}

template <typename T, typename F>
std::vector<T> column(std::size_t n, F f) {
  std::vector<T> out;
  for (std::size_t k = 0; k < n; ++k) out.push_back(f(k));
  return out;
}

void described(const Dataset& d, const char* units, const char* description) {
  write_attribute(d, "units", units);
  write_attribute(d, "description", description);
}

void write_targets(const Group& root, const Calibration& c, const Evaluation& best) {
  Group g = root.create_group("targets");
  const auto& ts = c.targets().targets;
  const std::size_t n = ts.size();
  write_coordinate(g, "target", column<std::string>(n, [&](auto k) { return ts[k].name; }));
  auto text = [&](const char* name, auto f, const char* description) {
    described(write_dataset(g, name, column<std::string>(n, f), "target"), "", description);
  };
  auto number = [&](const char* name, auto f, const char* units, const char* description) {
    described(write_dataset(g, name, column<double>(n, f), "target"), units, description);
  };
  text(
      "moment", [&](auto k) { return describe(ts[k].moment); }, "what is measured");
  text(
      "source", [&](auto k) { return ts[k].source; }, "where the observed figure comes from");
  number(
      "observed", [&](auto k) { return ts[k].observed; }, "moment's unit", "the record");
  number(
      "se", [&](auto k) { return ts[k].se; }, "moment's unit", "standard error used");
  number(
      "band_low", [&](auto k) { return ts[k].band_low.value_or(NAN); }, "moment's unit",
      "low end of the record's band; NaN without one");
  number(
      "band_high", [&](auto k) { return ts[k].band_high.value_or(NAN); }, "moment's unit",
      "high end of the record's band; NaN without one");
  number(
      "weight", [&](auto k) { return ts[k].weight; }, "", "weight in the objective");
  const auto& m = best.moments;
  number(
      "simulated_mean", [&](auto k) { return m[k].mean; }, "moment's unit",
      "mean across replications at the fitted values");
  number(
      "simulated_sd", [&](auto k) { return m[k].sd; }, "moment's unit",
      "sample sd across replications");
  number(
      "simulated_min", [&](auto k) { return m[k].min; }, "moment's unit", "across replications");
  number(
      "simulated_max", [&](auto k) { return m[k].max; }, "moment's unit", "across replications");
  number(
      "z", [&](auto k) { return z_score(ts[k], m[k]); }, "standard errors",
      "(simulated mean - observed) / se; with a band, (simulated mean - its nearer edge) / se, "
      "0 inside it");
  number(
      "relative_error", [&](auto k) { return relative_error(ts[k], m[k]); }, "share",
      "(simulated mean - observed) / |observed|");
  described(write_dataset(g, "replications_measured",
                          column<std::int32_t>(n, [&](auto k) { return m[k].n; }), "target"),
            "replications", "replications where the moment could be measured (not NaN)");
}

void write_parameters(const Group& root, const Calibration& c, const Evaluation& best) {
  Group g = root.create_group("parameters");
  const auto& ps = c.space().parameters();
  const std::size_t n = ps.size();
  const auto start = c.space().start();
  write_coordinate(g, "parameter", column<std::string>(n, [&](auto k) { return ps[k].name; }));
  described(write_dataset(g, "path", column<std::string>(n, [&](auto k) { return ps[k].path; }),
                          "parameter"),
            "", "dotted path into the scenario");
  described(write_dataset(g, "scale",
                          column<std::int32_t>(n, [&](auto k) { return ps[k].scale ? 1 : 0; }),
                          "parameter"),
            "", "1: a factor on every number at the path");
  auto number = [&](const char* name, auto f, const char* description) {
    described(write_dataset(g, name, column<double>(n, f), "parameter"), "parameter's unit",
              description);
  };
  number(
      "lower", [&](auto k) { return ps[k].lower; }, "lower bound");
  number(
      "upper", [&](auto k) { return ps[k].upper; }, "upper bound");
  number(
      "start", [&](auto k) { return start[k]; }, "value the optimiser started from");
  number(
      "fitted", [&](auto k) { return best.values[k]; }, "value with the lowest objective");
}

void write_trace(const Group& root, const Calibration& c, const CalibrationResult& result) {
  Group g = root.create_group("trace");
  const std::size_t n = result.trace.size();
  const std::size_t p = c.space().size(), t = c.targets().targets.size();
  write_coordinate(g, "evaluation",
                   column<std::int32_t>(n, [](auto k) { return static_cast<std::int32_t>(k); }));
  write_coordinate(g, "parameter",
                   column<std::string>(p, [&](auto k) { return c.space().parameters()[k].name; }));
  write_coordinate(g, "target",
                   column<std::string>(t, [&](auto k) { return c.targets().targets[k].name; }));
  const auto& tr = result.trace;
  described(write_dataset(g, "objective",
                          column<double>(n, [&](auto k) { return tr[k].evaluation.objective; }),
                          "evaluation"),
            "", "sum of weight x z^2 over targets");
  described(
      write_dataset(g, "best_so_far", column<double>(n, [&](auto k) { return tr[k].best_so_far; }),
                    "evaluation"),
      "", "lowest objective up to this evaluation");
  described(
      write_dataset(g, "replayed",
                    column<std::int32_t>(n, [&](auto k) { return tr[k].replayed ? 1 : 0; }),
                    "evaluation"),
      "", "1: taken from the journal (an earlier run, or a point asked for twice), not simulated");
  NdArray<double> values({"evaluation", "parameter"}, {n, p});
  NdArray<double> means({"evaluation", "target"}, {n, t});
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < p; ++i) values(k, i) = tr[k].evaluation.values[i];
    for (std::size_t i = 0; i < t; ++i) means(k, i) = tr[k].evaluation.moments[i].mean;
  }
  described(write_dataset(g, "values", values), "parameter's unit", "parameter values evaluated");
  described(write_dataset(g, "simulated_mean", means), "moment's unit",
            "each target's simulated mean at each evaluation");
}

}  // namespace

std::string fit_table(const Calibration& c, const Evaluation& e, const std::vector<double>& start) {
  std::vector<std::vector<std::string>> rows{
      {"target", "moment", "observed", "simulated", "sd", "min-max", "z", "error"}};
  const auto& ts = c.targets().targets;
  for (std::size_t k = 0; k < ts.size(); ++k) {
    const MomentStats& m = e.moments[k];
    const std::string band =
        ts[k].band_low ? ", band " + figure(*ts[k].band_low) + "-" + figure(*ts[k].band_high) : "";
    rows.push_back(
        {ts[k].name, describe(ts[k].moment) + band, figure(ts[k].observed), figure(m.mean),
         figure(m.sd), figure(m.min) + "-" + figure(m.max), fixed(z_score(ts[k], m), 2),
         std::isnan(relative_error(ts[k], m)) ? "n/a"
                                              : fixed(100 * relative_error(ts[k], m), 1) + "%"});
  }
  std::vector<std::vector<std::string>> params{
      {"parameter", "path", "lower", "upper", "start", "value"}};
  const auto& ps = c.space().parameters();
  for (std::size_t k = 0; k < ps.size(); ++k)
    params.push_back({ps[k].name, ps[k].path + (ps[k].scale ? " (scale)" : ""), figure(ps[k].lower),
                      figure(ps[k].upper), figure(start[k]), figure(e.values[k])});
  return "\nFit: simulated mean over " + std::to_string(c.settings().replications) +
         " replications (seed " + std::to_string(c.seed()) + "), objective " + figure(e.objective) +
         "\n" + table_text(rows) + "\nParameters\n" + table_text(params);
}

void write_fit_file(const std::string& path, const Calibration& c,
                    const CalibrationResult& result) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  try {
    File file = File::create(temporary);
    {
      Group root = file.root();
      write_root(root, c, result);
      write_targets(root, c, result.best_evaluation());
      write_parameters(root, c, result.best_evaluation());
      write_trace(root, c, result);
    }
    file.close();
    rename_durably(temporary, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    if (dynamic_cast<const Hdf5Error*>(&e) != nullptr) throw;
    throw Hdf5Error(path + ": writing the fit file: " + e.what());
  }
}

std::string fitted_scenario_text(const Calibration& c, const CalibrationResult& result,
                                 const std::string& fitted_path) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::absolute(fitted_path).parent_path();
  const std::string include =
      fs::relative(fs::absolute(c.base().source_path), folder).generic_string();
  const Evaluation& best = result.best_evaluation();
  std::string out =
      "# " + c.base().name + " calibrated by vcsim calibrate to the targets of " +
      c.targets().path + "\n# (seed " + std::to_string(c.seed()) + ", " +
      std::to_string(c.settings().replications) +
      " replications an evaluation, evaluations: " + std::to_string(result.trace.size()) +
      (result.converged ? ", converged" : ", stopped at the evaluation budget") + "; objective " +
      figure(best.objective) + ").\n";
  out += "include = \"" + include + "\"\nname = \"" + c.base().name + "_calibrated\"\n\n";
  out += "# The values below came from calibration, not from a source.\n";
  for (const Override& o : c.space().overrides(best.values))
    out += o.key + " = " + o.value + "  # calibrated (" + o.origin + ")\n";
  return out;
}

void write_fitted_scenario(const std::string& path, const std::string& text) {
  (void)read_scenario_text(text, path);
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error(path + ": cannot write the fitted scenario");
    }
  }
  rename_durably(temporary, path);
}

}  // namespace vcsim
