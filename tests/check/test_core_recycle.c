/* test_core_recycle.c — the loop's small-object memory (core/recycle.c, core/recycle_slab.c):
 * a class that grows large takes its blocks from huge-page regions, every block keeps what was
 * written to it while others of its class and of other classes come and go, and once a burst is
 * over (every block given back) no region stays mapped.  Under ASan a block given back to a
 * region is poisoned: reading it is reported. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fiber.h"
#include "internal.h"
#include "recycle_slab.h"
#include "support_core.h"

enum { N_BLOCKS = 20000 };

typedef struct block {
    unsigned char *p;
    size_t size;
} block;

static void fill(const block *b, size_t i) { memset(b->p, (int)(i * 131u % 251u) + 1, b->size); }

static void check_filled(const block *b, size_t i)
{
    unsigned char want = (unsigned char)(i * 131u % 251u + 1);
    size_t k = 0;
    while (k < b->size && b->p[k] == want) k++; /* one assertion a block: Check marks each one */
    ck_assert_msg(k == b->size, "block %zu byte %zu: %u, not %u", i, k, b->p[k], want);
}

static void take(block *bs, size_t i, size_t size)
{
    bs[i] = (block){aw__recycled_alloc(size), size};
    if ((uintptr_t)bs[i].p & 15u) ck_abort_msg("block %zu at %p: not 16-byte aligned", i, (void *)bs[i].p);
    fill(&bs[i], i);
}

static void give_back(block *b)
{
    aw__recycled_free(b->p, b->size);
    b->p = NULL;
}

/* A deterministic shuffle: blocks go back in no particular order. */
static void shuffle(size_t *order, size_t n)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t j = (size_t)(x % (i + 1)), t = order[i];
        order[i] = order[j], order[j] = t;
    }
}

START_TEST(a_grown_class_uses_regions_and_gives_them_all_back)
{
    block *bs = calloc(N_BLOCKS, sizeof *bs);
    size_t *order = malloc(N_BLOCKS * sizeof *order);
    ck_assert_ptr_nonnull(bs);
    ck_assert_ptr_nonnull(order);
    ck_assert_uint_eq(aw__slab_region_count(), 0);
    for (size_t i = 0; i < N_BLOCKS; i++) take(bs, i, 216); /* 4.5 MB of one class */
    ck_assert_uint_gt(aw__slab_region_count(), 0);
    for (size_t i = 0; i < N_BLOCKS; i++) check_filled(&bs[i], i);
    shuffle(order, N_BLOCKS);
    for (size_t i = 0; i < N_BLOCKS; i++) give_back(&bs[order[i]]);
    aw__recycled_trim(); /* the blocks the class kept for reuse go back too */
    ck_assert_uint_eq(aw__slab_region_count(), 0);
    free(order);
    free(bs);
}
END_TEST

START_TEST(blocks_of_interleaved_classes_keep_their_contents)
{
    static const size_t sizes[] = {64, 216, 584, 1500, 40};
    enum { N_SIZES = sizeof sizes / sizeof *sizes };
    block *bs = calloc(N_BLOCKS, sizeof *bs);
    ck_assert_ptr_nonnull(bs);
    for (size_t i = 0; i < N_BLOCKS; i++) take(bs, i, sizes[i % N_SIZES]);
    for (size_t i = 0; i < N_BLOCKS; i += 2) give_back(&bs[i]); /* half, in every run */
    for (size_t i = 1; i < N_BLOCKS; i += 2) check_filled(&bs[i], i);
    for (size_t i = 0; i < N_BLOCKS; i += 2) take(bs, i, sizes[(i / 2) % N_SIZES]); /* reused, other classes */
    for (size_t i = 0; i < N_BLOCKS; i++) check_filled(&bs[i], i);
    for (size_t i = N_BLOCKS; i-- > 0;) give_back(&bs[i]);
    aw__recycled_trim();
    ck_assert_uint_eq(aw__slab_region_count(), 0);
    free(bs);
}
END_TEST

START_TEST(bursts_one_after_another_each_give_their_regions_back)
{
    ck_assert_uint_eq(aw__slab_region_count(), 0);
    for (int round = 0; round < 2; round++) {
        block *bs = calloc(N_BLOCKS, sizeof *bs);
        ck_assert_ptr_nonnull(bs);
        for (size_t i = 0; i < N_BLOCKS; i++) take(bs, i, 72);
        for (size_t i = 0; i < N_BLOCKS; i++) give_back(&bs[i]);
        free(bs);
    }
    aw__recycled_trim();
    ck_assert_uint_eq(aw__slab_region_count(), 0);
}
END_TEST

#ifdef AW__ASAN /* fiber.h */
START_TEST(a_block_given_back_to_its_region_is_poisoned_under_asan)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        block *bs = calloc(N_BLOCKS, sizeof *bs);
        for (size_t i = 0; i < N_BLOCKS; i++) take(bs, i, 216);
        volatile unsigned char *last = bs[N_BLOCKS - 1].p; /* a slab block: the class grew */
        for (size_t i = 0; i < N_BLOCKS - 1; i++) give_back(&bs[i]); /* the run stays in use */
        give_back(&bs[N_BLOCKS - 1]);
        (void)close(2); /* ASan's report is expected: keep the test's output clean */
        _exit(last[0] == 0xee ? 0 : 0); /* the read itself must be reported */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "status %d: the stale read was not reported", status);
}
END_TEST
#endif

int main(void)
{
    Suite *s = suite_create("core_recycle");
    TCase *tc = tcase_create("recycle");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_grown_class_uses_regions_and_gives_them_all_back);
    tcase_add_test(tc, blocks_of_interleaved_classes_keep_their_contents);
    tcase_add_test(tc, bursts_one_after_another_each_give_their_regions_back);
#ifdef AW__ASAN
    tcase_add_test(tc, a_block_given_back_to_its_region_is_poisoned_under_asan);
#endif
    suite_add_tcase(s, tc);
    return run_suite(s);
}
