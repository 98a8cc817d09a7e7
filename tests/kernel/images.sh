# shellcheck shell=bash
# images.sh — host-side helpers on metadata/data images for the kernel harness: superblock fields,
# device lists from thin_dump, a patterned data image, the expected content of a thin device, and
# deliberate corruption. Sourced by kernel-accepts and the ctest drivers.
#
# Superblock fields read here (docs/FORMAT.md of the project's shared notes):
#   OFFSET SIZE FIELD
#       64    8 data_space_map_root.nr_blocks (number of data blocks)
#      320    8 data_mapping_root (metadata block of the mapping btree root)
#      328    8 device_details_root
#      336    4 data_block_size (sectors)

img_u32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }
img_u64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
img_block_size() { img_u32 "$1" 336; }
img_data_blocks() { img_u64 "$1" 64; }

# plain_image FILE DIR: FILE itself, or for FILE.zst its decompressed copy in DIR (sparse).
plain_image() {
    case $1 in
    *.zst)
        local out
        out=$2/$(basename "${1%.zst}")
        [ -e "$out" ] && out=$2/$$.$RANDOM.$(basename "${1%.zst}")
        zstd -q -d -f --sparse "$1" -o "$out" || return 1
        echo "$out"
        ;;
    *) echo "$1" ;;
    esac
}

# dump_devices DUMP BS: one line per device, "id sectors", sectors = highest mapped block + 1
# (at least one block) times BS.
dump_devices() {
    awk -v bs="$2" '
        function flush() { if (id != "") printf "%s %d\n", id, (hi > 0 ? hi : 1) * bs }
        /<device / { flush(); id = attr("dev_id"); hi = 0 }
        /<range_mapping / { e = attr("origin_begin") + attr("length"); if (e > hi) hi = e }
        /<single_mapping / { e = attr("origin_block") + 1; if (e > hi) hi = e }
        END { flush() }
        function attr(n,   m) { if (match($0, n "=\"[0-9]+\"")) return substr($0, RSTART + length(n) + 2, RLENGTH - length(n) - 3) + 0; return "" }
    ' "$1"
}

# dump_runs DUMP ID: the device's mappings as "vbegin dbegin length" runs, in virtual order.
dump_runs() {
    awk -v want="$2" '
        function attr(n) { if (match($0, n "=\"[0-9]+\"")) return substr($0, RSTART + length(n) + 2, RLENGTH - length(n) - 3) + 0; return -1 }
        /<device / { on = (attr("dev_id") == want) }
        on && /<range_mapping / { print attr("origin_begin"), attr("data_begin"), attr("length") }
        on && /<single_mapping / { print attr("origin_block"), attr("data_block"), 1 }
        /<\/device>/ { on = 0 }
    ' "$1"
}

# make_pattern_data DUMP BS NR_BLOCKS OUT: a sparse data image of NR_BLOCKS blocks where every
# data block that some device maps holds the text "dmscope data block N" (32-byte lines), so each
# block's content is unique and its origin recognisable. Unmapped blocks stay zero.
make_pattern_data() {
    local dump=$1 bs=$2 nr=$3 out=$4 bytes=$(($2 * 512))
    rm -f "$out"
    truncate -s $((nr * bytes)) "$out" || return 1
    # distinct data blocks, coalesced into runs "first count"
    awk '
        function attr(n) { if (match($0, n "=\"[0-9]+\"")) return substr($0, RSTART + length(n) + 2, RLENGTH - length(n) - 3) + 0; return -1 }
        /<range_mapping / { b = attr("data_begin"); for (i = 0; i < attr("length"); i++) print b + i }
        /<single_mapping / { print attr("data_block") }
    ' "$dump" | sort -n -u | awk '
        NR == 1 { f = $1; n = 1; next }
        $1 == f + n { n++; next }
        { print f, n; f = $1; n = 1 }
        END { if (NR) print f, n }
    ' | while read -r first count; do
        awk -v f="$first" -v n="$count" -v bytes="$bytes" 'BEGIN {
            for (b = f; b < f + n; b++) {
                line = sprintf("dmscope data block %012d\n", b); s = line
                while (length(s) < bytes) s = s s
                printf "%s", substr(s, 1, bytes)
            }
        }' | dd of="$out" bs="$bytes" seek="$first" conv=notrunc iflag=fullblock status=none
    done
}

# expected_md5 DUMP DATA BS ID SECTORS: md5 of what thin ID must read through dm-thin, computed
# from the tools' view of the mappings (thin_dump) and the data image: mapped blocks come from
# the data image, unmapped ones read as zeros.
expected_md5() {
    local dump=$1 data=$2 bs=$3 id=$4 sectors=$5 bytes=$(($3 * 512))
    local nblocks=$(((sectors + bs - 1) / bs))
    dump_runs "$dump" "$id" | sort -n -k1,1 | awk -v end="$nblocks" '
        { if ($1 >= end) next
          if ($1 > pos) print "Z", $1 - pos
          len = ($1 + $3 > end) ? end - $1 : $3
          print "D", $2, len; pos = $1 + len }
        END { if (pos < end) print "Z", end - pos }
    ' | while read -r op a b; do
        case $op in
        Z) head -c $((a * bytes)) /dev/zero ;;
        D) dd if="$data" bs="$bytes" skip="$a" count="$b" status=none ;;
        esac
    done | head -c $((sectors * 512)) | md5sum | cut -d' ' -f1
}

# flip_node_byte IMG SB_OFFSET OUT: copies IMG to OUT with one byte inverted inside the btree node
# whose block number the superblock holds at SB_OFFSET (320 mapping root, 328 details root). The
# byte is in the key area, so the node's checksum no longer matches. Prints what it did.
flip_node_byte() {
    local img=$1 sboff=$2 out=$3 blk off orig
    blk=$(img_u64 "$img" "$sboff")
    off=$((blk * 4096 + 40))
    cp --sparse=always "$img" "$out" || return 1
    orig=$(od -An -t u1 -j "$off" -N 1 "$img" | tr -d ' ')
    printf "\\$(printf '%03o' $((orig ^ 0xff)))" | dd of="$out" bs=1 seek="$off" conv=notrunc status=none
    echo "flipped byte $off (metadata block $blk, btree root named at superblock offset $sboff): $orig -> $((orig ^ 0xff))"
}
