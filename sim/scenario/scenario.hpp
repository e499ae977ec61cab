#pragma once
// The immutable, validated description of a simulated world (MODEL.md sections 1, 2
// and 8). A scenario file parses into a Scenario; a World is built from
// `const Scenario&` and owns everything that changes. Code past the reader trusts
// these values: the reader has checked every range listed in docs/model.md.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/time_series.hpp"

namespace vcsim {

inline constexpr int kStageCount = 6;   // 0 unfunded, 1 seed, 2 A, 3 B, 4 C, 5 D+
inline constexpr int kRoundStages = 5;  // rounds lead to stages 1..5
inline constexpr int kFocusCount = 3;   // seed, early, growth

enum class Focus : std::uint8_t { seed = 0, early = 1, growth = 2 };

// Per round stage 1..5, stored at index stage - 1.
using StageArray = std::array<double, kRoundStages>;

struct SectorSpec {
  std::string name;
  bool deep_tech = false;
  TimeSeries gestation_months{0.0};      // months; mean wait for the milestone
  TimeSeries tech_hazard{0.0};           // /year, until the milestone
  TimeSeries base_hazard{0.06};          // /year
  TimeSeries drift{0.10};                // /year
  TimeSeries volatility{0.70};           // /year
  TimeSeries quality_loading{0.18};      // theta
  TimeSeries capital_intensity{1.0};     // factor on value, burn and rounds
  TimeSeries ma_rate{0.12};              // /year
  TimeSeries milestone_jump{0.4};        // log units
  TimeSeries ipo_threshold_factor{1.0};  // factor on the region's ipo_threshold
};

struct LocalitySpec {
  std::string name;
  double weight = 1.0;
};

struct RegionSpec {
  std::string name;
  TimeSeries births{0.0};                // startups/year
  std::vector<double> sector_mix;        // one share per sector, sums to 1
  std::vector<LocalitySpec> localities;  // weights sum to 1
  TimeSeries mu_q{0.0};                  // log founder quality mean
  TimeSeries sigma_q{1.0};               // log founder quality sd
  TimeSeries lp_inflow{0.0};             // USD m/year of new private LP money
  TimeSeries lp_return_elasticity{0.5};
  TimeSeries sentiment{1.0};         // m(t), valuation multiple
  TimeSeries ipo_rate_factor{1.0};   // [0, 1]
  TimeSeries ipo_threshold{1000.0};  // USD m
  TimeSeries ipo_rate{0.2};          // /year
  TimeSeries round_scale{1.0};
  TimeSeries round_index{1.0};
  TimeSeries ma_factor{1.0};
  StageArray coinvest_share{0.0, 0.1, 0.2, 0.4, 0.6};
  TimeSeries coinvest_index{1.0};  // x coinvest_share over time (docs/model.md D38)
};

// Terms of a fund kind (private, or guidance-backed).
struct FundTerms {
  int inv_period = 60;         // months
  int life = 120;              // months
  int extension_months = 24;   // months
  int followon_horizon = 24;   // months of life needed to make a follow-on
  double fee_rate = 0.02;      // /year
  double carry_rate = 0.20;    // share
  double reserve_ratio = 0.5;  // share of investable kept for follow-ons
};

struct StartupParams {
  double tau_q = 60;                     // months; fade of the quality premium
  double premilestone_drift_cut = 0.10;  // /year
  double seed_value = 4;                 // USD m
  double founder_cash = 0.5;             // USD m
  double runway_months = 6;              // months
  // A startup seeks its next round with runway_months x max(1, m)^this of burn left:
  // hot markets bring rounds forward (docs/model.md D36); 0 is MODEL.md's fixed runway.
  double runway_sentiment_elasticity = 0;
  // Share of its stage's burn a startup keeps after a round it sought fails to close,
  // until its next round closes (docs/model.md D29); 1 keeps burn constant (MODEL.md).
  double stall_burn_factor = 1.0;
  // Share of funded startups that, when their cash runs out, are bought for their team
  // and technology instead of failing (docs/model.md D32); 0 keeps MODEL.md's failure.
  double soft_landing_share = 0;
  // Rate (/year) at which a stalled startup reaches break-even and lives on its revenue,
  // its burn 0 (docs/model.md D39); 0 is MODEL.md's startup, burning until it ends.
  double break_even_rate = 0;
  // Factor on base_hazard by the stage a startup has reached: a company that raised
  // later rounds has a tested business and fails less often (docs/model.md D33); all 1
  // is MODEL.md's one hazard for every stage.
  std::array<double, kStageCount> hazard_stage_factor{1, 1, 1, 1, 1, 1};
  // Factor on that base hazard for a unicorn, a startup whose last post-money is at
  // least market.unicorn_value: a company priced at USD 1 bn holds the cash and the
  // ways out (a sale, an insiders' bridge) that make it fail less often than others of
  // its stage (docs/model.md D37); 1 is MODEL.md's hazard, the same for every value.
  double unicorn_hazard_factor = 1.0;
  std::array<double, kStageCount> burn{0.04, 0.10, 0.45, 1.1, 2.0, 4.0};  // USD m/month
};

struct MarketParams {
  StageArray round_size{2.5, 11, 28, 55, 110};      // USD m
  StageArray benchmark_pre{12, 40, 110, 250, 600};  // USD m
  StageArray threshold{0.8, 1.0, 1.2, 1.6, 1.8};    // signal units
  double max_dilution = 0.35;
  double min_fill = 0.6;
  // A D+ round asks for at least this share of its pre-money, within max_dilution, and
  // closes at min_fill of its target size (docs/model.md D35); 0 keeps MODEL.md's rounds,
  // sized in dollars whatever the startup's value.
  double late_round_share = 0;
  double traction_weight = 1.0;
  double rho = 0.5;
  int deal_flow = 8;
  double max_check_share = 0.04;
  double acquisition_discount = 0.7;
  // Acquirers rarely buy the largest startups: above acquisition_reference_value (USD m
  // of F x m) the monthly acquisition probability falls as (reference / value) to this
  // power (docs/model.md D30); 0 keeps MODEL.md's hazard, whatever the value.
  double acquisition_value_elasticity = 0;
  double acquisition_reference_value = 1000;  // USD m
  double secondary_discount = 0.6;
  double unicorn_value = 1000;  // USD m
  // A unicorn with cash for another month declines a round whose pre-money is below this
  // share of its last post-money, and waits, stalled, for a better price (docs/model.md
  // D34); 0 takes every round offered (MODEL.md).
  double unicorn_down_round_floor = 0;
  int unicorn_age_cap = 120;  // months, the age-capped definition
};

struct FundraisingParams {
  std::array<double, kFocusCount> focus_mix{0.65, 0.27, 0.08};
  std::array<double, kFocusCount> entry_size{60, 200, 600};  // USD m
  double specialist_share = 0.3;
  double sigma_skill_min = 0.4;
  double sigma_skill_max = 1.6;
  double new_firm_share = 0.2;
  double new_firm_reputation = 0.7;
  double seek_deployed = 0.7;
  int min_fund_gap = 24;  // months
  double size_clip_min = 0.6;
  double size_clip_max = 2.0;
  double min_close_share = 0.3;
  int max_failed_raises = 3;
  double initial_pool_years = 1;
  double patient_share = 0;
  int patient_life = 180;  // months
};

// A government fund-of-funds (MODEL.md sections 2, 3.4, 3.5, 3.7).
enum class GuidanceLevel : std::uint8_t { national = 0, provincial = 1, municipal = 2 };

struct GuidanceFundSpec {
  std::string name;
  GuidanceLevel level = GuidanceLevel::national;
  int region = 0;
  int home_locality = -1;              // index into the region's localities; -1 for national
  int start_month = 0;                 // first deployment: that January's fundraising or later
  double size = 0;                     // USD m committed by the state over the deployment
  double years_to_deploy = 10;         // size / years_to_deploy is offered each year
  std::vector<double> sector_weights;  // one weight per sector, sums to 1; targets have > 0
  double state_share_max = 0.3;        // the state's share of a sub-fund
  double sector_quota = 0.6;           // share of a sub-fund's investment that must go to targets
  double reinvest_ratio = 0;           // multiple of the state stake to invest at home; 0 = no rule
  double return_cap = 0.08;            // /year compounding cap on the state's return
  double selection_quality = 0.5;      // probability GPs are chosen by track record
  double failure_tolerance = 0.3;      // signal units subtracted from the screening threshold
  int subfund_life = 120;              // months
  double early_stage_share = 0;        // share of money to seed- and early-focus sub-funds
  double direct_share = 0;             // share of money for direct stakes in B+ rounds
  double sigma_direct = 1.2;           // screening noise of direct investments
  double max_direct_check = 0.02;      // share of size in one direct check
  int buyout_years = 0;                // Yozma: private partners may buy the state's stake ...
  double buyout_rate = 0;              // ... at cost compounded at this rate within these years
};

// A policy event (MODEL.md 3.1), active from first_month to last_month inclusive, in
// the listed regions and sectors (empty: all).
enum class EventKind : std::uint8_t {
  export_control = 0,
  crackdown = 1,
  ipo_window = 2,
  procurement = 3,
  tariff = 4,
  talent = 5,
  grant = 6,
};

struct EventSpec {
  std::string name;
  EventKind kind = EventKind::export_control;
  int first_month = 0, last_month = 0;
  std::vector<int> regions, sectors;
  double hazard_shift = 0;      // export_control: + to tech_hazard, /year
  double drift_shift = 0;       // export_control, tariff: - to drift; procurement: +
  double ipo_factor = 1;        // export_control, crackdown: x ipo_rate_factor
  double sentiment_factor = 1;  // crackdown: x m
  double ipo_rate_factor = 1;   // ipo_window: ipo_rate_factor set to this value
  double quality_shift = 0;     // talent: + mu_q
  double births_factor = 1;     // talent: x births
  double budget = 0;            // grant: USD m a year, paid monthly
  double grant_size = 0;        // grant: USD m per grant
  std::vector<int> stages;      // grant: eligible stages 0..5 (empty: all)
  double sigma_grant = 1;       // grant: noise of the signal of log q
};

struct Scenario {
  std::string name;
  std::string source_path;    // the file it was read from
  std::string resolved_text;  // the fully resolved scenario, as TOML
  int start_year = 2000;
  int end_year = 2045;
  std::uint32_t seed = 1;
  int replications = 1;
  std::vector<int> report_years;  // December values shown by `vcsim info`

  std::vector<RegionSpec> regions;
  std::vector<SectorSpec> sectors;
  StartupParams startup;
  MarketParams market;
  FundTerms private_funds;
  FundTerms guidance_funds_terms;  // terms of guidance-backed sub-funds
  FundraisingParams fundraising;
  std::vector<GuidanceFundSpec> guidance_funds;  // in alphabetical order of names
  std::vector<EventSpec> events;                 // in alphabetical order of names

  int months() const { return (end_year - start_year + 1) * 12; }
  int years() const { return end_year - start_year + 1; }
  int region_index(const std::string& n) const;
  int sector_index(const std::string& n) const;
};

inline int Scenario::region_index(const std::string& n) const {
  for (std::size_t i = 0; i < regions.size(); ++i)
    if (regions[i].name == n) return static_cast<int>(i);
  return -1;
}
inline int Scenario::sector_index(const std::string& n) const {
  for (std::size_t i = 0; i < sectors.size(); ++i)
    if (sectors[i].name == n) return static_cast<int>(i);
  return -1;
}

}  // namespace vcsim
