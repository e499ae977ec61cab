#include "io/comparison.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "scenario/reader.hpp"

namespace vcsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- reading -----------------------------------------------------------------------------

struct RunFile {
  std::string path;
  std::int64_t seed = 0, replications = 0, start_year = 0, end_year = 0;
  std::string scenario;
};

File open_checked(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Hdf5Error(path + ": no such file");
  File file = File::open_read(path);
  Group root = file.root();
  if (!has_attribute(root, "file_kind") ||
      read_attribute<std::string>(root, "file_kind") != kRunFileKind)
    throw Hdf5Error(path + ": not a vcsim output file (its file_kind is not \"" +
                    std::string(kRunFileKind) + "\")");
  auto version = read_attribute<std::vector<int>>(root, "format_version");
  if (version.size() != 2 || version[0] != kFormatMajor)
    throw Hdf5Error(path + ": output format " +
                    (version.empty() ? std::string("?") : std::to_string(version[0])) +
                    ".x is not supported; this vcsim reads format " + std::to_string(kFormatMajor) +
                    ".x");
  return file;
}

RunFile run_attributes(const File& file) {
  Group root = file.root();
  return {file.path(),
          read_attribute<std::int64_t>(root, "seed"),
          read_attribute<std::int64_t>(root, "replications"),
          read_attribute<std::int64_t>(root, "start_year"),
          read_attribute<std::int64_t>(root, "end_year"),
          read_attribute<std::string>(root, "scenario")};
}

template <typename T>
NdArray<T> read_as(const Group& group, const std::string& name,
                   const std::vector<std::string>& dims) {
  NdArray<T> a = read_dataset<T>(group, name);
  if (a.dims() != dims)
    throw Hdf5Error(group.file_path() + ": " + group.child_path(name) + " has unexpected dims");
  return a;
}

std::vector<std::string> labels(const Group& group, const std::string& dim) {
  return read_dataset<std::string>(group, dim).data();
}

std::size_t position(const std::vector<std::string>& names, const std::string& name,
                     const Group& where) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end())
    throw Hdf5Error(where.file_path() + ": " + where.path() + " has no label '" + name + "'");
  return static_cast<std::size_t>(it - names.begin());
}

// Sectors the scenario text stored in the file marks deep_tech.
std::vector<std::string> deep_tech_sectors(const RunFile& run) {
  std::vector<std::string> out;
  try {
    check_toml_characters(run.scenario, run.path);
    toml::table scenario = toml::parse(run.scenario);
    if (const toml::table* sectors = scenario["sectors"].as_table())
      for (const auto& [name, table] : *sectors)
        if (table.is_table() && (*table.as_table())["deep_tech"].value_or(false))
          out.emplace_back(name.str());
  } catch (const toml::parse_error& e) {
    throw Hdf5Error(run.path +
                    ": the stored scenario text does not parse: " + std::string(e.description()));
  } catch (const ScenarioError& e) {
    throw Hdf5Error(std::string("the stored scenario text does not parse: ") + e.what());
  }
  return out;
}

// --- figures -----------------------------------------------------------------------------

using Values = std::vector<double>;

double ratio(double numerator, double denominator, double scale = 1.0) {
  return denominator > 0 ? scale * numerator / denominator : kNaN;
}

// Sums `cell(r, i)` over i in [0, count) for each replication r.
template <typename Cell>
Values per_replication(std::size_t replications, std::size_t count, Cell cell) {
  Values out(replications, 0.0);
  for (std::size_t r = 0; r < replications; ++r)
    for (std::size_t i = 0; i < count; ++i) out[r] += static_cast<double>(cell(r, i));
  return out;
}

class FigureReader {
 public:
  FigureReader(const File& file, RunFile run)
      : root_(file.root()),
        run_(std::move(run)),
        reps_(static_cast<std::size_t>(run_.replications)),
        summary_(root_.open_group("summary")),
        series_(root_.open_group("timeseries")) {}

  std::size_t december(int year) const {
    if (year < run_.start_year || year > run_.end_year)
      throw std::invalid_argument("year " + std::to_string(year) + " is outside the run's years " +
                                  std::to_string(run_.start_year) + "-" +
                                  std::to_string(run_.end_year));
    return static_cast<std::size_t>(12 * (year - run_.start_year) + 11);
  }

  void unicorns_by_region(int year) {
    auto a =
        read_as<std::int32_t>(summary_, "unicorns_december", {"replication", "year", "region"});
    const auto regions = labels(summary_, "region");
    const auto y = static_cast<std::size_t>(year - run_.start_year);
    for (std::size_t g = 0; g < regions.size(); ++g)
      add("unicorns " + std::to_string(year) + " " + regions[g], "startups",
          per_replication(reps_, 1, [&](std::size_t r, std::size_t) { return a(r, y, g); }));
    add("unicorns " + std::to_string(year) + " world", "startups",
        per_replication(reps_, regions.size(),
                        [&](std::size_t r, std::size_t g) { return a(r, y, g); }));
  }

  void unicorns_by_sector(int year) {
    const auto& a = active();
    const auto sectors = labels(series_, "sector");
    const std::size_t m = december(year), regions = a.shape()[2];
    for (std::size_t s = 0; s < sectors.size(); ++s)
      add("unicorns " + std::to_string(year) + " " + sectors[s], "startups",
          per_replication(reps_, regions,
                          [&](std::size_t r, std::size_t g) { return a(r, m, g, s); }));
  }

  void new_unicorns() {
    const auto& a = newly();
    const auto regions = labels(series_, "region");
    const std::size_t months = a.shape()[1], sectors = a.shape()[3];
    auto in_region = [&](std::size_t g) {
      return per_replication(reps_, months * sectors, [&](std::size_t r, std::size_t i) {
        return a(r, i / sectors, g, i % sectors);
      });
    };
    Values world(reps_, 0.0);
    for (std::size_t g = 0; g < regions.size(); ++g) {
      Values v = in_region(g);
      for (std::size_t r = 0; r < reps_; ++r) world[r] += v[r];
      add("new unicorns " + regions[g], "startups", std::move(v));
    }
    add("new unicorns world", "startups", std::move(world));
  }

  void deep_tech_shares(int year) {
    const auto sectors = labels(series_, "sector");
    std::vector<bool> deep(sectors.size(), false);
    for (const auto& name : deep_tech_sectors(run_)) deep[position(sectors, name, series_)] = true;
    // Share of the cells (region, sector) of `a` at month `m` (all months: m = npos).
    auto share = [&](const NdArray<std::int32_t>& a, std::size_t m) {
      Values out(reps_);
      for (std::size_t r = 0; r < reps_; ++r) {
        double in_deep = 0, all = 0;
        for (std::size_t t = 0; t < a.shape()[1]; ++t) {
          if (m != std::string::npos && t != m) continue;
          for (std::size_t g = 0; g < a.shape()[2]; ++g)
            for (std::size_t s = 0; s < a.shape()[3]; ++s) {
              all += a(r, t, g, s);
              if (deep[s]) in_deep += a(r, t, g, s);
            }
        }
        out[r] = ratio(in_deep, all, 100.0);
      }
      return out;
    };
    add("deep-tech share of unicorns " + std::to_string(year), "%",
        share(active(), december(year)));
    add("deep-tech share of new unicorns", "%", share(newly(), std::string::npos));
  }

  void capital_by_source() {
    auto a = read_as<double>(summary_, "capital_invested_yearly",
                             {"replication", "year", "region", "source"});
    const auto sources = labels(summary_, "source");
    const std::size_t years = a.shape()[1], regions = a.shape()[2];
    Values total(reps_, 0.0);
    for (std::size_t s = 0; s < sources.size(); ++s) {
      Values bn = per_replication(reps_, years * regions, [&](std::size_t r, std::size_t i) {
        return a(r, i / regions, i % regions, s) / 1000.0;  // USD m to USD bn
      });
      for (std::size_t r = 0; r < reps_; ++r) total[r] += bn[r];
      add("capital invested " + sources[s], "USD bn", std::move(bn));
    }
    add("capital invested total", "USD bn", std::move(total));
  }

  void private_per_state_dollar() {
    const std::string name = "private per state dollar";
    if (!root_.contains("guidance")) return missing(name, "x", "not in file (no guidance funds)");
    Group guidance = root_.open_group("guidance");
    auto a =
        read_as<double>(guidance, "accounts", {"replication", "year", "guidance_fund", "measure"});
    const auto measures = labels(guidance, "measure");
    const std::size_t mobilised = position(measures, "private_mobilised", guidance),
                      committed = position(measures, "committed", guidance);
    const std::size_t last = a.shape()[1] - 1, funds = a.shape()[2];
    Values out(reps_);
    for (std::size_t r = 0; r < reps_; ++r) {
      double priv = 0, state = 0;
      for (std::size_t f = 0; f < funds; ++f) {
        priv += a(r, last, f, mobilised);
        state += a(r, last, f, committed);
      }
      out[r] = ratio(priv, state);
    }
    add(name, "x", std::move(out));
  }

  void class_rates() {
    const std::vector<std::string> classes{"pure_private", "mixed", "pure_state"};
    if (!summary_.contains("funnel_by_class")) {
      for (const auto& c : classes)
        for (const char* rate : {"failure", "exit"})
          missing(std::string(rate) + " rate " + c, "%",
                  "not in file (format 1.3 adds startup classes)");
      return;
    }
    auto a = read_as<std::int32_t>(summary_, "funnel_by_class",
                                   {"replication", "region", "class", "outcome"});
    const auto file_classes = labels(summary_, "class");
    const auto outcomes = labels(summary_, "outcome");
    const std::size_t regions = a.shape()[1];
    auto count = [&](std::size_t c, const std::string& outcome) {
      const std::size_t o = position(outcomes, outcome, summary_);
      return per_replication(reps_, regions,
                             [&](std::size_t r, std::size_t g) { return a(r, g, c, o); });
    };
    for (const auto& name : classes) {
      const std::size_t c = position(file_classes, name, summary_);
      const Values seeded = count(c, "seeded"), failed = count(c, "failed"), ipo = count(c, "ipo"),
                   acquired = count(c, "acquired");
      Values failure(reps_), exit(reps_);
      for (std::size_t r = 0; r < reps_; ++r) {
        failure[r] = ratio(failed[r], seeded[r], 100.0);
        exit[r] = ratio(ipo[r] + acquired[r], seeded[r], 100.0);
      }
      add("failure rate " + name, "%", std::move(failure));
      add("exit rate " + name, "%", std::move(exit));
    }
  }

  // Mean net TVPI of the funds of each kind liquidated by the end, per replication.
  void fund_tvpi_by_kind() {
    Group funds = root_.open_group("funds");
    const auto replication = read_dataset<std::int32_t>(funds, "replication").data();
    const auto kind = read_dataset<std::int32_t>(funds, "kind").data();
    const auto liquidated = read_dataset<std::int32_t>(funds, "liquidated_month").data();
    const auto tvpi = read_dataset<double>(funds, "tvpi").data();
    for (const auto& [k, label] : {std::pair{0, "private"}, std::pair{1, "guidance-backed"}}) {
      Values sum(reps_, 0.0), n(reps_, 0.0);
      for (std::size_t f = 0; f < kind.size(); ++f) {
        const auto r = static_cast<std::size_t>(replication[f]);
        if (kind[f] != k || liquidated[f] < 0 || r >= reps_) continue;
        sum[r] += tvpi[f];
        n[r] += 1;
      }
      for (std::size_t r = 0; r < reps_; ++r) sum[r] = ratio(sum[r], n[r]);
      add(std::string("fund TVPI ") + label, "x", std::move(sum));
    }
  }

  std::vector<HeadlineFigure> take() { return std::move(figures_); }

 private:
  void add(std::string name, std::string units, Values values) {
    figures_.push_back({std::move(name), std::move(units), std::move(values), ""});
  }
  void missing(std::string name, std::string units, std::string note) {
    figures_.push_back({std::move(name), std::move(units), {}, std::move(note)});
  }
  const NdArray<std::int32_t>& active() {
    if (active_.size() == 0)
      active_ = read_as<std::int32_t>(series_, "unicorns_active",
                                      {"replication", "month", "region", "sector"});
    return active_;
  }
  const NdArray<std::int32_t>& newly() {
    if (new_.size() == 0)
      new_ = read_as<std::int32_t>(series_, "unicorns_new",
                                   {"replication", "month", "region", "sector"});
    return new_;
  }

  Group root_;
  RunFile run_;
  std::size_t reps_;
  Group summary_, series_;
  NdArray<std::int32_t> active_, new_;
  std::vector<HeadlineFigure> figures_;
};

void check_paired(const RunFile& base, const RunFile& policy) {
  const std::pair<const char*, std::int64_t RunFile::*> keys[] = {
      {"seed", &RunFile::seed},
      {"replications", &RunFile::replications},
      {"start_year", &RunFile::start_year},
      {"end_year", &RunFile::end_year}};
  for (const auto& [name, member] : keys)
    if (base.*member != policy.*member)
      throw ComparisonError(base.path + " and " + policy.path + " cannot be paired: " + name +
                            " differs (" + std::to_string(base.*member) + " vs " +
                            std::to_string(policy.*member) +
                            "); a paired comparison needs the same seed, replications and years "
                            "in both runs");
}

double mean_of(const Values& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n > 0 ? sum / static_cast<double>(n) : kNaN;
}

// --- text --------------------------------------------------------------------------------

std::string number(double value, const char* format = "%.2f") {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string padded(const std::string& text, std::size_t width, bool left) {
  const std::string pad(width > text.size() ? width - text.size() : 0, ' ');
  return left ? text + pad : pad + text;
}

}  // namespace

PairedInterval paired_interval(const Values& base, const Values& policy, double level) {
  Values d;
  for (std::size_t r = 0; r < std::min(base.size(), policy.size()); ++r)
    if (!std::isnan(base[r]) && !std::isnan(policy[r])) d.push_back(policy[r] - base[r]);
  const std::size_t n = d.size();
  if (n == 0) return {kNaN, kNaN, kNaN, 0};
  const double mean = mean_of(d);
  if (n == 1) return {mean, kNaN, kNaN, 1};
  double squares = 0;
  for (double x : d) squares += (x - mean) * (x - mean);
  const double sd = std::sqrt(squares / static_cast<double>(n - 1));
  const boost::math::students_t t(static_cast<double>(n - 1));
  const double half =
      boost::math::quantile(t, 0.5 + level / 2) * sd / std::sqrt(static_cast<double>(n));
  return {mean, mean - half, mean + half, n};
}

std::vector<HeadlineFigure> headline_figures(const std::string& path,
                                             const std::vector<int>& years) {
  File file = open_checked(path);
  RunFile run = run_attributes(file);
  std::vector<int> chosen = years;
  if (chosen.empty()) chosen.push_back(static_cast<int>(run.end_year));
  FigureReader reader(file, std::move(run));
  for (int year : chosen) {
    reader.december(year);  // a year outside the run is an error before any reading
    reader.unicorns_by_region(year);
    reader.unicorns_by_sector(year);
  }
  reader.new_unicorns();
  reader.deep_tech_shares(chosen.back());
  reader.capital_by_source();
  reader.private_per_state_dollar();
  reader.class_rates();
  reader.fund_tvpi_by_kind();
  return reader.take();
}

std::vector<ComparisonRow> compare_runs(const std::string& base_path,
                                        const std::string& policy_path,
                                        const std::vector<int>& years) {
  check_paired(run_attributes(open_checked(base_path)), run_attributes(open_checked(policy_path)));
  const auto base = headline_figures(base_path, years);
  const auto policy = headline_figures(policy_path, years);
  std::vector<ComparisonRow> rows;
  for (const auto& b : base) {
    auto p = std::find_if(policy.begin(), policy.end(),
                          [&](const HeadlineFigure& f) { return f.name == b.name; });
    std::string note = !b.note.empty() ? b.note : p == policy.end() ? "not in file" : p->note;
    if (!note.empty()) {
      rows.push_back({b.name, b.units, kNaN, kNaN, {kNaN, kNaN, kNaN, 0}, note});
      continue;
    }
    rows.push_back({b.name, b.units, mean_of(b.values), mean_of(p->values),
                    paired_interval(b.values, p->values), ""});
  }
  return rows;
}

std::string comparison_table(const std::vector<ComparisonRow>& rows) {
  std::vector<std::vector<std::string>> cells{
      {"figure", "units", "base", "policy", "difference", "90% interval", "n"}};
  for (const auto& row : rows) {
    if (!row.note.empty()) {
      cells.push_back({row.figure, row.units, row.note});
      continue;
    }
    const auto& d = row.difference;
    std::string interval = "n/a";
    if (!std::isnan(d.low))
      interval = std::string("[") + number(d.low) + ", " + number(d.high) + "]";
    cells.push_back({row.figure, row.units, number(row.base), number(row.policy), number(d.mean),
                     interval, std::to_string(d.n)});
  }
  std::vector<std::size_t> width(7, 0);
  for (const auto& line : cells)
    if (line.size() == 7)
      for (std::size_t c = 0; c < 7; ++c) width[c] = std::max(width[c], line[c].size());
  for (const auto& line : cells) width[0] = std::max(width[0], line[0].size());
  // Appending piece by piece: GCC 12 misreads "literal" + std::string&& (-Wrestrict).
  std::string out;
  for (const auto& line : cells) {
    out += "  ";
    out += padded(line[0], width[0], true);
    out += "  ";
    out += padded(line[1], width[1], true);
    if (line.size() == 7) {
      for (std::size_t c = 2; c < 7; ++c) {
        out += "  ";
        out += padded(line[c], width[c], false);
      }
    } else {
      out += "  ";
      out += line[2];
    }
    out += "\n";
  }
  return out;
}

std::string comparison_csv(const std::vector<ComparisonRow>& rows) {
  std::string out = "figure,units,base,policy,difference,low,high,n,note\n";
  const char* full = "%.17g";
  for (const auto& row : rows) {
    const auto& d = row.difference;
    out += row.figure + "," + row.units + "," + number(row.base, full) + "," +
           number(row.policy, full) + "," + number(d.mean, full) + "," + number(d.low, full) + "," +
           number(d.high, full) + "," + std::to_string(d.n) + ",\"" + row.note + "\"\n";
  }
  return out;
}

}  // namespace vcsim
