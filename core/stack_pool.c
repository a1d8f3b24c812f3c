/* stack_pool.c — mmap'd task stacks with a guard page, pooled and reused.
 *
 * mmap + mprotect + munmap cost ~12 us per stack on the project's machines while a switch costs
 * ~9 ns, so finished tasks return their stacks here instead of unmapping them.  Each guarded
 * stack is two kernel mappings and vm.max_map_count is usually 65530, so past
 * AW__MAX_GUARDED live stacks we stop asking for guard pages (fiber.c then checks a canary).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fiber.h"

#ifdef AW_USE_VALGRIND
#include <valgrind/valgrind.h>
#endif

#define AW__MAX_GUARDED 30000u
#define AW__POOL_KEEP 1024u /* free stacks kept for reuse; beyond that they are unmapped */

struct aw__stack_pool {
    size_t stack_size;  /* usable bytes, a multiple of the page size */
    size_t page;
    aw__stack *free_list;
    size_t n_free;
    size_t n_guarded_live;
};

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

aw__stack_pool *aw__stack_pool_new(size_t stack_size)
{
    aw__stack_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->page = (size_t)sysconf(_SC_PAGESIZE);
    if (stack_size < 16 * 1024) stack_size = 16 * 1024;
    pool->stack_size = round_up(stack_size, pool->page);
    return pool;
}

size_t aw__stack_pool_stack_size(const aw__stack_pool *pool) { return pool->stack_size; }

static void stack_unmap(aw__stack_pool *pool, aw__stack *s)
{
#ifdef AW_USE_VALGRIND
    VALGRIND_STACK_DEREGISTER(s->vg_id);
#endif
    if (s->guarded) pool->n_guarded_live--;
    munmap(s->map, s->map_size);
    free(s);
}

aw__stack *aw__stack_get(aw__stack_pool *pool)
{
    if (pool->free_list) {
        aw__stack *s = pool->free_list;
        pool->free_list = s->next_free;
        pool->n_free--;
        s->next_free = NULL;
        return s;
    }
    aw__stack *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    bool guard = pool->n_guarded_live < AW__MAX_GUARDED;
    s->map_size = pool->stack_size + (guard ? pool->page : 0);
    s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s->map == MAP_FAILED) {
        free(s);
        return NULL;
    }
    if (guard && mprotect(s->map, pool->page, PROT_NONE) != 0) {
        /* The map limit was reached after all: keep the stack, unguarded (canary-checked). */
        munmap(s->map, s->map_size);
        s->map_size = pool->stack_size;
        s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (s->map == MAP_FAILED) {
            free(s);
            return NULL;
        }
        guard = false;
    }
    s->guarded = guard;
    if (guard) pool->n_guarded_live++;
    s->lo = s->map + (guard ? pool->page : 0);
    s->hi = s->lo + pool->stack_size;
#ifdef AW_USE_VALGRIND
    s->vg_id = VALGRIND_STACK_REGISTER(s->lo, s->hi);
#endif
    return s;
}

void aw__stack_put(aw__stack_pool *pool, aw__stack *s)
{
    if (pool->n_free >= AW__POOL_KEEP) {
        stack_unmap(pool, s);
        return;
    }
    s->next_free = pool->free_list;
    pool->free_list = s;
    pool->n_free++;
}

void aw__stack_pool_free(aw__stack_pool *pool)
{
    if (!pool) return;
    while (pool->free_list) {
        aw__stack *s = pool->free_list;
        pool->free_list = s->next_free;
        stack_unmap(pool, s);
    }
    free(pool);
}
