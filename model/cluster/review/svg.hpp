#pragma once
// A few SVG elements written as text: enough for the sequence charts and
// plots of the review (no Debian library writes SVG from C++, and what these
// pictures need is a dozen element kinds). Every text is escaped here, so a
// unit or VM name from a configuration cannot break the document.

#include <string>
#include <string_view>

#include "checker/engine/xml_text.hpp"

namespace lmc::review {

using lmc::escape_xml;

class SvgWriter {
 public:
  SvgWriter(double width, double height);

  void line(double x1, double y1, double x2, double y2, std::string_view style);
  void rect(double x, double y, double w, double h, std::string_view style, double radius = 0);
  /// `anchor` is start, middle or end; `tooltip` (optional) becomes a <title>.
  void text(double x, double y, std::string_view content, std::string_view style,
            std::string_view anchor = "start", std::string_view tooltip = {});
  void polyline(std::string_view points, std::string_view style);
  /// A raw fragment the caller built (already escaped).
  void raw(std::string_view fragment);

  /// The whole document, with a white background and the shared styles.
  std::string finish() const;

 private:
  double width_;
  double height_;
  std::string body_;
};

/// Writes `content` to `path` (replacing it); false with `error` set to
/// "PATH: cannot write (reason)" when that fails.
bool write_text_file(const std::string& path, std::string_view content, std::string& error);

/// Approximate width of `text` in the chart's font (11 px sans-serif): the
/// layout has no font metrics, so it over-estimates a little.
double text_width(std::string_view text, double font_px = 11);

}  // namespace lmc::review
