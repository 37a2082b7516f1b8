#pragma once
// The wire format between the source and the target of a migration: page
// frames on the data streams, control requests and replies on the control
// stream. The same structures pass through the in-process channel and over TCP
// (where the header is sent as it is, little-endian, followed by the payload).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lmc::ref {

inline constexpr std::size_t kPageSize = 4096;
inline constexpr std::uint32_t kFrameMagic = 0x4C4D4346;  // "LMCF"

enum class FrameKind : std::uint8_t {
  pages = 1,             ///< page_count raw pages from first_page on
  zero_pages = 2,        ///< page_count pages that are all zero; no payload
  compressed_pages = 3,  ///< page_count pages compressed with `codec`
  delta_page = 4,        ///< one page as an encoded XOR against the page last sent
  control = 5,           ///< a ControlRequest; payload: its data
  reply = 6,             ///< the reply to the last control request
  sync = 7,              ///< end-of-round marker on a data stream
  abort = 8,             ///< target to source, on the control stream: why it ends the session
};

enum class Codec : std::uint8_t { none = 0, lz4 = 1, zstd = 2 };

struct FrameHeader {
  std::uint32_t magic = kFrameMagic;
  FrameKind kind = FrameKind::pages;
  Codec codec = Codec::none;
  std::uint16_t stream = 0;  ///< data stream the frame travels on
  std::uint32_t page_count = 0;
  std::uint32_t payload_bytes = 0;
  std::uint64_t first_page = 0;  ///< for control/reply frames: the argument
  std::uint64_t checksum = 0;    ///< XXH3-64 of the payload; 0 when not computed
};
static_assert(sizeof(FrameHeader) == 32, "the header is sent as it is");

/// What the source asks of the target's data plane.
enum class Control : std::uint8_t {
  allocate = 1,   ///< argument: pages; the target allocates the VM's memory
  cpu_state = 2,  ///< data: the registers taken at suspend
  resume = 3,     ///< start the guest on the target; reply data: memory digest (16 bytes)
  release = 4,    ///< rollback: free everything held for the VM
  digest = 5,     ///< reply data: XXH3-128 digest of the target's memory (16 bytes)
  dump = 6,       ///< data: a file path; the target writes its memory there (tests)
  shutdown = 7,   ///< the target process ends its serve loop
};

struct ControlRequest {
  Control op = Control::digest;
  std::uint64_t argument = 0;
  std::vector<std::byte> data;
};

struct Reply {
  bool ok = true;
  std::string error;  ///< why the target refused, e.g. "allocation failed"
  std::vector<std::byte> data;
};

}  // namespace lmc::ref
