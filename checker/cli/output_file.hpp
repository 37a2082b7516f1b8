#pragma once
// Writing a report file for a subcommand, with the one error message every
// subcommand gives when it cannot (the caller then exits with 2).

#include <fmt/core.h>

#include <fstream>
#include <string>

namespace lmc::cli {

/// Writes `text` to `path`; on failure prints "lmc COMMAND: error: OPTION
/// PATH: cannot open the file for writing" and returns false.
inline bool write_output_file(const std::string& path, const std::string& text, const char* command,
                              const char* option) {
  std::ofstream out(path);
  if (out) out << text;
  if (out) return true;
  fmt::print(stderr, "lmc {}: error: {} {}: cannot open the file for writing\n", command, option,
             path);
  return false;
}

}  // namespace lmc::cli
