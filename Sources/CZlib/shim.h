#pragma once
#include <zlib.h>

/// deflateInit2 is a macro; windowBits 15 = zlib framing, 31 = gzip framing.
static inline int czlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 is a macro; windowBits 15 = zlib, 31 = gzip, 47 = auto-detect.
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
