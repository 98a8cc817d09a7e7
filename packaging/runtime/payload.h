/* Where the squashfs payload of a type-2 AppImage starts. */
#ifndef DMS_RUNTIME_PAYLOAD_H
#define DMS_RUNTIME_PAYLOAD_H

#include <sys/types.h>

/* The payload is appended right after the runtime's ELF image, whose last part is the section
 * header table: offset = e_shoff + e_shnum * e_shentsize. Checks that a squashfs superblock
 * ("hsqs") starts there. Returns 0, or -1 with a message on stderr. */
int payload_offset(const char* image, off_t* offset);

#endif
