#include "checker/cli/rank_stop.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstring>

namespace lmc::cli {
namespace {

// The message is formatted before any signal can come: the handler only
// writes it.
std::array<char, 1024> g_message{};
std::size_t g_length = 0;

void on_stop(int) {
  const auto ignored = ::write(STDERR_FILENO, g_message.data(), g_length);
  (void)ignored;
  ::_exit(3);
}

}  // namespace

void install_rank_stop_handler(int rank, const std::string& checkpoint_dir) {
  const auto resume = checkpoint_dir.empty()
                          ? std::string()
                          : fmt::format(" The last checkpoint in {} resumes it (--resume {}).",
                                        checkpoint_dir, checkpoint_dir);
  const auto text = fmt::format(
      "lmc check: error: rank {} stopped by a signal before the distributed search ended "
      "(mpirun stops every rank when one dies or the run is cancelled): result incomplete.{}\n",
      rank, resume);
  g_length = std::min(text.size(), g_message.size());
  std::memcpy(g_message.data(), text.data(), g_length);
  struct sigaction action {};
  action.sa_handler = on_stop;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
}

}  // namespace lmc::cli
