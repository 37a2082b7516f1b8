#include "model/cluster/review/svg.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lmc::review {

SvgWriter::SvgWriter(double width, double height) : width_(width), height_(height) {}

void SvgWriter::line(double x1, double y1, double x2, double y2, std::string_view style) {
  body_ += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" {}/>\n", x1,
                       y1, x2, y2, style);
}

void SvgWriter::rect(double x, double y, double w, double h, std::string_view style,
                     double radius) {
  body_ += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" rx=\"{:.1f}\" {}/>\n", x,
      y, w, h, radius, style);
}

void SvgWriter::text(double x, double y, std::string_view content, std::string_view style,
                     std::string_view anchor, std::string_view tooltip) {
  const std::string title =
      tooltip.empty() ? std::string() : fmt::format("<title>{}</title>", escape_xml(tooltip));
  body_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" {}>{}{}</text>\n", x, y,
                       anchor, style, title, escape_xml(content));
}

void SvgWriter::polyline(std::string_view points, std::string_view style) {
  body_ += fmt::format("<polyline points=\"{}\" fill=\"none\" {}/>\n", points, style);
}

void SvgWriter::raw(std::string_view fragment) {
  body_ += fragment;
}

std::string SvgWriter::finish() const {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"DejaVu Sans, Arial, sans-serif\" "
      "font-size=\"11\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{0:.0f}\" height=\"{1:.0f}\" fill=\"#ffffff\"/>\n{2}</svg>\n",
      width_, height_, body_);
}

bool write_text_file(const std::string& path, std::string_view content, std::string& error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (out) out.close();
  if (!out) {
    error = fmt::format("{}: cannot write ({})", path, std::strerror(errno));
    return false;
  }
  return true;
}

double text_width(std::string_view text, double font_px) {
  // Counts UTF-8 lead bytes only: a multi-byte character is one glyph.
  std::size_t glyphs = 0;
  for (const char c : text) glyphs += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return static_cast<double>(glyphs) * font_px * 0.6;
}

}  // namespace lmc::review
