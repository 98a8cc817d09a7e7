#!/usr/bin/env bash
# build-runtime.sh OUTPUT: compiles the AppImage runtime (this directory's C files) into one static
# ELF and stamps the type-2 magic ('A' 'I' 2 at offset 8, in the ELF header's padding).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$1"
# Static: the runtime must start on any x86_64 Linux, before the payload's libraries exist.
# libfuse3.a's module loader uses dlopen, which the linker warns about for static binaries; the
# runtime never loads FUSE modules, so that one warning is filtered out.
cc -std=c11 -O2 -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
    -I/usr/include/squashfuse -I/usr/include/fuse3 -static -s -Wl,--gc-sections \
    -o "$OUT" "$HERE"/*.c \
    -lsquashfuse_ll -lsquashfuse -lfuse3 -lzstd -llzma -llz4 -llzo2 -lz -lpthread -ldl \
    2> >(grep -v -e "in function \`fuse_get_module'" -e "Using 'dlopen' in statically linked" >&2)
printf 'AI\002' | dd of="$OUT" bs=1 seek=8 conv=notrunc status=none
