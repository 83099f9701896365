#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libavutil/mathematics.h>
#include <libswscale/swscale.h>

/// AVERROR_EOF is a compound macro Swift cannot import.
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR(e) for a POSIX errno value.
static inline int cffmpeg_averror(int e) { return AVERROR(e); }
/// AVSEEK_SIZE, the whence value asking a custom AVIOContext for its size.
static inline int cffmpeg_avseek_size(void) { return AVSEEK_SIZE; }
/// AV_NOPTS_VALUE is an INT64 cast Swift cannot import.
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
#endif
