/* stack_image.c — see stack_image.h.
 *
 * Why differences: the shared stack is at the same address for every task of the loop, so tasks
 * asleep at the same await have nearly the same frames, word for word: the same return addresses,
 * the same saved frame pointers, the same pointers from one of their frames to another.  Only the
 * words that name the task's own objects (its task, its coroutine objects, its waiter) differ: 17
 * of the 53 words of a task asleep in Event.wait (`awaitlab_bench memory_copied`).  So an image is
 * kept as a bitmap of the words that differ from a template (the top of an earlier image, shared
 * and reference-counted), those words, and the words deeper than the template as they are: 152
 * bytes instead of 424 there.
 *
 * Tasks asleep at the same await are as deep as each other, so the coder keeps a current template
 * per slot of depths; an image is compared with its depth's, which it replaces when more than half
 * of the image would be kept anyway (a task asleep somewhere else at a depth of the slot).  Every
 * image keeps its own template alive, so an image is never worse than its plain copy plus its
 * bitmap, and a template goes when its last image does.
 *
 * Cost: a compare instead of a memcpy at every save, and the template's copy plus a scatter of
 * the differing words at every restore: ~400 instructions a save and restore (callgrind), a fifth
 * of a spawn.  So an image is compacted only where that buys memory: when its task waits for
 * something (a task that yields, sleep(0), is due again in this pass of the ready queue, and its
 * image lives that long at most), and when the loop has COMPACT_AFTER_IMAGES sleeping tasks or
 * more (a few plain images weigh nothing next to the loop's own memory).
 *
 * Under valgrind's memcheck images stay plain copies: comparing the never-written words of a
 * frame (padding, unused slots) would be reported as jumps on undefined values, and memcheck's
 * definedness bits must travel with the bytes (stack_shared.c).  (Other valgrind tools, callgrind
 * included, see the compact images that native runs use.)
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stack_image.h"

struct aw__image_template {
    uint32_t refs;        /* the coder's `current`, and every image encoded against it */
    uint32_t n_words;
    uint64_t words[];     /* in stack order: words[n_words - 1] is the stack's top word */
};

/* A compact image's buffer, in words: the template, a bitmap of the compared words, the words
 * that differ, then the words below the template's depth in stack order.  The compared words go
 * in blocks of 64 from the top down: block b is the (up to) 64 words just below top - 64 b, and
 * its bit j, in bitmap word b, is set when the block's word j (from its lowest address) differs
 * from the template's and is kept; kept words go in the same order. */
enum { HEAD_WORDS = 1, BLOCK_WORDS = 64 };
#define COMPACT_AFTER_IMAGES 64u

static size_t bitmap_words(size_t n_compared) { return (n_compared + BLOCK_WORDS - 1) / BLOCK_WORDS; }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }
static uint64_t low_bits(size_t n) { return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1; }

static void template_unref(aw__image_template *t)
{
    if (t && --t->refs == 0) free(t);
}

static aw__image_template *image_template(const aw__stack_image *img)
{
    aw__image_template *t;
    memcpy(&t, img->bytes, sizeof t);
    return t;
}

static aw__image_template *template_new(const uint64_t *top, size_t n)
{
    aw__image_template *t = malloc(sizeof *t + n * sizeof *t->words);
    if (!t) abort(); /* as the image's own buffer: the frames would be lost */
    t->refs = 1;
    t->n_words = (uint32_t)n;
    memcpy(t->words, top - n, n * sizeof *top);
    return t;
}

static void scratch_reserve(aw__image_coder *c, size_t words)
{
    if (words <= c->scratch_words) return;
    uint64_t *grown = realloc(c->scratch, words * sizeof *grown);
    if (!grown) abort();
    c->scratch = grown;
    c->scratch_words = words;
}

/* Bit j: a[j] == b[j], for j < count <= 64.  Four words a compare where the CPU has AVX2 (x86-64
 * guarantees only SSE2, which has no 64-bit compare): the compare is most of a save's cost. */
static uint64_t equal_words_scalar(const uint64_t *a, const uint64_t *b, size_t count)
{
    uint64_t eq = 0;
    for (size_t j = 0; j < count; j++) eq |= (uint64_t)(a[j] == b[j]) << j;
    return eq;
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx2"))) static uint64_t equal_words_avx2(const uint64_t *a, const uint64_t *b, size_t count)
{
    uint64_t eq = 0;
    size_t j = 0;
    for (; j + 4 <= count; j += 4) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(a + j));
        __m256i y = _mm256_loadu_si256((const __m256i *)(const void *)(b + j));
        eq |= (uint64_t)(unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(x, y))) << j;
    }
    if (j < count) eq |= equal_words_scalar(a + j, b + j, count - j) << j; /* (a shift by 64 is undefined) */
    return eq;
}
#endif

static uint64_t equal_words(const uint64_t *a, const uint64_t *b, size_t count)
{
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return equal_words_avx2(a, b, count);
#endif
    return equal_words_scalar(a, b, count);
}

/* The n words below top, encoded against tpl into the coder's scratch: its length in words, or 0
 * when more than half of the image would be kept as it is (tpl is no use for it). */
static size_t encode(aw__image_coder *c, const uint64_t *top, size_t n, aw__image_template *tpl)
{
    size_t n_cmp = min_size(n, tpl->n_words), n_bm = bitmap_words(n_cmp);
    scratch_reserve(c, HEAD_WORDS + n_bm + n);
    memcpy(c->scratch, &tpl, sizeof tpl);
    uint64_t *bitmap = c->scratch + HEAD_WORDS, *out = bitmap + n_bm;
    const uint64_t *ref_top = tpl->words + tpl->n_words;
    for (size_t b = 0; b < n_bm; b++) {
        size_t count = min_size(BLOCK_WORDS, n_cmp - b * BLOCK_WORDS);
        const uint64_t *block = top - b * BLOCK_WORDS - count;
        uint64_t differ = ~equal_words(block, ref_top - b * BLOCK_WORDS - count, count) & low_bits(count);
        bitmap[b] = differ;
        for (; differ; differ &= differ - 1) *out++ = block[__builtin_ctzll(differ)];
    }
    size_t kept = (size_t)(out - (bitmap + n_bm)) + (n - n_cmp);
    if (2 * kept > n) return 0;
    memcpy(out, top - n, (n - n_cmp) * sizeof *top);
    return HEAD_WORDS + n_bm + kept;
}

/* size bytes from src into img's buffer: reused unless too small or more than twice too big (a
 * task that went deep once and now sleeps shallow does not keep the deep image's memory). */
static inline __attribute__((always_inline)) void store(aw__image_coder *c, aw__stack_image *img, const void *src,
                                                         uint32_t size)
{
    if (size > img->cap || size < img->cap / 2) {
        /* (The old image is dead: no realloc's copy of it.) */
        if (img->bytes)
            aw__recycled_free(img->bytes, img->cap);
        else
            c->n_images++;
        img->bytes = aw__recycled_alloc(size); /* aborts when out of memory: the frames would be lost */
        img->cap = (uint32_t)aw__recycled_capacity(size) & 0x7fffffffu;
    }
    memcpy(img->bytes, src, size);
}

/* Out of line: the plain copy keeps the short path it had. */
static __attribute__((noinline)) void save_compact(aw__image_coder *c, aw__stack_image *img, const unsigned char *hi,
                                                   uint32_t len)
{
    aw__image_template *old = img->compact ? image_template(img) : NULL;
    const uint64_t *top = (const uint64_t *)(const void *)hi;
    size_t n = len / sizeof *top;
    aw__image_template **current = &c->current[n % AW__IMAGE_TEMPLATE_SLOTS];
    size_t words = *current ? encode(c, top, n, *current) : 0;
    if (!words) {
        template_unref(*current);
        *current = template_new(top, n);
        words = encode(c, top, n, *current);
    }
    (*current)->refs++;
    store(c, img, c->scratch, (uint32_t)(words * sizeof *top));
    img->compact = true;
    img->len = len;
    template_unref(old); /* after the new reference: it may be the same template */
}

/* A plain copy into a buffer that must change first (or that held a compact image). */
static __attribute__((noinline)) void save_plain_resized(aw__image_coder *c, aw__stack_image *img,
                                                         const unsigned char *hi, uint32_t len)
{
    if (img->compact) {
        template_unref(image_template(img));
        img->compact = false;
    }
    store(c, img, hi - len, len);
    img->len = len;
}

void aw__image_save(aw__image_coder *c, aw__stack_image *img, const unsigned char *hi, uint32_t len, bool compact)
{
    if (compact && c->n_images >= COMPACT_AFTER_IMAGES && !c->raw && len % sizeof(uint64_t) == 0) {
        save_compact(c, img, hi, len);
        return;
    }
    /* The common plain case calls nothing but memcpy, as a tail call: no frame of its own. */
    if (img->compact || len > img->cap || len < img->cap / 2) {
        save_plain_resized(c, img, hi, len);
        return;
    }
    img->len = len;
    memcpy(img->bytes, hi - len, len);
}

static __attribute__((noinline)) void restore_compact(const aw__stack_image *img, unsigned char *hi)
{
    const aw__image_template *tpl = image_template(img);
    uint64_t *top = (uint64_t *)(void *)hi;
    size_t n = img->len / sizeof *top, n_cmp = min_size(n, tpl->n_words), n_bm = bitmap_words(n_cmp);
    memcpy(top - n_cmp, tpl->words + tpl->n_words - n_cmp, n_cmp * sizeof *top);
    const uint64_t *bitmap = (const uint64_t *)(const void *)img->bytes + HEAD_WORDS, *kept = bitmap + n_bm;
    for (size_t b = 0; b < n_bm; b++) {
        uint64_t *block = top - b * BLOCK_WORDS - min_size(BLOCK_WORDS, n_cmp - b * BLOCK_WORDS);
        for (uint64_t differ = bitmap[b]; differ; differ &= differ - 1) block[__builtin_ctzll(differ)] = *kept++;
    }
    memcpy(top - n, kept, (n - n_cmp) * sizeof *top);
}

void aw__image_restore(const aw__stack_image *img, unsigned char *hi)
{
    if (img->compact)
        restore_compact(img, hi);
    else
        memcpy(hi - img->len, img->bytes, img->len);
}

void aw__image_release(aw__image_coder *c, aw__stack_image *img)
{
    if (img->compact) template_unref(image_template(img));
    if (img->bytes) {
        aw__recycled_free(img->bytes, img->cap);
        c->n_images--;
    }
    *img = (aw__stack_image){0};
}

void aw__image_coder_free(aw__image_coder *c)
{
    for (size_t i = 0; i < AW__IMAGE_TEMPLATE_SLOTS; i++) template_unref(c->current[i]);
    free(c->scratch);
    *c = (aw__image_coder){0};
}
