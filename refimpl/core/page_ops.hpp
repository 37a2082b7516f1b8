#pragma once
// The two operations the transfer loop does on every page, hand-written
// because they decide its speed: telling a zero page and copying pages into
// the target's memory.

#include <cstddef>

namespace lmc::ref {

/// True when the 4 KiB page at `page` is all zero. Returns at the first
/// non-zero word, so a page of data costs one load.
bool is_zero_page(const std::byte* page);

/// Copies `pages` whole pages to `dst` (page-aligned; `src` may be unaligned)
/// with non-temporal stores where the CPU has them: the target's memory is
/// not read again soon, and streaming stores skip the read-for-ownership that
/// ordinary stores pay on every destination line. On other CPUs: memcpy.
void copy_pages(std::byte* dst, const std::byte* src, std::size_t pages);

}  // namespace lmc::ref
