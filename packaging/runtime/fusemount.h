/* Serving the AppImage's squashfs through FUSE, in-process (squashfuse's low-level API). */
#ifndef DMS_RUNTIME_FUSEMOUNT_H
#define DMS_RUNTIME_FUSEMOUNT_H

#include <sys/types.h>

/* Forks a server that mounts the payload on `mountpoint` (an existing empty directory) and serves
 * it until the calling process exits (it is told by PR_SET_PDEATHSIG), then unmounts and removes
 * the directory. Returns 0 once the mount is in place, -1 if it could not be made (no /dev/fuse,
 * mount refused, no fusermount3...): the caller then extracts instead. */
int fuse_mount_for_parent(const char* image, off_t offset, const char* mountpoint);

/* --appimage-mount: mounts, prints the mount point, serves until SIGINT/SIGTERM/SIGHUP, then
 * unmounts. Returns the exit status. */
int fuse_mount_foreground(const char* image, off_t offset, const char* mountpoint);

#endif
