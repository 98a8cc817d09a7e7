/* dmscope's type-2 AppImage runtime: an ELF that carries a squashfs AppDir appended to itself.
 * Run: mount the AppDir (FUSE) and exec its AppRun; where FUSE cannot be had, extract it to a
 * temporary directory, run AppRun there and delete it afterwards. The --appimage-* options are
 * the runtime's own; every other argument goes to AppRun. */
#define _GNU_SOURCE

#include "extract.h"
#include "fusemount.h"
#include "payload.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The AppImage spec's optional sections, empty: tools that sign or update AppImages find them
 * and fill them in place (a signature covers the file with these two read as zeros). */
__attribute__((used, retain, section(".upd_info"))) static char update_info[1024];
__attribute__((used, retain, section(".sha256_sig"))) static char signature[1024];
__attribute__((used, retain, section(".sig_key"))) static char signature_key[8192];

static const char usage[] =
    "dmscope AppImage runtime options (all other arguments go to dmscope):\n"
    "  --appimage-extract [PATTERN]  unpack (the paths matching PATTERN) into ./squashfs-root\n"
    "  --appimage-extract-and-run    unpack to a temporary directory, run, delete it\n"
    "  --appimage-mount              mount the payload, print where, serve until Ctrl+C\n"
    "  --appimage-offset             print the byte offset of the squashfs payload\n"
    "  --appimage-help               this text\n"
    "  APPIMAGE_EXTRACT_AND_RUN=1    as --appimage-extract-and-run\n"
    "Arguments: 'cli ARGS' runs dmscope-cli; anything else opens the GUI.\n";

/* A fresh directory under $TMPDIR (or /tmp) named after `stem`. */
static int make_temp_dir(const char* stem, char* out, size_t size) {
    const char* tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    if (snprintf(out, size, "%s/%sXXXXXX", tmp, stem) >= (int)size) return -1;
    return mkdtemp(out) ? 0 : -1;
}

/* The variables the AppImage spec promises to the payload. */
static void export_environment(const char* image, const char* appdir, const char* argv0) {
    char cwd[PATH_MAX];
    setenv("APPIMAGE", image, 1);
    setenv("APPDIR", appdir, 1);
    setenv("ARGV0", argv0, 1);
    if (getcwd(cwd, sizeof cwd)) setenv("OWD", cwd, 1);
}

/* argv[0] becomes AppRun's path; the remaining arguments are passed unchanged. */
static int exec_apprun(const char* appdir, char** argv) {
    char apprun[PATH_MAX];
    snprintf(apprun, sizeof apprun, "%s/AppRun", appdir);
    argv[0] = apprun;
    execv(apprun, argv);
    fprintf(stderr, "dmscope AppImage: cannot run %s: %s\n", apprun, strerror(errno));
    return 127;
}

static pid_t apprun_child;

/* A request to end (kill, logout) is for the app: pass it on, then clean up when it has gone. */
static void forward_signal(int sig) {
    if (apprun_child > 0) kill(apprun_child, sig);
}

/* Extract-and-run must outlive AppRun to delete the tree: run it as a child and pass on its
 * status. Terminal signals reach the child through the process group; this process only waits. */
static int run_extracted(const char* image, off_t offset, const char* argv0, char** argv) {
    char dir[PATH_MAX];
    if (make_temp_dir("appimage_extracted_", dir, sizeof dir) != 0) {
        fprintf(stderr, "dmscope AppImage: cannot create a temporary directory: %s\n",
                strerror(errno));
        return 1;
    }
    if (extract_payload(image, offset, dir, NULL, 0) != 0) {
        remove_tree(dir);
        return 1;
    }
    export_environment(image, dir, argv0);
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    const pid_t child = fork();
    if (child == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        _exit(exec_apprun(dir, argv));
    }
    apprun_child = child;
    signal(SIGTERM, forward_signal);
    signal(SIGHUP, forward_signal);
    int status = 0;
    while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!getenv("APPIMAGE_EXTRACT_AND_RUN_NO_CLEANUP")) remove_tree(dir);
    if (child < 0) return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_mounted(const char* image, off_t offset, const char* argv0, char** argv) {
    char dir[PATH_MAX];
    if (make_temp_dir(".mount_dmscope", dir, sizeof dir) != 0) return -1;
    if (fuse_mount_for_parent(image, offset, dir) != 0) {
        rmdir(dir);
        return -1;
    }
    export_environment(image, dir, argv0);
    return exec_apprun(dir, argv); /* the FUSE server unmounts when this process ends */
}

static int wants_extract_and_run(void) {
    const char* v = getenv("APPIMAGE_EXTRACT_AND_RUN");
    return v && strcmp(v, "1") == 0;
}

int main(int argc, char** argv) {
    char image[PATH_MAX];
    off_t offset = 0;
    /* /proc/self/exe, not argv[0]: it is right however the AppImage was started (PATH, symlink). */
    if (!realpath("/proc/self/exe", image)) {
        fprintf(stderr, "dmscope AppImage: cannot find its own file: %s\n", strerror(errno));
        return 1;
    }
    const char* option = argc > 1 ? argv[1] : "";
    if (strcmp(option, "--appimage-help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (payload_offset(image, &offset) != 0) return 1;
    if (strcmp(option, "--appimage-offset") == 0) {
        printf("%lld\n", (long long)offset);
        return 0;
    }
    if (strcmp(option, "--appimage-extract") == 0)
        return extract_payload(image, offset, "squashfs-root", argc > 2 ? argv[2] : NULL, 1) == 0
                   ? 0
                   : 1;
    if (strcmp(option, "--appimage-mount") == 0) {
        char dir[PATH_MAX];
        if (make_temp_dir(".mount_dmscope", dir, sizeof dir) != 0) return 1;
        return fuse_mount_foreground(image, offset, dir);
    }
    const int extract_and_run = strcmp(option, "--appimage-extract-and-run") == 0;
    if (strncmp(option, "--appimage-", 11) == 0 && !extract_and_run) {
        fprintf(stderr, "dmscope AppImage: unknown option %s\n%s", option, usage);
        return 2;
    }
    const char* argv0 = argv[0];
    if (extract_and_run) {
        argv[1] = argv[0]; /* drop the option: AppRun sees only the payload's arguments */
        return run_extracted(image, offset, argv0, argv + 1);
    }
    if (wants_extract_and_run()) return run_extracted(image, offset, argv0, argv);
    const int rc = run_mounted(image, offset, argv0, argv);
    if (rc >= 0) return rc;
    fprintf(stderr, "dmscope AppImage: FUSE is not available here; running from a temporary copy "
                    "(see --appimage-help)\n");
    return run_extracted(image, offset, argv0, argv);
}
