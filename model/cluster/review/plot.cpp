#include "model/cluster/review/plot.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "model/cluster/review/svg.hpp"

namespace lmc::review {
namespace {

constexpr double kWidth = 760;
constexpr double kLeft = 70;
constexpr double kRight = 20;
constexpr double kPanelHeight = 250;
constexpr double kPlotTop = 30;     ///< within a panel: below its title
constexpr double kPlotBottom = 60;  ///< within a panel: room for the categories
constexpr double kTitle = 34;

/// A round number at or above `value`: 1, 2 or 5 times a power of ten.
double nice_ceiling(double value) {
  if (value <= 0) return 1;
  const double power = std::pow(10, std::floor(std::log10(value)));
  for (const double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

std::string number(double value) {
  if (value == 0) return "0";
  if (std::abs(value) >= 100) return fmt::format("{:.0f}", value);
  if (std::abs(value) >= 1) return fmt::format("{:.3g}", value);
  return fmt::format("{:.2g}", value);
}

double panel_max(const PlotPanel& panel) {
  double top = panel.reference.value_or(0);
  for (const auto& s : panel.series) {
    for (const double v : s.values) top = std::max(top, v);
    for (const double v : s.high) top = std::max(top, v);
  }
  return nice_ceiling(top * 1.05);
}

class PanelDrawer {
 public:
  PanelDrawer(SvgWriter& svg, const PlotPanel& panel, double top)
      : svg_(svg), panel_(panel), top_(top), max_(panel_max(panel)) {}

  void draw() {
    svg_.text(kLeft, top_ + 18, panel_.title, "font-size=\"13\" font-weight=\"bold\"");
    axes();
    const std::size_t bars = std::count_if(panel_.series.begin(), panel_.series.end(),
                                           [](const PlotSeries& s) { return !s.line; });
    std::size_t bar = 0;
    for (const auto& s : panel_.series) {
      if (s.line) {
        line(s);
      } else {
        bars_of(s, bar++, bars);
      }
    }
    reference();
    legend();
  }

 private:
  double plot_top() const { return top_ + kPlotTop; }
  double plot_bottom() const { return top_ + kPanelHeight - kPlotBottom; }
  double y_of(double v) const {
    return plot_bottom() - (plot_bottom() - plot_top()) * std::clamp(v / max_, 0.0, 1.0);
  }
  double slot() const {
    return (kWidth - kLeft - kRight) / std::max<std::size_t>(panel_.categories.size(), 1);
  }
  double x_of(std::size_t category) const { return kLeft + slot() * (category + 0.5); }

  void axes() {
    for (int i = 0; i <= 4; ++i) {
      const double v = max_ * i / 4;
      const double y = y_of(v);
      svg_.line(kLeft, y, kWidth - kRight, y, "stroke=\"#e4e7eb\"");
      svg_.text(kLeft - 6, y + 4, number(v), "fill=\"#52606d\"", "end");
    }
    svg_.line(kLeft, plot_bottom(), kWidth - kRight, plot_bottom(), "stroke=\"#52606d\"");
    svg_.text(14, (plot_top() + plot_bottom()) / 2, panel_.y_label,
              fmt::format("fill=\"#52606d\" transform=\"rotate(-90 14 {:.1f})\"",
                          (plot_top() + plot_bottom()) / 2),
              "middle");
    for (std::size_t c = 0; c < panel_.categories.size(); ++c) {
      svg_.text(x_of(c), plot_bottom() + 16, panel_.categories[c], "fill=\"#1f2933\"", "middle");
    }
  }

  void bars_of(const PlotSeries& s, std::size_t index, std::size_t count) {
    const double group = slot() * 0.8;
    const double width = group / std::max<std::size_t>(count, 1);
    for (std::size_t c = 0; c < s.values.size() && c < panel_.categories.size(); ++c) {
      const double x = x_of(c) - group / 2 + width * index;
      const double y = y_of(s.values[c]);
      svg_.rect(x + 1, y, width - 2, plot_bottom() - y, fmt::format("fill=\"{}\"", s.colour));
      if (c < s.low.size() && c < s.high.size()) {
        const double mid = x + width / 2;
        svg_.line(mid, y_of(s.low[c]), mid, y_of(s.high[c]), "stroke=\"#1f2933\"");
        svg_.line(mid - 3, y_of(s.high[c]), mid + 3, y_of(s.high[c]), "stroke=\"#1f2933\"");
        svg_.line(mid - 3, y_of(s.low[c]), mid + 3, y_of(s.low[c]), "stroke=\"#1f2933\"");
      }
    }
  }

  void line(const PlotSeries& s) {
    std::string points;
    for (std::size_t c = 0; c < s.values.size() && c < panel_.categories.size(); ++c) {
      points += fmt::format("{:.1f},{:.1f} ", x_of(c), y_of(s.values[c]));
      svg_.rect(x_of(c) - 3, y_of(s.values[c]) - 3, 6, 6, fmt::format("fill=\"{}\"", s.colour));
    }
    svg_.polyline(points, fmt::format("stroke=\"{}\" stroke-width=\"2\"", s.colour));
  }

  void reference() {
    if (!panel_.reference) return;
    const double y = y_of(*panel_.reference);
    svg_.line(kLeft, y, kWidth - kRight, y,
              "stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
    svg_.text(kWidth - kRight - 4, y - 4, panel_.reference_label, "fill=\"#c62828\"", "end");
  }

  void legend() {
    double x = kLeft;
    const double y = plot_bottom() + 36;
    for (const auto& s : panel_.series) {
      svg_.rect(x, y - 9, 10, 10, fmt::format("fill=\"{}\"", s.colour));
      svg_.text(x + 14, y, s.name, "fill=\"#1f2933\"");
      x += 24 + text_width(s.name);
    }
  }

  SvgWriter& svg_;
  const PlotPanel& panel_;
  double top_;
  double max_;
};

}  // namespace

std::string svg_of_plot(const std::string& title, const std::vector<PlotPanel>& panels) {
  SvgWriter svg(kWidth, kTitle + kPanelHeight * static_cast<double>(panels.size()) + 10);
  svg.text(10, 20, title, "font-size=\"14\" font-weight=\"bold\"");
  double top = kTitle;
  for (const auto& panel : panels) {
    PanelDrawer(svg, panel, top).draw();
    top += kPanelHeight;
  }
  return svg.finish();
}

}  // namespace lmc::review
