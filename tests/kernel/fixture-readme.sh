# shellcheck shell=bash
# fixture-readme.sh — prints the README.md of a pool made by make-fixtures (sourced by it; uses
# $OUT, $G, $KH_KVER, $KH_ACCEL_USED, $refcount3).
cat <<EOF
# pool-b — a thin pool written by the Linux kernel's dm-thin

Made by \`tests/kernel/make-fixtures\` on $(date -u +%Y-%m-%d): Debian's kernel
\`$KH_KVER\` (\`$(cut -c1-80 "$OUT/kernel-version.txt")…\`) booted in qemu ($KH_ACCEL_USED),
pool built by \`tests/kernel/guest/fixture-job.sh\` with dmsetup messages only (no LVM), checked
on the host with thin-provisioning-tools $(thin_check -V 2>/dev/null). To remake it:
\`tests/kernel/make-fixtures tests/fixtures/kernel/pool-b\` (two runs gave the same thin_dump, thin_ls
and dmsetup status; the image bytes differ: ext2 UUIDs and timestamps in the data, stale bytes in
metadata blocks).

Pool: data block size 128 sectors (64 KiB). It starts on a 4 MiB metadata device and 192 MiB of
data (two linear devices over the disks) and is extended to 8 MiB / 256 MiB halfway, so the
metadata space map grew from 1024 to 2048 blocks and the data space map from 3072 to 4096.

| id | role | history |
|---|---|---|
| 1 | root | 32 MiB ext2 filesystem with files (mounted with discard); snapshot 3 taken, then a 2 MB file deleted (its blocks discarded, i.e. unmapped), three files changed, a file added |
| 2 | data | 64 MiB; blocks 0-31, 100-103, 500, 1023 written, a 4 KiB write into block 200, blocks 8-11 discarded; after the extension blocks 600-602 and 1000; block 0 rewritten while the metadata snapshot is held |
| 3 | root-snap | snapshot of 1 |
| 4 | root-snap-snap | snapshot of 3, blocks 200-202 written |
| 5 | third generation | snapshot of 4: the unchanged filesystem blocks are shared by 1, 3, 4 and 5 ($refcount3 data blocks have refcount >= 3) |
| 6 | scratch | 40 blocks written, then deleted (\`delete 6\`): absent from the metadata, its blocks free |
| 7 | bulk | 300 contiguous blocks at 100-399 written after the extension (a two-level mapping tree); block 399 rewritten while the metadata snapshot is held |

The transaction id is raised after every step (\`set_transaction_id\`), ending at $(awk -F'"' '/<superblock/ { for (i = 1; i < NF; i++) if ($i ~ /transaction=$/) print $(i + 1) }' "$OUT/thin_dump.xml").
Finally \`reserve_metadata_snap\` and two more writes; the pool was closed with the snapshot held
(state A), then reopened, \`release_metadata_snap\`, closed (state B).

| file | what |
|---|---|
| \`metadata.img.zst\` | state B: 8 MiB metadata device, no metadata snapshot |
| \`metadata-msnap.img.zst\` | state A: the same pool with the metadata snapshot held (\`held_root\` = $(img_u64 "$KH_RUN/metadata-msnap.img" 56)) |
| \`data.img.zst\` | the 256 MiB data device (zstd -19) |
| \`thin_dump.xml\`, \`thin_ls.txt\`, \`thin_check.txt\` | the tools inside the VM on state B |
| \`thin_dump-msnap.xml\`, \`thin_dump-msnap-heldroot.xml\` (\`-m\`), \`thin_ls-msnap.txt\`, \`thin_check-msnap.txt\` | the same on state A |
| \`expected-md5.txt\` | "id md5 sectors name": every volume read in full through dm-thin at the end (state A's live trees = state B's) |
| \`dmsetup-status.txt\` | \`dmsetup status\` after each step (transaction id, used/total metadata and data blocks, held root) |
| \`dmsetup-table.txt\`, \`pool-table.txt\` | the device tables (the pool before and after the extension) |
| \`host-verify.txt\` | what make-fixtures checked on the host (all must say ok) |
| \`job.log\` | the guest job's log |

Final pool status (state A, snapshot held):

\`\`\`
$(awk '/^pool:/ { p = $0 } /^# \^ final/ { print p }' "$OUT/dmsetup-status.txt")
\`\`\`

thin_ls (state B):

\`\`\`
$(cat "$OUT/thin_ls.txt")
\`\`\`
EOF
