#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
// No _GNU_SOURCE here: defining it changes how glibc's headers declare shared types (fd_set), and clang then
// refuses to merge this module with Dispatch's. The two GNU-only items are declared by hand instead.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern int memfd_create(const char *name, unsigned int flags);  // glibc ≥ 2.27, <sys/mman.h> under _GNU_SOURCE

/// An anonymous file in memory (memfd_create, close-on-exec): plaintext that must never touch a disk.
/// Returns -1 with errno set on failure, like the call itself.
static inline int csystem_memfd(const char *name) { return memfd_create(name, 1U /* MFD_CLOEXEC */); }

/// An unnamed file in `directory` (O_TMPFILE, 0600): written in full and then given a name with
/// ``csystem_link_fd``, so a crash never leaves a partial plaintext file behind. -1 with errno (EOPNOTSUPP where the
/// filesystem has no O_TMPFILE). The flag is spelled out because <fcntl.h> declares it only under _GNU_SOURCE.
static inline int csystem_open_tmpfile(const char *directory) {
    return open(directory, 020000000 /* __O_TMPFILE */ | O_DIRECTORY | O_WRONLY | O_CLOEXEC, 0600);
}

/// Gives the unnamed file `fd` the name `path` (which must not exist). 0, or -1 with errno.
static inline int csystem_link_fd(int fd, const char *path) {
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

/// Makes this process non-dumpable (no core file, no ptrace by the same user, /proc/PID/mem and environ owned by
/// root): for the key agent, which holds a library's key for hours. 0 on success, -1 with errno.
static inline int csystem_undumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

/// This process's dumpable flag as the kernel holds it (0 = not dumpable), -1 with errno.
static inline int csystem_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

/// Fills a sockaddr_un for `path`; -1 with ENAMETOOLONG if it does not fit.
static inline int csystem_unix_address(const char *path, struct sockaddr_un *address) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address->sun_path) { errno = ENAMETOOLONG; return -1; }
    strcpy(address->sun_path, path);
    return 0;
}

/// A listening Unix stream socket bound at `path` (close-on-exec), or -1 with errno.
static inline int csystem_listen_unix(const char *path) {
    struct sockaddr_un address;
    if (csystem_unix_address(path, &address) < 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, 8) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/// A Unix stream socket connected to `path` (close-on-exec), or -1 with errno.
static inline int csystem_connect_unix(const char *path) {
    struct sockaddr_un address;
    if (csystem_unix_address(path, &address) < 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/// The user id of the process at the other end of a Unix socket (SO_PEERCRED), or -1 with errno.
static inline long csystem_peer_uid(int fd) {
    struct { pid_t pid; uid_t uid; gid_t gid; } credentials;  // struct ucred, which needs _GNU_SOURCE
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0) return -1;
    return (long)credentials.uid;
}
#endif
