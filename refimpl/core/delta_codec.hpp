#pragma once
// Delta encoding of a page against the copy last sent (XBZRLE's idea, our own
// format): the XOR of the two pages in 8-byte words, as records
//   u16 skip   words that did not change
//   u16 count  words that did
//   count x u64  their XOR with the old page
// little-endian. A guest that rewrote one cache line of a page sends 68 bytes
// instead of 4096. The target XORs the records into the page it holds, which
// is the page last sent.

#include <cstddef>
#include <optional>
#include <span>

namespace lmc::ref {

/// Encodes `now` against `before` (both one page) into `out`; returns the
/// encoded size, or nullopt when it would not fit in `out` (then the page
/// goes as it is).
std::optional<std::size_t> encode_delta(std::span<const std::byte> before,
                                        std::span<const std::byte> now, std::span<std::byte> out);

/// Applies an encoded delta to `page` in place. False when the encoding is
/// malformed (runs past the page or the payload); `page` may then be half
/// changed, which the caller reports as a transport error.
bool apply_delta(std::span<std::byte> page, std::span<const std::byte> encoded);

}  // namespace lmc::ref
