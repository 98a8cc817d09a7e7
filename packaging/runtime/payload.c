/* Finds the appended squashfs from the ELF header alone: no section table walk is needed,
 * because the linker writes the section header table last. */
#define _GNU_SOURCE

#include "payload.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char* image, const char* why) {
    fprintf(stderr, "dmscope AppImage: %s: %s\n", image, why);
    return -1;
}

/* Both ELF classes are read so that --appimage-offset works on any build of the runtime. */
static int elf_end(const unsigned char* hdr, size_t len, off_t* end) {
    if (len < EI_NIDENT || memcmp(hdr, ELFMAG, SELFMAG) != 0) return -1;
    if (hdr[EI_DATA] != ELFDATA2LSB) return -1; /* the runtime is built for x86_64 only */
    if (hdr[EI_CLASS] == ELFCLASS64 && len >= sizeof(Elf64_Ehdr)) {
        Elf64_Ehdr e;
        memcpy(&e, hdr, sizeof e);
        *end = (off_t)(e.e_shoff + (Elf64_Off)e.e_shnum * e.e_shentsize);
        return 0;
    }
    if (hdr[EI_CLASS] == ELFCLASS32 && len >= sizeof(Elf32_Ehdr)) {
        Elf32_Ehdr e;
        memcpy(&e, hdr, sizeof e);
        *end = (off_t)(e.e_shoff + (Elf32_Off)e.e_shnum * e.e_shentsize);
        return 0;
    }
    return -1;
}

int payload_offset(const char* image, off_t* offset) {
    unsigned char hdr[sizeof(Elf64_Ehdr)];
    char magic[4];
    int fd = open(image, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(image, strerror(errno));
    ssize_t got = pread(fd, hdr, sizeof hdr, 0);
    off_t end = 0;
    if (got < 0 || elf_end(hdr, (size_t)got, &end) != 0) {
        close(fd);
        return fail(image, "not an ELF file");
    }
    got = pread(fd, magic, sizeof magic, end);
    close(fd);
    if (got != (ssize_t)sizeof magic || memcmp(magic, "hsqs", 4) != 0)
        return fail(image, "no squashfs payload after the ELF runtime");
    *offset = end;
    return 0;
}
