// Draws a SequenceChart (sequence_chart.hpp) as SVG: lifelines in columns,
// one row per event, top to bottom in the order of the trace.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "model/cluster/review/sequence_chart.hpp"
#include "model/cluster/review/svg.hpp"

namespace lmc::review {
namespace {

constexpr double kMargin = 64;  ///< left column: step numbers or times
constexpr double kLaneWidth = 200;
constexpr double kTitleHeight = 28;
constexpr double kHeaderHeight = 44;
constexpr double kRow = 20;
constexpr double kStepRow = 26;
constexpr double kVerdictRow = 34;

double lane_x(int lane) {
  return kMargin + kLaneWidth * (lane + 0.5);
}

/// `text` cut to about `width` pixels, with an ellipsis when cut.
std::string fitted(const std::string& text, double width) {
  if (text_width(text) <= width) return text;
  std::string cut;
  for (const char c : text) {
    if (text_width(cut + c + "...") > width && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      break;
    }
    cut += c;
  }
  return cut + "...";
}

double row_height(const ChartEvent& e) {
  switch (e.kind) {
    case ChartEventKind::step:
    case ChartEventKind::fault:
      return kStepRow;
    case ChartEventKind::verdict:
      return kVerdictRow;
    default:
      return kRow;
  }
}

void draw_header(SvgWriter& svg, const SequenceChart& chart, double bottom) {
  svg.text(8, 18, chart.title, "font-size=\"13\" font-weight=\"bold\"");
  for (int i = 0; i < static_cast<int>(chart.lanes.size()); ++i) {
    const auto& lane = chart.lanes[i];
    const double x = lane_x(i);
    const double top = kTitleHeight;
    svg.line(x, top + kHeaderHeight, x, bottom, "stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"");
    svg.rect(x - kLaneWidth / 2 + 8, top, kLaneWidth - 16, kHeaderHeight - 6,
             "fill=\"#e8eef5\" stroke=\"#52606d\"", 4);
    svg.text(x, top + 16, fitted(lane.name, kLaneWidth - 24), "font-weight=\"bold\"", "middle",
             lane.name);
    svg.text(x, top + 31, fitted(lane.title, kLaneWidth - 24), "fill=\"#52606d\" font-size=\"10\"",
             "middle");
  }
}

void draw_box(SvgWriter& svg, double x, double y, const std::string& label, const char* fill,
              const char* stroke, const char* text_style, double max_width) {
  const auto shown = fitted(label, max_width);
  const double w = text_width(shown) + 10;
  svg.rect(x - w / 2, y - 12, w, 16, fmt::format("fill=\"{}\" stroke=\"{}\"", fill, stroke), 3);
  svg.text(x, y, shown, text_style, "middle", shown == label ? "" : label);
}

void draw_step(SvgWriter& svg, const ChartEvent& e, double y, const std::string& ids) {
  const char* colour = e.alarm ? "#c62828" : "#1f3b57";
  if (e.from == e.to) {
    draw_box(svg, lane_x(e.from), y, e.label, "#ffffff", colour,
             e.alarm ? "fill=\"#c62828\" font-weight=\"bold\"" : "font-weight=\"bold\"",
             2 * kLaneWidth - 20);
    return;
  }
  const double x1 = lane_x(e.from);
  const double x2 = lane_x(e.to);
  svg.line(x1, y, x2, y,
           fmt::format("stroke=\"{}\" stroke-width=\"1.6\" marker-end=\"url(#{}{})\"", colour, ids,
                       e.alarm ? "arrow-red" : "arrow"));
  // A label may reach past the arrow's ends: the row holds nothing else.
  const double span = std::abs(x2 - x1) + kLaneWidth - 20;
  const auto shown = fitted(e.label, span);
  svg.text((x1 + x2) / 2, y - 5, shown, fmt::format("fill=\"{}\" font-weight=\"bold\"", colour),
           "middle", shown == e.label ? "" : e.label);
}

void draw_fault(SvgWriter& svg, const ChartEvent& e, double y) {
  const double x1 = lane_x(e.from);
  const double x2 = lane_x(e.to);
  if (e.from != e.to) {
    svg.line(x1, y + 2, x2, y + 2,
             "stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"");
  }
  for (const double x : {x1, x2}) {
    const double c = e.from == e.to ? y - 4 : y + 2;  // the cross's centre
    svg.line(x - 5, c - 5, x + 5, c + 5, "stroke=\"#c62828\" stroke-width=\"2.5\"");
    svg.line(x - 5, c + 5, x + 5, c - 5, "stroke=\"#c62828\" stroke-width=\"2.5\"");
    if (e.from == e.to) break;
  }
  // Across lanes the label goes above the dashed line, on one lane beside the cross.
  const double x = e.from == e.to ? x1 + 10 : (x1 + x2) / 2;
  const auto shown = fitted("fault: " + e.label, 1.5 * kLaneWidth);
  svg.text(x, e.from == e.to ? y : y - 5, shown, "fill=\"#c62828\" font-weight=\"bold\"",
           e.from == e.to ? "start" : "middle", shown == e.label ? "" : e.label);
}

void draw_verdict(SvgWriter& svg, const ChartEvent& e, double y, std::size_t lanes) {
  const double width = kLaneWidth * static_cast<double>(std::max<std::size_t>(lanes, 1)) - 16;
  svg.rect(kMargin + 8, y - 16, width, 24,
           e.alarm ? "fill=\"#fdecea\" stroke=\"#c62828\" stroke-width=\"1.5\""
                   : "fill=\"#e8f5e9\" stroke=\"#2e7d32\" stroke-width=\"1.5\"",
           4);
  svg.text(kMargin + 8 + width / 2, y, e.label,
           e.alarm ? "fill=\"#c62828\" font-weight=\"bold\" font-size=\"13\""
                   : "fill=\"#2e7d32\" font-weight=\"bold\" font-size=\"13\"",
           "middle");
}

void draw_event(SvgWriter& svg, const ChartEvent& e, double y, std::size_t lanes,
                const std::string& ids) {
  if (!e.mark.empty()) svg.text(kMargin - 10, y, e.mark, "fill=\"#52606d\"", "end");
  switch (e.kind) {
    case ChartEventKind::step:
      return draw_step(svg, e, y, ids);
    case ChartEventKind::fault:
      return draw_fault(svg, e, y);
    case ChartEventKind::verdict:
      return draw_verdict(svg, e, y, lanes);
    case ChartEventKind::status:
      return draw_box(svg, lane_x(e.from), y, e.label, e.alarm ? "#fdecea" : "#fff8e1",
                      e.alarm ? "#c62828" : "#b7791f", "fill=\"#5f370e\"", kLaneWidth - 10);
    case ChartEventKind::note:
      return draw_box(svg, lane_x(e.from), y, e.label, e.alarm ? "#fdecea" : "#f5f7fa", "#cbd2d9",
                      "fill=\"#1f2933\" font-family=\"DejaVu Sans Mono, monospace\"",
                      2.2 * kLaneWidth);
  }
}

std::string arrow_markers(const std::string& ids) {
  auto marker = [&](const char* name, const char* colour) {
    return fmt::format(
        "<marker id=\"{}{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
        ids, name, colour);
  };
  return "<defs>" + marker("arrow", "#1f3b57") + marker("arrow-red", "#c62828") + "</defs>\n";
}

}  // namespace

std::string svg_of_chart(const SequenceChart& chart, const std::string& id_prefix) {
  double height = kTitleHeight + kHeaderHeight + 10;
  for (const auto& e : chart.events) height += row_height(e);
  height += 10;
  // Room on the right for the notes of the last lifeline, which are wider
  // than its column.
  const double width =
      std::max(kMargin + kLaneWidth * (static_cast<double>(chart.lanes.size()) + 0.5) + 16, 480.0);
  SvgWriter svg(width, height);
  svg.raw(arrow_markers(id_prefix));
  draw_header(svg, chart, height - 6);
  double y = kTitleHeight + kHeaderHeight + 10;
  for (const auto& e : chart.events) {
    const double h = row_height(e);
    draw_event(svg, e, y + h - 7, chart.lanes.size(), id_prefix);
    y += h;
  }
  return svg.finish();
}

}  // namespace lmc::review
