/* stack_shared.c — the one stack that every task of a copied-stacks loop runs on, and the
 * images of its tasks' stacks kept while they sleep (fiber.h says why and what it costs).
 *
 * The stack is one mapping with a PROT_NONE page below it (two kernel mappings per loop, not per
 * task).  An image is the live part of the stack, [saved sp, top), kept in a heap buffer (a size
 * class of recycle.c: a finished task's buffer is the next task's, with no malloc or free) as its
 * differences from the images of other tasks (stack_image.c); since the stack's top never moves,
 * writing the bytes back to the same addresses makes every pointer inside the image (saved frame
 * pointers, return addresses' slots, locals pointing at locals) valid again.
 *
 * Tools: while no task runs on it, the stack is poisoned for AddressSanitizer and no-access for
 * valgrind, so a stale pointer into it, dereferenced by the loop or a callback, is reported.  The
 * copies are done only while it is unpoisoned.  Under valgrind every switch out saves the image
 * (no lazy save): memcheck's definedness bits travel with memcpy into the image and back, while
 * bytes left on the stack would lose them when the stack is marked no-access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "stack_image.h"

#ifdef AW__ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef AW_USE_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#endif

atomic_uint aw__shared_stacks_live;

struct aw__shared_stack {
    unsigned char *map, *lo, *hi; /* the mapping (guard page first), the usable [lo, hi) */
    size_t map_size;
    void *owner;                  /* the fiber whose frames the stack holds now, or NULL */
    bool eager_save;              /* under valgrind: see the file's comment */
    unsigned vg_id;
    aw__image_coder coder;        /* its sleeping tasks' images */
};

aw__shared_stack *aw__shared_stack_new(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size = (size + page - 1) / page * page;
    if (size > (size_t)1 << 30) return NULL; /* an image's size fits 31 bits (fiber.h), as loops' stacks do */
    aw__shared_stack *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->map_size = page + size;
    s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s->map == MAP_FAILED || mprotect(s->map, page, PROT_NONE) != 0) {
        if (s->map != MAP_FAILED) munmap(s->map, s->map_size);
        free(s);
        return NULL;
    }
    s->lo = s->map + page;
    s->hi = s->map + s->map_size;
#ifdef AW_USE_VALGRIND
    s->eager_save = RUNNING_ON_VALGRIND;
    /* memcheck alone answers this request (1); other tools leave 0 */
    uint64_t probe = 0, probe_bits;
    s->coder.raw = s->eager_save && VALGRIND_GET_VBITS(&probe, &probe_bits, sizeof probe) == 1;
    s->vg_id = VALGRIND_STACK_REGISTER(s->lo, s->hi);
#endif
    aw__shared_stack_leave(s);
    atomic_fetch_add_explicit(&aw__shared_stacks_live, 1, memory_order_relaxed);
    return s;
}

void aw__shared_stack_free(aw__shared_stack *s)
{
    if (!s) return;
    aw__shared_stack_enter(s); /* ASan keeps no poison on memory that is unmapped */
#ifdef AW_USE_VALGRIND
    VALGRIND_STACK_DEREGISTER(s->vg_id);
#endif
    munmap(s->map, s->map_size);
    aw__image_coder_free(&s->coder);
    free(s);
    atomic_fetch_sub_explicit(&aw__shared_stacks_live, 1, memory_order_relaxed);
}

unsigned char *aw__shared_stack_lo(const aw__shared_stack *s) { return s->lo; }
unsigned char *aw__shared_stack_hi(const aw__shared_stack *s) { return s->hi; }
void *aw__shared_stack_owner(const aw__shared_stack *s) { return s->owner; }
void aw__shared_stack_set_owner(aw__shared_stack *s, void *fiber) { s->owner = fiber; }
bool aw__shared_stack_eager_save(const aw__shared_stack *s) { return s->eager_save; }

bool aw__shared_stack_contains(const aw__shared_stack *s, uintptr_t p)
{
    return p >= (uintptr_t)s->lo && p < (uintptr_t)s->hi;
}

void aw__shared_stack_enter(aw__shared_stack *s)
{
#ifdef AW__ASAN
    ASAN_UNPOISON_MEMORY_REGION(s->lo, (size_t)(s->hi - s->lo));
#endif
#ifdef AW_USE_VALGRIND
    VALGRIND_MAKE_MEM_UNDEFINED(s->lo, (size_t)(s->hi - s->lo));
#endif
    (void)s;
}

void aw__shared_stack_leave(aw__shared_stack *s)
{
#ifdef AW__ASAN
    ASAN_POISON_MEMORY_REGION(s->lo, (size_t)(s->hi - s->lo));
#endif
#ifdef AW_USE_VALGRIND
    VALGRIND_MAKE_MEM_NOACCESS(s->lo, (size_t)(s->hi - s->lo));
#endif
    (void)s;
}

void aw__shared_stack_save(aw__shared_stack *s, aw__stack_image *img, const void *sp, bool compact)
{
    aw__image_save(&s->coder, img, s->hi, (uint32_t)(s->hi - (const unsigned char *)sp), compact);
}

void aw__shared_stack_restore(aw__shared_stack *s, const aw__stack_image *img) { aw__image_restore(img, s->hi); }

void aw__shared_stack_release(aw__shared_stack *s, aw__stack_image *img) { aw__image_release(&s->coder, img); }
