// The failure catalogue as one picture (lmc review --svg): the fault-by-phase
// table of the HTML report, each entry with the outcomes the fault alone
// leads to, and in grey those that need a further fault.
#include <fmt/core.h>

#include "model/cluster/review/fault_catalogue.hpp"
#include "model/cluster/review/svg.hpp"

namespace lmc::review {
namespace {

constexpr double kRowHeader = 110;
constexpr double kColumn = 225;
constexpr double kLine = 15;
constexpr double kTop = 58;

const char* outcome_colour(int outcome) {
  const std::string_view status = outcome_statuses()[outcome];
  return status == "$AE"   ? "#b45309"
         : status == "$T"  ? "#2e7d32"
         : status == "$TW" ? "#7c6f00"
                           : "#c62828";
}

/// The lines of one entry: (text, colour).
std::vector<std::pair<std::string, std::string>> entry_lines(const CatalogueCell& cell) {
  std::vector<std::pair<std::string, std::string>> lines;
  if (!cell.enabled) return {{"not in scope", "#9aa5b1"}};
  for (int o = 0; o < kOutcomes; ++o) {
    if (cell.witnesses[o]) lines.emplace_back(outcome_names()[o], outcome_colour(o));
  }
  for (int o = 0; o < kOutcomes; ++o) {
    if (cell.with_more_faults[o]) {
      lines.emplace_back(fmt::format("+fault: {}", outcome_codes()[o]), "#9aa5b1");
    }
  }
  if (lines.empty()) lines.emplace_back("cannot happen", "#9aa5b1");
  return lines;
}

}  // namespace

std::string catalogue_svg(const Catalogue& cat, const std::string& title) {
  std::vector<double> row_heights;
  for (int f = 0; f < kFaultKinds; ++f) {
    std::size_t most = 1;
    for (int p = 0; p < kLmPhases; ++p) most = std::max(most, entry_lines(cat.cell(f, p)).size());
    row_heights.push_back(static_cast<double>(most) * kLine + 10);
  }
  double height = kTop + 10;
  for (const double h : row_heights) height += h;
  SvgWriter svg(kRowHeader + kColumn * kLmPhases + 10, height + 30);
  svg.text(8, 18, title, "font-size=\"13\" font-weight=\"bold\"");
  svg.text(8, 36,
           fmt::format("What can follow each fault kind in each LM phase ({} states{})", cat.states,
                       cat.complete ? "" : ", INCOMPLETE"),
           "fill=\"#52606d\"");
  for (int p = 0; p < kLmPhases; ++p) {
    svg.text(kRowHeader + kColumn * (p + 0.5), kTop, lm_phase_names()[p], "font-weight=\"bold\"",
             "middle");
  }
  double y = kTop + 8;
  for (int f = 0; f < kFaultKinds; ++f) {
    const double h = row_heights[f];
    svg.rect(4, y, kRowHeader + kColumn * kLmPhases, h,
             f % 2 ? "fill=\"#ffffff\"" : "fill=\"#f5f7fa\"");
    svg.text(10, y + 16, cat.fault_kinds[f], "font-weight=\"bold\"");
    for (int p = 0; p < kLmPhases; ++p) {
      double line_y = y + 16;
      for (const auto& [text, colour] : entry_lines(cat.cell(f, p))) {
        svg.text(kRowHeader + kColumn * p + 6, line_y, text, fmt::format("fill=\"{}\"", colour));
        line_y += kLine;
      }
    }
    y += h;
  }
  svg.text(8, y + 20,
           "+fault: the outcome needs a further fault after this one (within the fault budget)",
           "fill=\"#52606d\" font-size=\"10\"");
  return svg.finish();
}

}  // namespace lmc::review
