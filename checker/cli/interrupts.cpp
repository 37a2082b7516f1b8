#include "checker/cli/interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <ctime>

namespace lmc::cli {
namespace {

// The handler may read only what is fully written before it runs: fixed
// arrays, published by an atomic count.
constexpr std::size_t kMaxFiles = 64;
constexpr std::size_t kMaxPath = 4096;

std::atomic<int> g_signal{0};
std::atomic<pid_t> g_child{-1};
std::array<std::array<char, kMaxPath>, kMaxFiles> g_files{};
std::atomic<std::size_t> g_file_count{0};
std::array<char, kMaxPath> g_directory{};
std::atomic<bool> g_has_directory{false};

struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

void write_stderr(const char* text) {
  const auto ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void end_at_once(int signal) {
  const pid_t child = g_child.load();
  if (child > 0) ::kill(child, SIGKILL);
  const std::size_t files = g_file_count.load();
  for (std::size_t i = 0; i < files; ++i) ::unlink(g_files[i].data());
  if (g_has_directory.load()) ::rmdir(g_directory.data());
  write_stderr("lmc: a second signal: stopped at once, without a rollback\n");
  ::_exit(128 + signal);
}

// Who sent the first signal, and when: GNU timeout sends its signal twice,
// to the command and then to its process group, and the two must count as
// one request, not as a second signal.
std::atomic<pid_t> g_first_sender{0};
std::atomic<long long> g_first_nanoseconds{0};
constexpr long long kEchoNanoseconds = 1'000'000'000;

long long monotonic_nanoseconds() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
  return static_cast<long long>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

/// The same signal again from the same process's kill() within a second.
bool is_echo(int signal, const siginfo_t* info) {
  return info != nullptr && info->si_code == SI_USER && g_signal.load() == signal &&
         info->si_pid == g_first_sender.load() &&
         monotonic_nanoseconds() - g_first_nanoseconds.load() < kEchoNanoseconds;
}

void on_signal(int signal, siginfo_t* info, void*) {
  int none = 0;
  if (!g_signal.compare_exchange_strong(none, signal)) {
    if (is_echo(signal, info)) return;
    end_at_once(signal);
  }
  g_first_sender.store(info != nullptr && info->si_code == SI_USER ? info->si_pid : 0);
  g_first_nanoseconds.store(monotonic_nanoseconds());
  write_stderr(signal == SIGINT ? "lmc: SIGINT: ending cleanly (a second one stops at once)\n"
                                : "lmc: SIGTERM: ending cleanly (a second one stops at once)\n");
}

bool copy_path(const std::filesystem::path& path, std::array<char, kMaxPath>& out) {
  const auto& text = path.native();
  if (text.size() + 1 > out.size()) return false;
  std::memcpy(out.data(), text.c_str(), text.size() + 1);
  return true;
}

}  // namespace

InterruptScope::InterruptScope() {
  g_signal.store(0);
  g_first_sender.store(0);
  g_child.store(-1);
  g_file_count.store(0);
  g_has_directory.store(false);
  struct sigaction action {};
  action.sa_sigaction = on_signal;
  sigemptyset(&action.sa_mask);
  // The handler runs with both signals blocked, so the first one's sender
  // and time are recorded before a second can be judged against them.
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  // SA_RESTART: a system call the signal interrupts carries on; the work
  // polls the flag instead of failing with EINTR somewhere deep inside.
  action.sa_flags = SA_RESTART | SA_SIGINFO;
  ::sigaction(SIGINT, &action, &g_previous_int);
  ::sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptScope::~InterruptScope() {
  ::sigaction(SIGINT, &g_previous_int, nullptr);
  ::sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<int>& InterruptScope::signal() const {
  return g_signal;
}

void InterruptScope::set_child(pid_t pid) {
  g_child.store(pid);
}

void InterruptScope::remove_on_exit(const std::filesystem::path& file) {
  const std::size_t at = g_file_count.load();
  if (at < kMaxFiles && copy_path(file, g_files[at])) g_file_count.store(at + 1);
}

void InterruptScope::remove_directory_on_exit(const std::filesystem::path& directory) {
  if (copy_path(directory, g_directory)) g_has_directory.store(true);
}

}  // namespace lmc::cli
