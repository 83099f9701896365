#ifndef CMEDIALOADER_H
#define CMEDIALOADER_H
#include <stddef.h>

/// The media libraries are not linked into the program: each function the Media layer calls is a
/// two-instruction trampoline (trampolines.c) through a slot that the first call fills from dlopen/dlsym.
/// So a command that touches no media (`--version`, `find`, `verify`) never maps libav* or libheif
/// and the hundred codec libraries behind them.

/// The libraries loaded together.
typedef enum {
    /// libavutil, libswscale, libavcodec and libavformat.
    CMEDIA_GROUP_FFMPEG = 0,
    /// libheif.
    CMEDIA_GROUP_HEIF = 1,
} cmedia_group;

/// Loads one group and binds every slot of its functions. Idempotent and thread-safe.
/// Returns 0, or -1 with a sentence naming the library and what to do in `message`.
int cmedia_load(cmedia_group group, char *message, size_t capacity);

#endif
