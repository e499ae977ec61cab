#include "calibrate/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vcsim {
namespace {

constexpr const char* kHeader = "vcsim calibration journal 1";

std::string hex(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%a", v);
  return text;
}

// Parses one hexadecimal (or decimal) float; false when the token is not one.
bool parse_double(const std::string& token, double& out) {
  char* end = nullptr;
  out = std::strtod(token.c_str(), &end);
  return !token.empty() && end == token.c_str() + token.size();
}

std::string system_error(const std::string& path, const char* what) {
  return path + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

std::string fingerprint_of(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;  // the FNV offset basis
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

Journal::Journal(const std::string& path, const std::string& fingerprint, std::size_t parameters,
                 std::size_t targets, bool resume)
    : path_(path), parameters_(parameters), targets_(targets) {
  const bool exists = std::filesystem::exists(path);
  if (exists && !resume)
    throw JournalError(path +
                       ": a calibration journal already exists; pass --resume to continue "
                       "that calibration, or remove the file to start afresh");
  if (exists) load(fingerprint);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(system_error(path, "cannot open the journal"));
  if (!exists || stored_.empty()) {
    if (::ftruncate(fd_, 0) != 0)
      throw std::runtime_error(system_error(path, "cannot truncate the journal"));
    std::ostringstream header;
    header << kHeader << " " << fingerprint << " " << parameters << " " << targets << "\n";
    const std::string text = header.str();
    if (::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
        ::fsync(fd_) != 0)
      throw std::runtime_error(system_error(path, "cannot write the journal"));
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::load(const std::string& fingerprint) {
  std::ifstream in(path_, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Only whole lines count: a kill during a write leaves a line without its newline.
  const std::size_t whole = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  text.resize(whole);
  std::filesystem::resize_file(path_, whole);
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  std::ostringstream expected;
  expected << kHeader << " " << fingerprint << " " << parameters_ << " " << targets_;
  if (line.empty()) return;  // nothing was stored: start afresh
  if (line != expected.str())
    throw JournalError(path_ +
                       ": the journal was written for another scenario, targets file, seed, "
                       "replication count or vcsim build; remove it to start afresh");
  int number = 1;
  while (std::getline(lines, line)) {
    ++number;
    std::istringstream tokens(line);
    std::string word;
    tokens >> word;
    Evaluation e;
    auto next = [&](double& v) {
      std::string t;
      if (!(tokens >> t) || !parse_double(t, v))
        throw JournalError(path_ + ":" + std::to_string(number) + ": damaged journal line");
    };
    if (word != "eval")
      throw JournalError(path_ + ":" + std::to_string(number) + ": damaged journal line");
    e.values.resize(parameters_);
    for (double& v : e.values) next(v);
    next(e.objective);
    e.moments.resize(targets_);
    for (MomentStats& m : e.moments) {
      double n = 0;
      next(m.mean), next(m.sd), next(m.min), next(m.max), next(n);
      m.n = static_cast<int>(n);
    }
    stored_[e.values] = e;
  }
}

const Evaluation* Journal::find(const std::vector<double>& values) const {
  auto it = stored_.find(values);
  return it == stored_.end() ? nullptr : &it->second;
}

void Journal::append(const Evaluation& e) {
  std::ostringstream text;
  text << "eval";
  for (double v : e.values) text << ' ' << hex(v);
  text << ' ' << hex(e.objective);
  for (const MomentStats& m : e.moments)
    text << ' ' << hex(m.mean) << ' ' << hex(m.sd) << ' ' << hex(m.min) << ' ' << hex(m.max) << ' '
         << m.n;
  text << '\n';
  const std::string line = text.str();
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fsync(fd_) != 0)
    throw std::runtime_error(system_error(path_, "cannot write the journal"));
  stored_[e.values] = e;
}

}  // namespace vcsim
