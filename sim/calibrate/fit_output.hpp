#pragma once
// What a calibration leaves behind (docs/calibration.md): the fit table as text, the fit
// file (HDF5: targets with observed and simulated values, parameters, the optimiser's
// trace) and the fitted scenario (a TOML file that includes the original and sets the
// fitted values). Files are written to a temporary name and renamed when complete.
#include <string>

#include "calibrate/calibration.hpp"

namespace vcsim {

inline constexpr const char* kFitFileKind = "vcsim.calibration";
// 1.1: /targets/band_low and band_high.
inline constexpr int kFitFormatMajor = 1, kFitFormatMinor = 1;

// One row per target: observed, simulated mean (sd) [min-max], z (target_z) and the
// relative error; then the parameters with their start and value.
std::string fit_table(const Calibration& calibration, const Evaluation& evaluation,
                      const std::vector<double>& start);

void write_fit_file(const std::string& path, const Calibration& calibration,
                    const CalibrationResult& result);

// The fitted scenario's text; `fitted_path` is where it will be written, for the relative
// include of the original.
std::string fitted_scenario_text(const Calibration& calibration, const CalibrationResult& result,
                                 const std::string& fitted_path);

// Validates the text as a scenario read from `path` (ScenarioError otherwise), then writes it.
void write_fitted_scenario(const std::string& path, const std::string& text);

}  // namespace vcsim
