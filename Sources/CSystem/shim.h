#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>

/// An anonymous file in memory (memfd_create, close-on-exec): plaintext that must never touch a disk.
/// Returns -1 with errno set on failure, like the call itself.
static inline int csystem_memfd(const char *name) { return memfd_create(name, MFD_CLOEXEC); }
#endif
