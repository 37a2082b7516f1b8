#pragma once
// Repeating what the user typed in a message.

#include <fmt/core.h>

#include <string>

namespace lmc {

/// `text` cut after 40 characters, with its length, so that a message about
/// a 320-digit number does not fill the screen with it.
inline std::string shortened(const std::string& text) {
  if (text.size() <= 40) return text;
  return fmt::format("{}... ({} characters)", text.substr(0, 40), text.size());
}

}  // namespace lmc
