// "Did you mean ...?" for an unknown field: the known key nearest to what the user
// wrote, by edit distance, or else the list of known keys. Apart from the readers
// because it is about wording a typo, not about the format.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <range/v3/algorithm/min_element.hpp>
#include <range/v3/functional/comparisons.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/join.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster/config/config_json_detail.hpp"

namespace lmc::cluster::json_detail {
namespace {

/// Levenshtein distance, to suggest the field a typo meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

/// A known key near enough to be what the user meant: at most two edits, and few
/// relative to its length so that short keys do not match everything. On a tie the
/// first in `known` wins.
std::optional<std::string> closest_known(const std::string& key,
                                         const std::vector<std::string>& known) {
  const auto distance = [&key](const std::string& candidate) {
    return edit_distance(key, candidate);
  };
  const auto near = [&distance](const std::string& candidate) {
    const std::size_t edits = distance(candidate);
    return edits <= 2 && edits * 3 <= candidate.size();
  };
  auto candidates = known | ranges::views::filter(near);
  const auto best = ranges::min_element(candidates, ranges::less{}, distance);
  if (best == ranges::end(candidates)) return std::nullopt;
  return *best;
}

}  // namespace

std::string unknown_field_message(const std::string& key, const std::vector<std::string>& known) {
  if (const auto close = closest_known(key, known)) {
    return "unknown field; did you mean " + in_quotes(*close) + "?";
  }
  const auto list = known | ranges::views::join(std::string_view(", ")) | ranges::to<std::string>();
  return "unknown field; known fields: " + list;
}

}  // namespace lmc::cluster::json_detail
