#pragma once
// Reading an input file named on the command line (a configuration, a
// trace): only a regular file, and only up to a size limit, so that
// `--config /dev/zero` fails at once instead of reading forever and a FIFO
// does not block the run. The error names the file and the reason.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lmc {

/// The largest input file read: far above any configuration or trace the
/// tools write (the 64-VM planning example is 30 KB, a recording of 1,000
/// events 150 KB), far below what would exhaust memory.
inline constexpr std::size_t kMaxInputBytes = 64u << 20;

/// The whole file, or nullopt with `error` set to "PATH: WHAT: REASON", e.g.
/// "x.json: cannot open the configuration file: No such file or directory"
/// or "/tmp: the configuration file is a directory, not a regular file".
/// `what` names the file's role ("configuration file", "trace file").
std::optional<std::string> read_input_file(const std::string& path, const std::string& what,
                                           std::string& error,
                                           std::size_t max_bytes = kMaxInputBytes);

/// The deepest nesting of arrays and objects a JSON input may have. Ours
/// nest four levels; a limit keeps the recursive walks over a document
/// (printing a value in a message, reading it) from overflowing the stack
/// on an input like [[[[...]]]] (found by tests/fuzz: a segmentation fault).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// "" when `text` nests arrays and objects at most `max_depth` deep, else
/// where it goes deeper ("arrays and objects nested deeper than 64 levels at
/// line 9, column 14"). Brackets inside strings do not count.
std::string json_nesting_problem(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

/// `text` as a message quotes a value: cut at 57 bytes (not inside a UTF-8
/// character) with "..." when longer than 60.
std::string cut_for_message(std::string text);

/// The number nlohmann's "number overflow parsing '1e999'" names, quoted,
/// and cut after 40 characters with its length (a 400-digit integer is
/// valid JSON that no double holds).
std::string overflowing_number(const std::string& parse_error);

}  // namespace lmc
