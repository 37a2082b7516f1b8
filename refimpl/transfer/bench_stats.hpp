#pragma once
// The figures a benchmark reports from its repeats: the median and the range
// (not the best run, which hides how much the machine disturbed the others).

#include <algorithm>
#include <vector>

namespace lmc::ref {

struct Spread {
  double median = 0;
  double low = 0;
  double high = 0;
};

inline Spread spread_of(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  const double median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2.0;
  return {median, samples.front(), samples.back()};
}

}  // namespace lmc::ref
