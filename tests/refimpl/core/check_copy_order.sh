#!/usr/bin/env bash
# The multi-page copy kernel (copy_group_avx2, inlined into copy_pages_avx2 or
# not, depending on the build) issues all four pages' loads of a line before
# its streaming stores (refimpl/core/page_ops.cpp, copy_group_avx2): a load
# issued after a store to the same offset of the previous page 4-KiB-aliases
# it. This reads the compiled kernel and requires a run of eight ymm loads
# with no streaming store between them.
#   check_copy_order.sh OBJECT...      the objects of lmc_ref_dataplane
#   check_copy_order.sh --self-test    the check fails on interleaved code
set -u

# longest_load_run: reads disassembly, prints the most ymm loads seen in a
# row before a streaming store interrupts them.
longest_load_run() {
  awk '/vmovdqu[^,]*\(.*%ymm/ { run++; if (run > best) best = run; next }
       /vmovntdq/ { run = 0 }
       END { print best + 0 }'
}

if [[ "${1:-}" == "--self-test" ]]; then
  interleaved=$(for k in 0 1 2 3; do
    printf ' vmovdqu 0x%d000(%%rdx),%%ymm0\n vmovdqu 0x%d020(%%rdx),%%ymm1\n' "$k" "$k"
    printf ' vmovntdq %%ymm0,0x%d000(%%rax)\n vmovntdq %%ymm1,0x%d020(%%rax)\n' "$k" "$k"
  done)
  run=$(longest_load_run <<<"$interleaved")
  if [[ "$run" -ge 8 ]]; then
    echo "FAIL: the check accepts loads interleaved with stores (run $run)"
    exit 1
  fi
  echo "ok: interleaved loads and stores are caught (longest run $run)"
  exit 0
fi

if [[ "$(uname -m)" != x86_64 ]] || ! command -v objdump >/dev/null; then
  echo "SKIP: needs x86-64 and objdump"
  exit 77
fi
object=""
# CMake passes the objects as one ;-separated list.
IFS=';' read -r -a objects <<<"$*"
for candidate in "${objects[@]}"; do
  [[ "$candidate" == */core/page_ops.cpp.o ]] && object=$candidate
done
if [[ -z "$object" ]]; then
  echo "FAIL: no core/page_ops.cpp.o among the objects given"
  exit 2
fi
kernel=$(objdump -d --no-show-raw-insn -C "$object" |
  awk '/copy_(pages|group)_avx2.*>:$/ { inside = 1; next } /^$/ { inside = 0 } inside')
if [[ -z "$kernel" ]]; then
  echo "FAIL: copy_pages_avx2 not found in $object"
  exit 1
fi
run=$(longest_load_run <<<"$kernel")
if [[ "$run" -lt 8 ]]; then
  echo "FAIL: copy_pages_avx2 issues at most $run loads before a streaming store (want 8)"
  exit 1
fi
echo "ok: copy_pages_avx2 issues $run loads before its streaming stores"
