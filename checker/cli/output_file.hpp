#pragma once
// Writing a report file for a subcommand, with the one error message every
// subcommand gives when it cannot (the caller then exits with 2).

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>
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

/// Every --json document names its format and the format's version first
/// (spec/schemas/<format>.schema.json describes it): {"format": "lmc-check",
/// "version": 1, ...}. A list of entries goes under "entries". A reader
/// checks both keys before it trusts the rest; the version changes whenever a
/// key changes meaning or goes away.
template <class Json>
std::string versioned_json(const char* format, int version, const Json& body) {
  nlohmann::ordered_json out;
  out["format"] = format;
  out["version"] = version;
  if (body.is_array()) {
    out["entries"] = body;
  } else {
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (it.key() != "format" && it.key() != "version") out[it.key()] = it.value();
    }
  }
  return out.dump(2) + "\n";
}

}  // namespace lmc::cli
