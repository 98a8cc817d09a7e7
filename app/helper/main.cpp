// dmscope-helper: started by dmscope through pkexec (or directly when dmscope runs as root).
// Usage: dmscope-helper [--fd N]   (N: the SOCK_SEQPACKET socket, default 0 = stdin, because
// pkexec passes only the standard descriptors on).

#include "app/helper/HelperServer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>

int main(int argc, char** argv) {
    int fd = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--fd") == 0 && i + 1 < argc) {
            fd = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: dmscope-helper [--fd N]\n");
            return 2;
        }
    }
    int type = 0;
    socklen_t len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) {
        std::fprintf(stderr,
                     "dmscope-helper: descriptor %d is not a SOCK_SEQPACKET socket; "
                     "dmscope starts this helper itself\n",
                     fd);
        return 2;
    }
    return dms::helper::HelperServer(fd).run();
}
