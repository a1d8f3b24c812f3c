/* utf8_clean.h — makes program text valid UTF-8 before it goes into a trace, so that strict
 * JSON readers (Python's json, browsers) accept every trace. */
#ifndef AW_UTF8_CLEAN_H
#define AW_UTF8_CLEAN_H

/* NULL if s is valid UTF-8 (nothing to do); else a malloc'd copy with each invalid byte
 * replaced by U+FFFD.  (NULL also when out of memory: the caller then writes s as it is.) */
char *aw__utf8_clean(const char *s);

#endif
