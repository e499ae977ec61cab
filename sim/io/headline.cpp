#include "io/headline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "io/hdf5.hpp"
#include "io/output_file.hpp"

namespace vcsim {
namespace {

// --- numbers and text --------------------------------------------------------------------

struct Stats {
  double mean = NAN, min = NAN, max = NAN, sd = NAN;
  std::size_t n = 0;
};

// Spread across replications; NaN entries (nothing observed) are left out.
Stats stats(const std::vector<double>& values) {
  Stats s;
  double sum = 0, squares = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    s.min = s.n == 0 ? v : std::min(s.min, v);
    s.max = s.n == 0 ? v : std::max(s.max, v);
    sum += v;
    squares += v * v;
    ++s.n;
  }
  if (s.n == 0) return s;
  const auto n = static_cast<double>(s.n);
  s.mean = sum / n;
  s.sd = s.n > 1 ? std::sqrt(std::max(0.0, (squares - n * s.mean * s.mean) / (n - 1))) : 0.0;
  return s;
}

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

// Counts as "mean [min-max]", or the mean alone for one replication.
std::string mean_range(const std::vector<double>& counts) {
  Stats s = stats(counts);
  if (s.n == 0) return "n/a";
  if (s.n == 1) return fixed(s.mean, 1);
  return fixed(s.mean, 1) + " [" + fixed(s.min, 0) + "-" + fixed(s.max, 0) + "]";
}

std::string percent(double share) {
  return std::isnan(share) ? "n/a" : fixed(100 * share, 1) + "%";
}

// Columns padded to their widest cell: the first left-aligned, the rest right-aligned.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  std::string str() const {
    std::vector<std::size_t> width;
    for (const auto& row : rows_)
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (width.size() <= c) width.push_back(0);
        width[c] = std::max(width[c], row[c].size());
      }
    std::string out;
    for (const auto& row : rows_) {
      std::string line = " ";
      for (std::size_t c = 0; c < row.size(); ++c) {
        std::string pad(width[c] - row[c].size() + 2, ' ');
        line += c == 0 ? " " + row[c] + pad.substr(2) : pad + row[c];
      }
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

// --- reading -----------------------------------------------------------------------------

// `what` may already start with the path, as the HDF5 layer's messages do.
[[noreturn]] void damaged(const std::string& path, std::string what) {
  if (what.rfind(path + ": ", 0) == 0) what.erase(0, path.size() + 2);
  throw Hdf5Error(path + ": not a vcsim output file, or damaged: " + what);
}

File open_run_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Hdf5Error(path + ": no such file");
  try {
    return File::open_read(path);
  } catch (const Hdf5Error& e) {
    damaged(path, e.what());
  }
}

void check_kind(const Group& root, const std::string& path) {
  if (!has_attribute(root, "file_kind") ||
      read_attribute<std::string>(root, "file_kind") != kRunFileKind)
    throw Hdf5Error(path + ": not a vcsim output file (its file_kind is not \"" +
                    std::string(kRunFileKind) + "\")");
  auto version = read_attribute<std::vector<int>>(root, "format_version");
  if (version.size() != 2) damaged(path, "format_version is not [major, minor]");
  if (version[0] != kFormatMajor)
    throw Hdf5Error(path + ": output format " + std::to_string(version[0]) + "." +
                    std::to_string(version[1]) + " is not supported; this vcsim reads format " +
                    std::to_string(kFormatMajor) + ".x (use the vcsim version that wrote it)");
}

template <typename T>
NdArray<T> read_checked(const Group& group, const std::string& name,
                        const std::vector<std::string>& dims) {
  NdArray<T> a = read_dataset<T>(group, name);
  if (a.dims() != dims) damaged(group.file_path(), group.child_path(name) + " has unexpected dims");
  return a;
}

std::size_t position(const std::vector<std::string>& names, const std::string& name,
                     const Group& where) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) damaged(where.file_path(), where.path() + ": no label '" + name + "'");
  return static_cast<std::size_t>(it - names.begin());
}

// Positions along /summary/year of the years to show.
std::vector<std::size_t> year_positions(const std::vector<std::int32_t>& file_years,
                                        const std::vector<int>& requested) {
  if (file_years.empty()) return {};
  std::vector<std::size_t> out;
  if (requested.empty()) {
    for (std::size_t i = 0; i < file_years.size(); ++i)
      if (file_years[i] % 5 == 0 || i + 1 == file_years.size()) out.push_back(i);
    return out;
  }
  for (int y : requested) {
    if (y < file_years.front() || y > file_years.back())
      throw std::invalid_argument("year " + std::to_string(y) + " is outside the run's years " +
                                  std::to_string(file_years.front()) + "-" +
                                  std::to_string(file_years.back()));
    out.push_back(static_cast<std::size_t>(y - file_years.front()));
  }
  return out;
}

// --- sections ----------------------------------------------------------------------------

struct Run {
  std::string path;
  std::vector<std::string> regions;
  std::vector<std::int32_t> years;
  std::size_t replications = 0;
};

std::string identity(const Group& root, const std::string& path) {
  auto version = read_attribute<std::vector<int>>(root, "format_version");
  std::string out =
      "vcsim run \"" + read_attribute<std::string>(root, "scenario_name") + "\" (" + path + ")\n";
  out += "  seed " + std::to_string(read_attribute<std::int64_t>(root, "seed")) + ", " +
         std::to_string(read_attribute<std::int64_t>(root, "replications")) + " replications, " +
         std::to_string(read_attribute<std::int64_t>(root, "start_year")) + "-" +
         std::to_string(read_attribute<std::int64_t>(root, "end_year")) + "\n";
  out += "  engine " + read_attribute<std::string>(root, "engine_version") + " (" +
         read_attribute<std::string>(root, "git_revision") + "), format " +
         std::to_string(version[0]) + "." + std::to_string(version[1]) + ", created " +
         read_attribute<std::string>(root, "created") + "\n";
  return out;
}

// Values across replications of one region (or the world: region == size) at a year.
std::vector<double> across_replications(const NdArray<std::int32_t>& a, std::size_t year,
                                        std::size_t region) {
  const std::size_t regions = a.shape()[2];
  std::vector<double> values;
  for (std::size_t r = 0; r < a.shape()[0]; ++r) {
    double v = 0;
    for (std::size_t g = 0; g < regions; ++g)
      if (region == regions || g == region) v += a(r, year, g);
    values.push_back(v);
  }
  return values;
}

std::string unicorns(const Group& summary, const Run& run, const std::vector<std::size_t>& at) {
  const std::vector<std::string> dims{"replication", "year", "region"};
  auto all = read_checked<std::int32_t>(summary, "unicorns_december", dims);
  std::vector<std::string> header{"year"};
  header.insert(header.end(), run.regions.begin(), run.regions.end());
  header.push_back("World");
  TextTable table(header);
  for (std::size_t y : at) {
    std::vector<std::string> row{std::to_string(run.years[y])};
    for (std::size_t g = 0; g <= run.regions.size(); ++g)
      row.push_back(mean_range(across_replications(all, y, g)));
    table.add(row);
  }
  if (!at.empty()) {
    // The age-capped count (China's domestic lists) for the last year shown.
    auto capped = read_checked<std::int32_t>(summary, "unicorns_december_age_capped", dims);
    std::vector<std::string> row{std::to_string(run.years[at.back()]) + " age-capped"};
    for (std::size_t g = 0; g <= run.regions.size(); ++g)
      row.push_back(mean_range(across_replications(capped, at.back(), g)));
    table.add(row);
  }
  return "\nUnicorns, December (all definition; age-capped: at most 120 months old), mean "
         "[min-max] over " +
         std::to_string(run.replications) + " replications\n" + table.str();
}

std::string funnel(const Group& summary, const Run& run) {
  auto counts = read_checked<std::int32_t>(summary, "funnel", {"replication", "region", "outcome"});
  auto outcomes = read_dataset<std::string>(summary, "outcome").data();
  Dataset dataset = summary.open_dataset("funnel");
  const auto first = read_attribute<std::int64_t>(dataset, "first_seed_year");
  const auto last = read_attribute<std::int64_t>(dataset, "last_seed_year");
  // Alive: neither listed, bought nor failed by the run's end (startups that reach
  // break-even live on, docs/model.md D39): IPO, acquired, failed and alive sum to 100 %.
  const std::vector<std::pair<std::string, std::string>> shown{
      {"reached_a", "A"}, {"reached_b", "B"},       {"reached_c", "C"},   {"unicorn", "unicorn"},
      {"ipo", "IPO"},     {"acquired", "acquired"}, {"failed", "failed"}, {"alive", "alive"}};
  std::vector<std::string> header{"region", "seeded/rep"};
  for (const auto& s : shown) header.push_back(s.second);
  TextTable table(header);
  const std::size_t seeded = position(outcomes, "seeded", summary);
  const std::size_t regions = run.regions.size();
  for (std::size_t g = 0; g <= regions; ++g) {
    // Pooled over replications: each startup counts once.
    auto total = [&](std::size_t outcome) {
      double sum = 0;
      for (std::size_t r = 0; r < counts.shape()[0]; ++r)
        for (std::size_t h = 0; h < regions; ++h)
          if (g == regions || h == g) sum += counts(r, h, outcome);
      return sum;
    };
    const double n = total(seeded);
    std::vector<std::string> row{g < regions ? run.regions[g] : "World",
                                 fixed(n / static_cast<double>(run.replications), 0)};
    for (const auto& s : shown)
      row.push_back(percent(n > 0 ? total(position(outcomes, s.first, summary)) / n : NAN));
    table.add(row);
  }
  return "\nSeed cohorts " + std::to_string(first) + "-" + std::to_string(last) +
         ": share reaching each outcome (pooled over replications)\n" + table.str();
}

// The world's funnel by class of money (format 1.3 on): how pure-private, mixed and
// pure-state startups fare, and how much of their money was the state's.
std::string funnel_by_class(const Group& summary, const Run& run) {
  if (!summary.contains("funnel_by_class")) return "";
  auto counts = read_checked<std::int32_t>(summary, "funnel_by_class",
                                           {"replication", "region", "class", "outcome"});
  auto money = read_checked<double>(summary, "capital_by_class",
                                    {"replication", "region", "class", "money"});
  auto outcomes = read_dataset<std::string>(summary, "outcome").data();
  auto classes = read_dataset<std::string>(summary, "class").data();
  const std::vector<std::pair<std::string, std::string>> shown{
      {"reached_a", "A"},       {"reached_b", "B"},   {"unicorn", "unicorn"}, {"ipo", "IPO"},
      {"acquired", "acquired"}, {"failed", "failed"}, {"alive", "alive"}};
  std::vector<std::string> header{"class", "seeded/rep", "state share", "grants/rep"};
  for (const auto& s : shown) header.push_back(s.second);
  TextTable table(header);
  const std::size_t seeded = position(outcomes, "seeded", summary);
  for (std::size_t c = 0; c < classes.size(); ++c) {
    auto total = [&](std::size_t outcome) {
      double sum = 0;
      for (std::size_t r = 0; r < counts.shape()[0]; ++r)
        for (std::size_t g = 0; g < counts.shape()[1]; ++g) sum += counts(r, g, c, outcome);
      return sum;
    };
    double state = 0, equity = 0, grants = 0;
    for (std::size_t r = 0; r < money.shape()[0]; ++r)
      for (std::size_t g = 0; g < money.shape()[1]; ++g) {
        state += money(r, g, c, 1);
        equity += money(r, g, c, 0) + money(r, g, c, 1);
        grants += money(r, g, c, 2);
      }
    const double n = total(seeded);
    const auto reps = static_cast<double>(run.replications);
    std::vector<std::string> row{classes[c], fixed(n / reps, 0),
                                 percent(equity > 0 ? state / equity : NAN),
                                 fixed(grants / reps / 1000.0, 2) + " bn"};
    for (const auto& s : shown)
      row.push_back(percent(n > 0 ? total(position(outcomes, s.first, summary)) / n : NAN));
    table.add(row);
  }
  return "\nThe same cohorts by where their equity came from (world; state share: the "
         "state's share of the equity they raised)\n" +
         table.str();
}

std::string capital(const Group& summary, const Run& run, const std::vector<std::size_t>& at) {
  auto invested = read_checked<double>(summary, "capital_invested_yearly",
                                       {"replication", "year", "region", "source"});
  auto sources = read_dataset<std::string>(summary, "source").data();
  std::vector<std::string> header{"year"};
  header.insert(header.end(), sources.begin(), sources.end());
  header.push_back("total");
  TextTable table(header);
  const auto reps = static_cast<double>(invested.shape()[0]);
  for (std::size_t y : at) {
    std::vector<std::string> row{std::to_string(run.years[y])};
    double total = 0;
    for (std::size_t s = 0; s < sources.size(); ++s) {
      double sum = 0;
      for (std::size_t r = 0; r < invested.shape()[0]; ++r)
        for (std::size_t g = 0; g < invested.shape()[2]; ++g) sum += invested(r, y, g, s);
      const double bn = sum / reps / 1000.0;  // USD m to USD bn
      total += bn;
      row.push_back(fixed(bn, 2));
    }
    row.push_back(fixed(total, 2));
    table.add(row);
  }
  return "\nCapital invested by source, USD bn in the year (mean over replications)\n" +
         table.str();
}

std::string tvpi(const Group& summary) {
  auto values = read_checked<double>(summary, "mean_fund_tvpi", {"replication"});
  Stats s = stats(values.data());
  std::string out = "\nMean net TVPI of funds liquidated by the end: ";
  if (s.n == 0) return out + "n/a (no fund liquidated)\n";
  out += fixed(s.mean, 2) + " +- " + fixed(s.sd, 2) + " (min " + fixed(s.min, 2) + ", max " +
         fixed(s.max, 2) + "; " + std::to_string(s.n) + " replications with liquidated funds)\n";
  return out;
}

}  // namespace

std::string headline_table(const std::string& path, const std::vector<int>& years) {
  File file = open_run_file(path);
  Group root = file.root();
  check_kind(root, path);
  try {
    Group summary = root.open_group("summary");
    Run run{path, read_dataset<std::string>(summary, "region").data(),
            read_dataset<std::int32_t>(summary, "year").data(),
            static_cast<std::size_t>(read_attribute<std::int64_t>(root, "replications"))};
    const auto at = year_positions(run.years, years);
    return identity(root, path) + unicorns(summary, run, at) + funnel(summary, run) +
           funnel_by_class(summary, run) + capital(summary, run, at) + tvpi(summary);
  } catch (const Hdf5Error& e) {
    damaged(path, e.what());
  }
}

}  // namespace vcsim
