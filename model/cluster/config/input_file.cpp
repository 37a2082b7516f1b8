#include "model/cluster/config/input_file.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lmc {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Closes the descriptor on every path out of read_input_file.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> read_input_file(const std::string& path, const std::string& what,
                                           std::string& error, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) {
    error = fmt::format("{}: cannot open the {}: {}", path, what, std::strerror(errno));
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) {
    error = fmt::format("{}: cannot read the {}: {}", path, what, std::strerror(errno));
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = fmt::format("{}: the {} is {}, not a regular file", path, what, kind_of(info.st_mode));
    return std::nullopt;
  }
  const auto too_large = [&] {
    error =
        fmt::format("{}: the {} is larger than {} MiB, the most read", path, what, max_bytes >> 20);
    return std::nullopt;
  };
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) return too_large();
  // Read to the limit rather than to st_size: a file may grow while it is
  // read, and some (under /proc) report size 0.
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const auto n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = fmt::format("{}: cannot read the {}: {}", path, what, std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) return too_large();
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

std::string json_nesting_problem(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  std::size_t line = 1;
  std::size_t line_start = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return fmt::format("arrays and objects nested deeper than {} levels at line {}, column {}",
                           max_depth, line, i - line_start + 1);
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return {};
}

std::string overflowing_number(const std::string& parse_error) {
  const auto quote = parse_error.find('\'');
  if (quote == std::string::npos) return parse_error;
  const auto number = parse_error.substr(quote);  // with its quotes
  if (number.size() <= 42) return number;
  return fmt::format("{}...' ({} characters)", number.substr(0, 41), number.size() - 2);
}

std::string cut_for_message(std::string text) {
  if (text.size() <= 60) return text;
  std::size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace lmc
