#pragma once
// Small SVG charts for lmc's measurements (lmc migrate --plot, lmc bench
// transfer --plot): panels stacked top to bottom, each with categories on the
// x axis and, per category, one bar per series (with its range as a whisker
// where one is given) or a line through the series' points, and an optional
// dashed reference line (a target). Written directly as SVG, like the
// sequence charts: gnuplot would add a process and a dependency for what
// amounts to rectangles and text.

#include <optional>
#include <string>
#include <vector>

namespace lmc::review {

struct PlotSeries {
  std::string name;
  std::vector<double> values;  ///< one per category
  std::vector<double> low;     ///< optional: the range's ends, one per category
  std::vector<double> high;
  std::string colour = "#1f77b4";
  bool line = false;  ///< a line through the points instead of bars
};

struct PlotPanel {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<PlotSeries> series;
  std::optional<double> reference;  ///< a dashed horizontal line, e.g. a target
  std::string reference_label;
};

std::string svg_of_plot(const std::string& title, const std::vector<PlotPanel>& panels);

}  // namespace lmc::review
