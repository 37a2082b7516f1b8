#pragma once
// Text inside XML, SVG or HTML: the one escape every writer of those uses
// (the JUnit report here, the review's SVG and HTML in model/cluster/review).

#include <string>
#include <string_view>

namespace lmc {

/// `text` with &, <, >, " and ' as entities, and the control characters XML
/// 1.0 does not admit (all but tab, newline and return) left out.
inline std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

}  // namespace lmc
