#!/usr/bin/env bash
# trim-icu-data.sh LIBICUDATA OUTPUT: writes a smaller libicudata.so.NN holding only the ICU data
# Qt 6 can reach. Debian's libicudata is 30 MB, a third of the unpacked AppDir, and most of it
# serves ICU APIs Qt never calls. Qt 6.4's QtCore calls ICU for: converters (ucnv_*: the non-UTF
# encodings of QStringConverter), case mapping (u_strToUpper/Lower: built into libicuuc, no data),
# collation (ucol_*: coll/), and time zones (ucal_*: zone/, region/ for location names, the
# top-level locale and supplemental .res files). What goes, and what had used it:
#   brkitr/    break iterators and dictionaries   Qt has its own text boundaries (qunicodetools)
#   translit/  transliterators                    no Qt API
#   rbnf/      spelled-out numbers                no Qt API
#   unit/      measure units                      no Qt API (QLocale formats sizes itself)
#   curr/      currency names                     QLocale has its own CLDR tables
#   lang/      language and script names          QLocale has its own CLDR tables
#   unames.icu character names; confusables.cfu spoof checks; *.spp StringPrep (Qt's IDNA is its own)
# The data is the library's only export (icudt<NN>_dat, a common-data package as in a .dat file):
# it is cut out with dd, trimmed with icupkg (icu-devtools) and linked back as a shared library
# with the same soname.
set -euo pipefail
die() {
    echo "trim-icu-data.sh: $*" >&2
    exit 1
}
[ $# -eq 2 ] || die "usage: trim-icu-data.sh LIBICUDATA OUTPUT"
LIB="$1"
OUT="$2"
command -v icupkg >/dev/null || die "icupkg is missing (package icu-devtools)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The symbol's address and size, and the file offset of the section that holds it.
read -r ADDR SIZE SYMBOL < <(nm -D --defined-only --print-size "$LIB" |
    awk '$4 ~ /^icudt[0-9]+_dat$/ { print $1, $2, $4 }')
[ -n "${SYMBOL:-}" ] || die "$LIB exports no icudt*_dat symbol"
read -r SEC_ADDR SEC_OFF < <(readelf -SW "$LIB" | sed 's/^ *\[ *[0-9]*\]//' |
    awk '$1 == ".rodata" { print $3, $4 }')
[ -n "${SEC_OFF:-}" ] || die "$LIB has no .rodata section"
# icupkg wants the package's own name (icudt72l: version, l = little-endian) as the file name.
PKG="${SYMBOL%_dat}l"
mkdir -p "$WORK/trimmed"
OFFSET=$((0x$ADDR - 0x$SEC_ADDR + 0x$SEC_OFF))
dd if="$LIB" of="$WORK/$PKG.dat" iflag=skip_bytes,count_bytes skip="$OFFSET" count=$((0x$SIZE)) \
    status=none
icupkg -l "$WORK/$PKG.dat" >"$WORK/items.txt" || die "$LIB: the data is not an ICU package"
grep -E '^(brkitr|translit|rbnf|unit|curr|lang)/|^unames\.icu$|^confusables\.cfu$|\.spp$' \
    "$WORK/items.txt" >"$WORK/remove.txt" || true
icupkg -r "$WORK/remove.txt" "$WORK/$PKG.dat" "$WORK/trimmed/$PKG.dat" >/dev/null

SONAME="$(readelf -dW "$LIB" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
cat >"$WORK/data.S" <<ASM
    .section .rodata
    .balign 16
    .globl $SYMBOL
    .type $SYMBOL, @object
$SYMBOL:
    .incbin "$WORK/trimmed/$PKG.dat"
    .size $SYMBOL, . - $SYMBOL
    .section .note.GNU-stack, "", @progbits
ASM
cc -shared -nostdlib -Wl,-soname,"$SONAME" -o "$OUT" "$WORK/data.S"
echo "ICU data: $(stat -c %s "$WORK/$PKG.dat") -> $(stat -c %s "$WORK/trimmed/$PKG.dat") bytes" \
    "($(wc -l <"$WORK/remove.txt") of $(wc -l <"$WORK/items.txt") items removed)"
