/* Extraction walks the image with squashfuse's traversal API and writes what it finds: the same
 * library the FUSE path uses, so both read the payload the same way. */
#define FUSE_USE_VERSION 32
#define _GNU_SOURCE

#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* squashfuse's config.h defines _POSIX_C_SOURCE itself; the system headers above already saw
 * _GNU_SOURCE, so drop ours to keep the redefinition quiet. */
#undef _POSIX_C_SOURCE
#include <squashfuse.h>

static int failed(const char* what, const char* path) {
    fprintf(stderr, "dmscope AppImage: %s %s: %s\n", what, path, strerror(errno));
    return -1;
}

/* mkdir -p for the directories above `path`; each is made writable by us so that its contents
 * can be written even if the image stores it read-only. */
static int make_parents(char* path) {
    for (char* p = path + 1; *p; ++p) {
        if (*p != '/') continue;
        *p = '\0';
        const int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST) return -1;
    }
    return 0;
}

static int write_file(sqfs* fs, sqfs_inode* inode, const char* path, mode_t mode) {
    static char buf[128 * 1024]; /* squashfs' default block size: one decompression per read */
    unlink(path);                /* never write into a file another process may be running */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
    if (fd < 0) return failed("cannot create", path);
    const sqfs_off_t size = (sqfs_off_t)inode->xtra.reg.file_size;
    for (sqfs_off_t at = 0; at < size;) {
        sqfs_off_t n = size - at < (sqfs_off_t)sizeof buf ? size - at : (sqfs_off_t)sizeof buf;
        if (sqfs_read_range(fs, inode, at, &n, buf) != SQFS_OK || n <= 0) {
            close(fd);
            errno = EIO;
            return failed("cannot read", path);
        }
        for (sqfs_off_t done = 0; done < n;) {
            const ssize_t w = write(fd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                close(fd);
                return failed("cannot write", path);
            }
            done += w;
        }
        at += n;
    }
    /* open() applied the umask: give the file the mode the image records. */
    if (fchmod(fd, mode & 07777) != 0 || close(fd) != 0) return failed("cannot write", path);
    return 0;
}

static int write_symlink(sqfs* fs, sqfs_inode* inode, const char* path) {
    char target[PATH_MAX];
    size_t len = sizeof target;
    if (sqfs_readlink(fs, inode, target, &len) != SQFS_OK) {
        errno = EIO;
        return failed("cannot read link", path);
    }
    unlink(path);
    if (symlink(target, path) != 0) return failed("cannot create link", path);
    return 0;
}

static int write_entry(sqfs* fs, sqfs_traverse* trv, const char* dest, int verbose) {
    sqfs_inode inode;
    char path[PATH_MAX];
    if (sqfs_inode_get(fs, &inode, sqfs_dentry_inode(&trv->entry)) != SQFS_OK) {
        errno = EIO;
        return failed("cannot read inode of", trv->path);
    }
    const mode_t mode = sqfs_mode(inode.base.inode_type) | inode.base.mode;
    if (snprintf(path, sizeof path, "%s/%s", dest, trv->path) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return failed("cannot extract", trv->path);
    }
    if (make_parents(path) != 0) return failed("cannot create the directory of", path);
    if (verbose) printf("%s\n", path);
    if (S_ISDIR(mode)) {
        if (mkdir(path, (mode & 07777) | S_IRWXU) != 0 && errno != EEXIST)
            return failed("cannot create", path);
        return 0;
    }
    if (S_ISREG(mode)) return write_file(fs, &inode, path, mode);
    if (S_ISLNK(mode)) return write_symlink(fs, &inode, path);
    return 0; /* devices, fifos, sockets: an AppDir has no use for them */
}

int extract_payload(const char* image, off_t offset, const char* dest, const char* pattern,
                    int verbose) {
    sqfs fs;
    sqfs_traverse trv;
    sqfs_err err = SQFS_OK;
    if (sqfs_open_image(&fs, image, (size_t)offset) != SQFS_OK) return -1;
    if (mkdir(dest, 0755) != 0 && errno != EEXIST) {
        sqfs_destroy(&fs);
        return failed("cannot create", dest);
    }
    if (sqfs_traverse_open(&trv, &fs, sqfs_inode_root(&fs)) != SQFS_OK) {
        sqfs_destroy(&fs);
        fprintf(stderr, "dmscope AppImage: cannot read the payload's root directory\n");
        return -1;
    }
    int rc = 0;
    while (rc == 0 && sqfs_traverse_next(&trv, &err)) {
        if (trv.dir_end) continue;
        if (pattern && fnmatch(pattern, trv.path, 0) != 0) continue;
        rc = write_entry(&fs, &trv, dest, verbose);
    }
    if (rc == 0 && err != SQFS_OK) {
        fprintf(stderr, "dmscope AppImage: the payload's directory tree is damaged\n");
        rc = -1;
    }
    sqfs_traverse_close(&trv);
    sqfs_destroy(&fs);
    return rc;
}

static int remove_one(const char* path, const struct stat* st, int type, struct FTW* ftw) {
    (void)st;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int remove_tree(const char* dir) {
    return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
