// The TCP wire format on a socket pair in one process: frames arrive whole
// with their checksum checked, replies keep their error and data, and a
// closed peer is a TransportError, never a SIGPIPE.

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <thread>

#include "refimpl/transport/tcp_channel.hpp"

namespace lmc::ref {
namespace {

struct SocketPair {
  SocketPair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0); }
  ~SocketPair() {
    for (const int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void close(int side) {
    ::close(fds[side]);
    fds[side] = -1;
  }
  int fds[2] = {-1, -1};
};

std::vector<std::byte> page_of(std::uint8_t value) {
  return std::vector<std::byte>(kPageSize, std::byte{value});
}

TEST_CASE("TCP wire: a frame arrives whole with its checksum filled in and checked", "[tcp]") {
  SocketPair pair;
  FrameHeader header;
  header.kind = FrameKind::pages;
  header.stream = 1;
  header.first_page = 7;
  header.page_count = 1;
  const auto page = page_of(0xA5);
  tcp::send_frame(pair.fds[0], header, page);
  FrameHeader got;
  std::vector<std::byte> payload;
  REQUIRE(tcp::receive_frame(pair.fds[1], got, payload));
  CHECK(got.stream == 1);
  CHECK(got.first_page == 7);
  CHECK(got.payload_bytes == kPageSize);
  CHECK(got.checksum != 0);
  CHECK(payload == page);
  pair.close(0);
  CHECK_FALSE(tcp::receive_frame(pair.fds[1], got, payload));  // a clean end
}

TEST_CASE("TCP wire: a payload that does not match its checksum is refused", "[tcp]") {
  SocketPair pair;
  FrameHeader header;
  header.kind = FrameKind::pages;
  header.page_count = 1;
  auto page = page_of(1);
  tcp::send_frame(pair.fds[0], header, page);
  FrameHeader got;
  std::vector<std::byte> payload;
  REQUIRE(tcp::receive_frame(pair.fds[1], got, payload));
  // The same header (checksum of the original page) with one byte changed.
  page[100] = std::byte{2};
  tcp::send_frame(pair.fds[0], got, page);
  CHECK_THROWS_AS(tcp::receive_frame(pair.fds[1], got, payload), TransportError);
}

TEST_CASE("TCP wire: garbage and frames cut short are errors", "[tcp]") {
  SocketPair pair;
  const std::string garbage(sizeof(FrameHeader), 'x');
  REQUIRE(::write(pair.fds[0], garbage.data(), garbage.size()) ==
          static_cast<ssize_t>(garbage.size()));
  FrameHeader got;
  std::vector<std::byte> payload;
  CHECK_THROWS_AS(tcp::receive_frame(pair.fds[1], got, payload), TransportError);

  SocketPair cut;
  FrameHeader header;
  header.payload_bytes = 100;
  header.checksum = 1;
  REQUIRE(::write(cut.fds[0], &header, sizeof header) == sizeof header);
  cut.close(0);
  CHECK_THROWS_AS(tcp::receive_frame(cut.fds[1], got, payload), tcp::PeerGone);
}

TEST_CASE("TCP wire: sending to a closed peer throws instead of raising SIGPIPE", "[tcp]") {
  SocketPair pair;
  pair.close(1);
  FrameHeader header;
  const auto page = page_of(3);
  CHECK_THROWS_AS(tcp::send_frame(pair.fds[0], header, page), TransportError);
}

TEST_CASE("TCP wire: control requests and replies keep every field", "[tcp]") {
  ControlRequest request{Control::dump, 42, {std::byte{'/'}, std::byte{'x'}}};
  const auto header = tcp::control_header(request);
  const auto back = tcp::control_request(header, request.data);
  CHECK(back.op == Control::dump);
  CHECK(back.argument == 42);
  CHECK(back.data == request.data);

  Reply reply{false, "allocation failed", {std::byte{1}, std::byte{2}}};
  FrameHeader reply_header;
  const auto payload = tcp::reply_payload(reply, reply_header);
  const auto decoded = tcp::reply_from(reply_header, payload);
  CHECK_FALSE(decoded.ok);
  CHECK(decoded.error == "allocation failed");
  CHECK(decoded.data == reply.data);
  FrameHeader not_control;
  CHECK_THROWS_AS(tcp::control_request(not_control, {}), TransportError);
}

TEST_CASE("TCP wire: a frame larger than the socket buffer arrives whole", "[tcp]") {
  SocketPair pair;
  std::vector<std::byte> big(512 * kPageSize);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i * 31 % 251);
  FrameHeader header;
  header.page_count = 512;
  // Far more than a socket buffer holds: it goes out in pieces while the
  // receiver reads.
  std::thread sender([&] { tcp::send_frame(pair.fds[0], header, big); });
  FrameHeader got;
  std::vector<std::byte> payload;
  REQUIRE(tcp::receive_frame(pair.fds[1], got, payload));
  sender.join();
  CHECK(payload == big);
}

}  // namespace
}  // namespace lmc::ref
