#include "refimpl/lm/observables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>

namespace lmc::ref {

std::string to_string(Console console) {
  switch (console) {
    case Console::source:
      return "source";
    case Console::target:
      return "target";
    case Console::guest:
      return "guest";
  }
  return "?";
}

std::string ConsoleLine::id() const {
  return text.substr(0, text.find(' '));
}

void ConsoleLog::add(double time, Console console, std::string unit, std::string text) {
  lines_.push_back({time, console, std::move(unit), std::move(text)});
}

std::vector<std::string> ConsoleLog::ids() const {
  std::vector<std::string> out;
  out.reserve(lines_.size());
  for (const auto& line : lines_) out.push_back(line.id());
  return out;
}

GuestMonJv::GuestMonJv(std::string catid, int run_number, std::string start_utc,
                       std::string vm_name, int vm_index) {
  bytes_.fill(' ');
  set_status("$R");
  put(4, 4, "0");
  put(9, 12, catid);
  put(17, 17, "V");
  put(18, 20, fmt::format("{:03}", run_number % 1000));
  put(21, 36, start_utc);
  put(71, 78, vm_name);
  put(79, 81, fmt::format("{:03}", vm_index % 1000));
}

void GuestMonJv::set_status(std::string_view status) {
  put(1, 3, status);
}
void GuestMonJv::set_guest_state(std::string_view state) {
  put(82, 86, state);
}
void GuestMonJv::set_migration_state(std::string_view state) {
  put(87, 94, state);
}

void GuestMonJv::put(int first, int last, std::string_view text) {
  // Left-aligned, blank-filled, cut at the field's end: the JV table's layout.
  for (int b = first; b <= last; ++b) {
    const auto offset = static_cast<std::size_t>(b - first);
    bytes_[static_cast<std::size_t>(b - 1)] = offset < text.size() ? text[offset] : ' ';
  }
}

std::string GuestMonJv::field(int first, int last) const {
  return std::string(bytes_.begin() + first - 1, bytes_.begin() + last);
}

bool GuestMonJv::write(const std::filesystem::path& path, std::string& error) const {
  auto record = bytes_;
  if (std::ifstream old(path, std::ios::binary); old) {
    std::array<char, kSize> previous{};
    old.read(previous.data(), kSize);
    if (old.gcount() == static_cast<std::streamsize>(kSize)) {
      std::copy(previous.begin() + 128, previous.end(), record.begin() + 128);
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(record.data(), kSize);
  if (!out) {
    error = fmt::format("{}: cannot write the MONJV record", path.string());
    return false;
  }
  return true;
}

}  // namespace lmc::ref
