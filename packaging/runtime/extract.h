/* Unpacking the AppImage's squashfs without FUSE. */
#ifndef DMS_RUNTIME_EXTRACT_H
#define DMS_RUNTIME_EXTRACT_H

#include <sys/types.h>

/* Writes the payload's directories, regular files and symlinks under `dest` (created if needed).
 * With a `pattern`, only paths matching it (fnmatch) are written, with their parent directories.
 * `verbose` prints each path written. Returns 0, or -1 with a message on stderr. */
int extract_payload(const char* image, off_t offset, const char* dest, const char* pattern,
                    int verbose);

/* Removes a tree written by extract_payload (no symlink is followed). */
int remove_tree(const char* dir);

#endif
