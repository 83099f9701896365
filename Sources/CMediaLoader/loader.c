// Loads libav* and libheif on first use and binds the trampolines' slots (see CMediaLoader.h).
#include "CMediaLoader.h"
#include "functions.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// The major versions the headers were built against name the sonames to open, so a program built
// against FFmpeg 5.1 never binds to a different ABI.
#include <libavutil/version.h>
#include <libavcodec/version.h>
#include <libavformat/version.h>
#include <libswscale/version.h>
#include <libheif/heif_version.h>

typedef enum { AVUTIL, SWSCALE, AVCODEC, AVFORMAT, HEIF, LIBRARY_COUNT } library;

static const struct {
    const char *name;
    int major;
    cmedia_group group;
} libraries[LIBRARY_COUNT] = {
    // Dependencies first, so each dlopen finds what it needs already mapped.
    [AVUTIL] = {"avutil", LIBAVUTIL_VERSION_MAJOR, CMEDIA_GROUP_FFMPEG},
    [SWSCALE] = {"swscale", LIBSWSCALE_VERSION_MAJOR, CMEDIA_GROUP_FFMPEG},
    [AVCODEC] = {"avcodec", LIBAVCODEC_VERSION_MAJOR, CMEDIA_GROUP_FFMPEG},
    [AVFORMAT] = {"avformat", LIBAVFORMAT_VERSION_MAJOR, CMEDIA_GROUP_FFMPEG},
    [HEIF] = {"heif", LIBHEIF_NUMERIC_VERSION >> 24, CMEDIA_GROUP_HEIF},
};

/// The first instruction every unbound slot jumps to (trampolines.c).
extern char cmedia_resolve[];

#define CMEDIA_SLOT(lib, name) __attribute__((visibility("hidden"))) void *cmedia_slot_##name = (void *)cmedia_resolve;
CMEDIA_FUNCTIONS(CMEDIA_SLOT)
#undef CMEDIA_SLOT

static const struct {
    const char *name;
    void **slot;
    library library;
} functions[] = {
#define CMEDIA_ENTRY(lib, name) {#name, &cmedia_slot_##name, lib},
    CMEDIA_FUNCTIONS(CMEDIA_ENTRY)
#undef CMEDIA_ENTRY
};
enum { FUNCTION_COUNT = sizeof functions / sizeof functions[0], GROUP_COUNT = 2 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int tried[GROUP_COUNT];
static atomic_int loaded[GROUP_COUNT];
static char failure[GROUP_COUNT][640];

static int load_group(cmedia_group group, char *message, size_t capacity) {
    void *handles[LIBRARY_COUNT] = {0};
    for (int lib = 0; lib < LIBRARY_COUNT; lib++) {
        if (libraries[lib].group != group) continue;
        char soname[64];
        snprintf(soname, sizeof soname, "lib%s.so.%d", libraries[lib].name, libraries[lib].major);
        handles[lib] = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
        if (handles[lib] == NULL) {
            const char *why = dlerror();
            snprintf(message, capacity,
                     "The media library %s could not be loaded (%s). Install Debian's lib%s%d package "
                     "(Scripts/demo installs it) and try again.",
                     soname, why ? why : "unknown error", libraries[lib].name, libraries[lib].major);
            return -1;
        }
    }
    void *found[FUNCTION_COUNT] = {0};
    for (int i = 0; i < FUNCTION_COUNT; i++) {
        library lib = functions[i].library;
        if (libraries[lib].group != group) continue;
        found[i] = dlsym(handles[lib], functions[i].name);
        if (found[i] == NULL) {
            snprintf(message, capacity,
                     "The media library lib%s.so.%d has no function %s, so it is not the version evidence "
                     "was built with. Rebuild evidence against the installed library.",
                     libraries[lib].name, libraries[lib].major, functions[i].name);
            return -1;
        }
    }
    // Every function was found: bind them all at once, so no slot of a half-loaded group is used.
    for (int i = 0; i < FUNCTION_COUNT; i++) {
        if (found[i] != NULL) __atomic_store_n(functions[i].slot, found[i], __ATOMIC_RELEASE);
    }
    return 0;
}

int cmedia_load(cmedia_group group, char *message, size_t capacity) {
    if ((unsigned)group >= GROUP_COUNT) return -1;
    if (atomic_load_explicit(&loaded[group], memory_order_acquire)) return 0;
    pthread_mutex_lock(&lock);
    if (!tried[group]) {
        tried[group] = 1;
        if (load_group(group, failure[group], sizeof failure[group]) == 0) {
            atomic_store_explicit(&loaded[group], 1, memory_order_release);
        }
    }
    int ok = atomic_load_explicit(&loaded[group], memory_order_relaxed);
    if (!ok && message != NULL && capacity > 0) snprintf(message, capacity, "%s", failure[group]);
    pthread_mutex_unlock(&lock);
    return ok ? 0 : -1;
}

/// Called by cmedia_resolve with the slot of the function being called; returns the function.
/// The Media layer loads its group before its first call (MediaLibraries.swift), so this is reached
/// only by a path that forgot to; it loads the group or, when that is impossible, says why and exits.
__attribute__((visibility("hidden"))) void *cmedia_bind(void **slot) {
    for (int i = 0; i < FUNCTION_COUNT; i++) {
        if (functions[i].slot != slot) continue;
        char message[640];
        if (cmedia_load(libraries[functions[i].library].group, message, sizeof message) != 0) {
            dprintf(STDERR_FILENO, "evidence: %s\n", message);
            _exit(1);
        }
        return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    }
    dprintf(STDERR_FILENO, "evidence: internal error: a media function without a slot was called.\n");
    _exit(1);
}
