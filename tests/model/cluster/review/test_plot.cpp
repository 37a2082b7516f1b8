#include <catch2/catch.hpp>
#include <string>

#include "model/cluster/review/plot.hpp"

using namespace lmc::review;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a plot draws one bar per category and series, ranges and the target", "[review][plot]") {
  PlotPanel panel{"pages <per> round", "pages", {"round 0", "round 1", "final"}, {}, 300.0,
                  "target & limit"};
  panel.series.push_back({"sent", {100, 20, 5}, {90, 10, 1}, {110, 30, 9}, "#111111", false});
  panel.series.push_back({"dirty", {20, 5, 0}, {}, {}, "#222222", false});
  panel.series.push_back({"rate", {1, 2, 3}, {}, {}, "#333333", true});
  const auto svg = svg_of_plot("title", {panel});
  CHECK(count(svg, "fill=\"#111111\"") == 3 + 1);  // three bars and the legend's box
  CHECK(count(svg, "fill=\"#222222\"") == 3 + 1);
  CHECK(count(svg, "<polyline") == 1);
  CHECK(count(svg, "stroke=\"#1f2933\"") == 3 * 3);  // a whisker and two caps per range
  CHECK(svg.find("stroke-dasharray=\"6 4\"") != std::string::npos);
  CHECK(svg.find("target &amp; limit") != std::string::npos);
  CHECK(svg.find("pages &lt;per&gt; round") != std::string::npos);
}

TEST_CASE("a plot's axis reaches above its largest value", "[review][plot]") {
  PlotPanel panel{"t", "y", {"a"}, {{"s", {730}, {}, {}, "#111111", false}}, std::nullopt, ""};
  const auto svg = svg_of_plot("title", {panel});
  CHECK(svg.find(">1000</text>") != std::string::npos);  // the next round number
}
