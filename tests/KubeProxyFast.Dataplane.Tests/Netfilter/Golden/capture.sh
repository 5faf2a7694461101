#!/usr/bin/env bash
# Regenerates the golden netlink messages: for each command in commands.txt, runs nft in a
# throwaway network namespace (after the setup lines) under strace, and writes the messages nft
# sent between NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END as hex, one message per line, into
# <name>.hex beside the command. Needs root, nft and strace. Usage: ./capture.sh
set -euo pipefail
cd "$(dirname "$0")"
ns="kpf-golden-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" nft -f setup.nft
while IFS='|' read -r name command; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  name=$(echo "$name" | xargs)
  # shellcheck disable=SC2086
  ip netns exec "$ns" strace -f -qq -xx -s 1000000 -e trace=sendmsg -e write=all -o "/tmp/$ns.trace" nft $command
  python3 - "/tmp/$ns.trace" > "$name.hex" <<'PY'
import re, struct, sys
data = bytearray()
for line in open(sys.argv[1]):
    m = re.match(r'^\s*\d*\s*\|\s+[0-9a-f]{5}\s+((?:[0-9a-f]{2}\s+)+)', line)
    if m:
        data += bytes.fromhex(m.group(1).replace(' ', ''))
msgs, off = [], 0
while off + 16 <= len(data):
    length, mtype = struct.unpack_from('<IH', data, off)
    msgs.append((mtype, data[off:off + length]))
    off += (length + 3) & ~3
for mtype, msg in msgs:
    if mtype in (16, 17) or (mtype >> 8) != 10:
        continue
    print(msg.hex())
PY
  echo "$name: $command"
done < commands.txt
rm -f "/tmp/$ns.trace"
