// The TCP transport across two processes: a forked target process applies
// pages sent on two streams so that its memory equals the source's byte for
// byte, and a killed or confused target leaves the source with a
// TransportError, not a crash.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "refimpl/memory/guest_memory.hpp"
#include "refimpl/transport/target_process.hpp"
#include "refimpl/transport/tcp_channel.hpp"

namespace lmc::ref {
namespace {

constexpr std::size_t kPages = 256;

/// A target process and a channel to it; the process is killed if a test
/// leaves it running.
struct Target {
  explicit Target(int streams = 2, TargetFaults faults = {})
      : process(spawn_target_process(streams, faults)),
        channel(TcpChannel::connect(process.port, streams)) {}
  ~Target() { kill_target_process(process); }
  TargetProcess process;
  std::unique_ptr<TcpChannel> channel;
};

/// Guest memory with a different pattern in every page, some pages zero.
GuestMemory source_memory() {
  GuestMemory memory(kPages);
  for (std::size_t p = 0; p < kPages; ++p) {
    if (p % 5 == 3) continue;
    auto page = memory.page(p);
    for (std::size_t i = 0; i < page.size(); i += 8) {
      const std::uint64_t word = p * 0x9E3779B97F4A7C15ull ^ i;
      std::memcpy(page.data() + i, &word, sizeof word);
    }
  }
  return memory;
}

FrameHeader pages_header(std::uint16_t stream, std::uint64_t first, std::uint32_t count) {
  FrameHeader header;
  header.kind = FrameKind::pages;
  header.stream = stream;
  header.first_page = first;
  header.page_count = count;
  return header;
}

/// Runs of 8 pages, alternating between the two streams.
void send_all_pages(TargetChannel& channel, const GuestMemory& memory) {
  for (std::size_t p = 0; p < kPages; p += 8) {
    const auto stream = static_cast<std::uint16_t>(p / 8 % 2);
    channel.send(pages_header(stream, p, 8), {memory.page(p).data(), 8 * kPageSize});
  }
}

std::vector<std::byte> text_bytes(const std::string& text) {
  const auto bytes = std::as_bytes(std::span(text.data(), text.size()));
  return {bytes.begin(), bytes.end()};
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("TCP: pages on two streams reach the target process byte for byte", "[tcp]") {
  Target target;
  REQUIRE(target.process.pid > 0);
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  send_all_pages(*target.channel, memory);
  const auto digest = target.channel->request({Control::digest, 0, {}});
  REQUIRE(digest.ok);
  CHECK(digest_from_bytes(digest.data) == memory.digest());

  const auto dump = std::filesystem::temp_directory_path() /
                    ("lmc-tcp-dump-" + std::to_string(::getpid()) + ".bin");
  REQUIRE(target.channel->request({Control::dump, 0, text_bytes(dump.string())}).ok);
  const auto bytes = file_text(dump);
  std::filesystem::remove(dump);
  REQUIRE(bytes.size() == memory.bytes());
  CHECK(std::memcmp(bytes.data(), memory.data(), bytes.size()) == 0);

  CHECK(target.channel->request({Control::shutdown, 0, {}}).ok);
  CHECK(wait_target_process(target.process) == 0);
}

TEST_CASE("TCP: a request waits for what other threads sent on every stream", "[tcp]") {
  Target target;
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  // One sender thread per stream, one page per frame; the request follows
  // once both returned, and must see every page.
  std::vector<std::thread> senders;
  for (std::uint16_t stream = 0; stream < 2; ++stream) {
    senders.emplace_back([&, stream] {
      for (std::size_t p = stream; p < kPages; p += 2) {
        target.channel->send(pages_header(stream, p, 1), memory.page(p));
      }
    });
  }
  for (auto& sender : senders) sender.join();
  const auto digest = target.channel->request({Control::digest, 0, {}});
  REQUIRE(digest.ok);
  CHECK(digest_from_bytes(digest.data) == memory.digest());
}

TEST_CASE("TCP: a target's refusal is a reply, not a broken link", "[tcp]") {
  TargetFaults faults;
  faults.fail_allocation = true;
  Target target(1, faults);
  const auto reply = target.channel->request({Control::allocate, kPages, {}});
  CHECK_FALSE(reply.ok);
  CHECK(reply.error.find("allocation failed") != std::string::npos);
  CHECK_FALSE(target.channel->broken());
  CHECK_FALSE(target.channel->request({Control::digest, 0, {}}).ok);  // still talking
}

TEST_CASE("TCP: killing the target mid-transfer throws TransportError at the source", "[tcp]") {
  Target target;
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  target.channel->send(pages_header(0, 0, 8), {memory.page(0).data(), 8 * kPageSize});
  kill_target_process(target.process);
  CHECK(target.process.pid == -1);
  // The first sends may still fit in the socket buffer; the reset follows.
  bool thrown = false;
  for (int i = 0; i < 1000 && !thrown; ++i) {
    try {
      target.channel->send(pages_header(static_cast<std::uint16_t>(i % 2), 8, 8),
                           {memory.page(8).data(), 8 * kPageSize});
    } catch (const TransportError&) {
      thrown = true;
    }
  }
  CHECK(thrown);
  CHECK(target.channel->broken());
  CHECK_THROWS_AS(target.channel->request({Control::digest, 0, {}}), TransportError);
  CHECK_THROWS_AS(target.channel->send(pages_header(0, 0, 1), memory.page(0)), TransportError);
}

TEST_CASE("TCP: a request to a killed target throws TransportError", "[tcp]") {
  Target target;
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  kill_target_process(target.process);
  CHECK_THROWS_AS(target.channel->request({Control::digest, 0, {}}), TransportError);
}

TEST_CASE("TCP: the target detects a checksum mismatch and ends the session", "[tcp]") {
  Target target;
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  auto header = pages_header(1, 0, 1);
  header.checksum = 0x1234;  // not the payload's: as if a bit flipped on the way
  target.channel->send(header, memory.page(0));
  CHECK_THROWS_AS(target.channel->request({Control::digest, 0, {}}), TransportError);
  CHECK(wait_target_process(target.process) == 2);
}

/// The reason a call failed with, or "" when it did not throw.
template <typename Call>
std::string failure_of(Call&& call) {
  try {
    call();
  } catch (const TransportError& error) {
    return error.what();
  }
  return "";
}

TEST_CASE("TCP: a frame the target rejects is reported as the target's reason, not as EPIPE",
          "[tcp]") {
  // The source goes on sending after the bad frame, as a pass does; the
  // target has shut the connections by then, so a send fails (EPIPE, reset)
  // and must carry the reason the target gave, not the socket's errno.
  Target target;
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  auto header = pages_header(1, 0, 1);
  header.checksum = 0x1234;
  target.channel->send(header, memory.page(0));
  std::string why;
  for (int i = 0; i < 100000 && why.empty(); ++i) {
    why = failure_of([&] {
      target.channel->send(pages_header(0, 8, 8), {memory.page(8).data(), 8 * kPageSize});
    });
  }
  CHECK_THAT(why, Catch::Contains("the target rejected a frame") &&
                      Catch::Contains("checksum mismatch") && Catch::Contains("stream 1"));
  CHECK_THAT(why, !Catch::Contains("Broken pipe") && !Catch::Contains("reset"));
  // Later calls say the same: the link is down because of that frame.
  CHECK_THAT(failure_of([&] {
               target.channel->request({Control::digest, 0, {}});
             }),
             Catch::Contains("checksum mismatch"));
  CHECK(wait_target_process(target.process) == 2);
}

TEST_CASE("TCP: a request after a rejected frame throws TargetRejected with the reason", "[tcp]") {
  Target target;
  const auto memory = source_memory();
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  auto header = pages_header(0, 0, 1);
  header.checksum = 0x1234;
  target.channel->send(header, memory.page(0));
  try {
    target.channel->request({Control::digest, 0, {}});
    FAIL("the request succeeded");
  } catch (const TargetRejected& error) {
    CHECK_THAT(error.reason(), Catch::Contains("checksum mismatch"));
  }
  CHECK(wait_target_process(target.process) == 2);
}

TEST_CASE("TCP: a killed target is still a broken link, with no reason from the target", "[tcp]") {
  Target target;
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  kill_target_process(target.process);
  try {
    target.channel->request({Control::digest, 0, {}});
    FAIL("the request succeeded");
  } catch (const TargetRejected&) {
    FAIL("a killed target rejected nothing");
  } catch (const TransportError&) {
  }
}

/// A connection made by hand, for what TcpChannel never sends.
int raw_connection(std::uint16_t port, tcp::Role role, std::uint16_t stream,
                   std::uint16_t streams) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  tcp::Hello hello;
  hello.role = static_cast<std::uint16_t>(role);
  hello.stream = stream;
  hello.streams = streams;
  tcp::send_all(fd, std::as_bytes(std::span(&hello, 1)));
  return fd;
}

TEST_CASE("TCP: a page on a stream other than its header's is refused", "[tcp]") {
  // TcpChannel sends a frame on the stream its header names (and refuses a
  // stream it does not have); the target checks it as well.
  Target checked(1);
  CHECK_THROWS_AS(checked.channel->send(pages_header(1, 0, 1), source_memory().page(0)),
                  std::invalid_argument);

  auto process = spawn_target_process(2, {});
  const int control = raw_connection(process.port, tcp::Role::control, 0, 2);
  const int data0 = raw_connection(process.port, tcp::Role::data, 0, 2);
  const int data1 = raw_connection(process.port, tcp::Role::data, 1, 2);
  const auto memory = source_memory();
  tcp::send_frame(data0, pages_header(1, 1, 1), memory.page(1));  // names stream 1, travels on 0
  CHECK(wait_target_process(process) == 2);
  for (const int fd : {control, data0, data1}) ::close(fd);
}

TEST_CASE("TCP: the target process ends when its source goes away", "[tcp]") {
  Target target;
  REQUIRE(target.channel->request({Control::allocate, kPages, {}}).ok);
  target.channel.reset();
  CHECK(wait_target_process(target.process) == 0);
}

TEST_CASE("TCP: connecting where no target listens throws TransportError", "[tcp]") {
  Target target;
  const auto port = target.process.port;
  target.channel.reset();
  REQUIRE(wait_target_process(target.process) == 0);
  CHECK_THROWS_AS(TcpChannel::connect(port, 2), TransportError);
}

}  // namespace
}  // namespace lmc::ref
