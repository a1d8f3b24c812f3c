/* utf8_clean.h — the rule by which program text is made valid UTF-8 before it goes into a trace,
 * so that strict JSON readers (Python's json, browsers) accept every trace: each byte that does
 * not start a well-formed sequence (RFC 3629) is replaced by U+FFFD (sim/json_out.c applies it
 * while it escapes a string). */
#ifndef AW_UTF8_CLEAN_H
#define AW_UTF8_CLEAN_H

#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at p, or 0 if the bytes there are not one:
 * no overlongs, no surrogates, nothing above U+10FFFF.  Stops at a NUL (a NUL byte is never a
 * continuation byte), so it never reads past the end of a string. */
size_t aw__utf8_seq_len(const unsigned char *p);

/* U+FFFD, the replacement character, in UTF-8. */
#define AW_UTF8_REPLACEMENT "\xEF\xBF\xBD"

#endif
