/* The FUSE side of the runtime. squashfuse's ll library supplies the request handlers; this file
 * only mounts, runs the session loop and tears it down. */
#define FUSE_USE_VERSION 32
#define _GNU_SOURCE

#include "fusemount.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* squashfuse's config.h defines _POSIX_C_SOURCE itself (see extract.c). */
#undef _POSIX_C_SOURCE
#include <ll.h>

static struct fuse_session* current_session;

/* The session loop checks its exit flag between reads of /dev/fuse; a signal landing just after
 * the check would leave it blocked in read() until the next request, which may never come once
 * the app has gone. So the handler also arms an alarm that interrupts that read a second later. */
static void stop_serving(int sig) {
    (void)sig;
    if (current_session) fuse_session_exit(current_session);
    alarm(1);
}

/* Without SA_RESTART the session's read of /dev/fuse returns EINTR, so the loop sees the exit
 * flag at once. */
static void on_signal(int sig, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static const struct fuse_lowlevel_ops squashfs_ops = {
    .lookup = sqfs_ll_op_lookup,
    .forget = sqfs_ll_op_forget,
    .getattr = sqfs_ll_op_getattr,
    .readlink = sqfs_ll_op_readlink,
    .open = sqfs_ll_op_open,
    .read = sqfs_ll_op_read,
    .release = sqfs_ll_op_release,
    .opendir = sqfs_ll_op_opendir,
    .readdir = sqfs_ll_op_readdir,
    .releasedir = sqfs_ll_op_releasedir,
    .statfs = stfs_ll_op_statfs,
    .getxattr = sqfs_ll_op_getxattr,
    .listxattr = sqfs_ll_op_listxattr,
};

typedef struct {
    sqfs_ll* ll;
    sqfs_ll_chan chan;
} mounted_fs;

static int mount_payload(mounted_fs* m, const char* image, off_t offset, const char* mountpoint) {
    /* "ro": the payload is immutable; fusermount3 adds nosuid,nodev for unprivileged users. */
    char* argv[] = {"dmscope-appimage", "-o", "ro,fsname=dmscope-appimage,subtype=squashfuse",
                    NULL};
    struct fuse_args args = FUSE_ARGS_INIT(3, argv);
    m->ll = sqfs_ll_open(image, (size_t)offset);
    if (!m->ll) return -1;
    if (sqfs_ll_mount(&m->chan, mountpoint, &args, (struct fuse_lowlevel_ops*)&squashfs_ops,
                      sizeof squashfs_ops, m->ll) != SQFS_OK) {
        sqfs_ll_destroy(m->ll);
        free(m->ll);
        return -1;
    }
    current_session = m->chan.session;
    return 0;
}

static void serve_then_unmount(mounted_fs* m, const char* mountpoint) {
    on_signal(SIGALRM, stop_serving);
    fuse_session_loop(m->chan.session);
    alarm(0);
    current_session = NULL;
    sqfs_ll_unmount(&m->chan, mountpoint); /* lazy: a straggling child keeps its open files */
    sqfs_ll_destroy(m->ll);
    free(m->ll);
    rmdir(mountpoint);
}

int fuse_mount_for_parent(const char* image, off_t offset, const char* mountpoint) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return -1;
    const pid_t parent = getpid();
    const pid_t child = fork();
    if (child < 0) {
        close(ready[0]);
        close(ready[1]);
        return -1;
    }
    if (child == 0) {
        close(ready[0]);
        /* Serve until the parent (by then AppRun, then the app: exec keeps the process) exits.
         * Terminal signals meant for the app must not pull the files from under it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        on_signal(SIGTERM, stop_serving);
        on_signal(SIGINT, SIG_IGN);
        on_signal(SIGHUP, SIG_IGN);
        on_signal(SIGQUIT, SIG_IGN);
        on_signal(SIGPIPE, SIG_IGN);
        if (getppid() != parent) _exit(0); /* the parent died before PDEATHSIG was armed */
        if (chdir("/") != 0) _exit(1);     /* keep no directory of the caller busy */
        mounted_fs m;
        if (mount_payload(&m, image, offset, mountpoint) != 0) _exit(1);
        const char ok = 1;
        if (write(ready[1], &ok, 1) != 1) _exit(1);
        close(ready[1]);
        /* Hold none of the app's stdio: a reader of its output must see EOF when the app ends. */
        const int null = open("/dev/null", O_RDWR);
        for (int fd = 0; fd <= 2 && null >= 0; ++fd)
            dup2(null, fd);
        serve_then_unmount(&m, mountpoint);
        _exit(0);
    }
    close(ready[1]);
    char ok = 0;
    ssize_t got;
    do
        got = read(ready[0], &ok, 1);
    while (got < 0 && errno == EINTR);
    close(ready[0]);
    if (got == 1) return 0;
    /* The server failed before mounting: reap it so that no zombie is left to the app. */
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
    return -1;
}

int fuse_mount_foreground(const char* image, off_t offset, const char* mountpoint) {
    mounted_fs m;
    on_signal(SIGINT, stop_serving);
    on_signal(SIGTERM, stop_serving);
    on_signal(SIGHUP, stop_serving);
    on_signal(SIGPIPE, SIG_IGN);
    if (mount_payload(&m, image, offset, mountpoint) != 0) {
        fprintf(stderr, "dmscope AppImage: cannot mount %s on %s (is FUSE available?)\n", image,
                mountpoint);
        rmdir(mountpoint);
        return 1;
    }
    printf("%s\n", mountpoint);
    fflush(stdout);
    serve_then_unmount(&m, mountpoint);
    return 0;
}
