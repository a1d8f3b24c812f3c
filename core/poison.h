/* poison.h — memory that is not handed out is poisoned for AddressSanitizer, so that core's own
 * stale uses of recycled blocks are still caught (recycle.c, recycle_slab.c).  No-ops elsewhere. */
#ifndef AW_POISON_H
#define AW_POISON_H

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define AW__POISONING 1
#elif defined(__has_feature) /* clang */
#if __has_feature(address_sanitizer)
#define AW__POISONING 1
#endif
#endif

#ifdef AW__POISONING
#include <sanitizer/asan_interface.h>
#define AW__POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define AW__UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define AW__POISON(p, n) ((void)(p), (void)(n))
#define AW__UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
