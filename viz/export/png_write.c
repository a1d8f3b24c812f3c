/* png_write.c — a PNG encoder in one file (see png_write.h for why it exists).
 *
 * PNG = signature, IHDR, one IDAT holding a zlib stream of the filtered rows, IEND; each chunk
 * ends with a CRC-32.  The zlib stream is one deflate block with the fixed Huffman codes of
 * RFC 1951 §3.2.6 (no code tables to build or send) and an Adler-32 of the raw data. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_write.h"
#include "safe_file.h"

/* ---- checksums ------------------------------------------------------------------------------ */

uint32_t aw_png_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    static bool ready;
    if (!ready) { /* the table is a pure function of the polynomial: racing writers agree */
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n) {
        size_t k = n < 5552 ? n : 5552; /* the most bytes before b can overflow 32 bits */
        n -= k;
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* ---- output buffer and bit writer ------------------------------------------------------------ */

typedef struct obuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
    uint64_t bits; /* pending bits, LSB first as deflate wants */
    int nbits;
} obuf;

static void put_byte(obuf *o, uint8_t b)
{
    if (o->oom) return;
    if (o->len == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        uint8_t *q = realloc(o->p, cap);
        if (!q) {
            o->oom = true;
            return;
        }
        o->p = q;
        o->cap = cap;
    }
    o->p[o->len++] = b;
}

static void put_be32(obuf *o, uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8) put_byte(o, (uint8_t)(v >> s));
}

static void put_bits(obuf *o, uint32_t v, int n)
{
    o->bits |= (uint64_t)v << o->nbits;
    o->nbits += n;
    while (o->nbits >= 8) {
        put_byte(o, (uint8_t)o->bits);
        o->bits >>= 8;
        o->nbits -= 8;
    }
}

/* Huffman codes are defined most significant bit first, but packed into the LSB-first stream. */
static void put_code(obuf *o, uint32_t code, int n)
{
    uint32_t r = 0;
    for (int i = 0; i < n; i++) r |= ((code >> i) & 1) << (n - 1 - i);
    put_bits(o, r, n);
}

/* ---- deflate with the fixed codes ------------------------------------------------------------ */

static void put_literal(obuf *o, int s)
{
    if (s < 144) put_code(o, 0x30 + (uint32_t)s, 8);
    else if (s < 256) put_code(o, 0x190 + (uint32_t)(s - 144), 9);
    else if (s < 280) put_code(o, (uint32_t)(s - 256), 7);
    else put_code(o, 0xC0 + (uint32_t)(s - 280), 8);
}

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(obuf *o, int len, int dist)
{
    int i = 28;
    while (len_base[i] > len) i--;
    put_literal(o, 257 + i);
    put_bits(o, (uint32_t)(len - len_base[i]), len_extra[i]);
    int d = 29;
    while (dist_base[d] > dist) d--;
    put_code(o, (uint32_t)d, 5);
    put_bits(o, (uint32_t)(dist - dist_base[d]), dist_extra[d]);
}

#define WIN 32768
#define HASH_BITS 15
#define MAX_CHAIN 16 /* candidates tried per position: screenshots match at once or not at all */

static uint32_t hash3(const uint8_t *p) { return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HASH_BITS); }

static void deflate_fixed(obuf *o, const uint8_t *d, size_t n)
{
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS), *prev = malloc(sizeof(int32_t) * WIN);
    if (!head || !prev) {
        o->oom = true;
        free(head);
        free(prev);
        return;
    }
    memset(head, 0xFF, sizeof(int32_t) << HASH_BITS); /* -1: no earlier position */
    put_bits(o, 1, 1);                                 /* BFINAL: the only block */
    put_bits(o, 1, 2);                                 /* BTYPE 01: fixed Huffman codes */
    size_t i = 0;
    while (i < n) {
        int best = 0, best_dist = 0;
        if (i + 3 <= n) {
            uint32_t h = hash3(d + i);
            int32_t cand = head[h];
            size_t max = n - i < 258 ? n - i : 258;
            for (int chain = 0; cand >= 0 && i - (size_t)cand <= WIN && chain < MAX_CHAIN; chain++) {
                size_t l = 0;
                while (l < max && d[(size_t)cand + l] == d[i + l]) l++;
                if ((int)l > best) {
                    best = (int)l;
                    best_dist = (int)(i - (size_t)cand);
                    if (l == max) break;
                }
                int32_t nx = prev[cand % WIN];
                if (nx >= cand) break; /* a slot reused by a newer position: the chain ends */
                cand = nx;
            }
        }
        size_t adv = best >= 3 ? (size_t)best : 1;
        if (best >= 3) put_match(o, best, best_dist);
        else put_literal(o, d[i]);
        for (size_t k = 0; k < adv; k++, i++) { /* every position goes into the dictionary */
            if (i + 3 > n) continue;
            uint32_t h = hash3(d + i);
            prev[i % WIN] = head[h];
            head[h] = (int32_t)i;
        }
    }
    put_literal(o, 256); /* end of block */
    if (o->nbits) put_bits(o, 0, 8 - o->nbits);
    free(head);
    free(prev);
}

/* ---- PNG ------------------------------------------------------------------------------------- */

/* The filtered rows: each row's filter byte, then its bytes.  The filter whose output has the
 * smallest sum of |signed bytes| usually compresses best (the PNG spec's suggestion). */
static uint8_t *filter_rows(const uint8_t *rgba, int w, int h, size_t pitch, size_t *len)
{
    size_t row = (size_t)w * 4;
    uint8_t *out = malloc((row + 1) * (size_t)h), *cand = malloc(row * 2);
    if (!out || !cand) {
        free(out);
        free(cand);
        return NULL;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *cur = rgba + (size_t)y * pitch, *up = y ? cur - pitch : NULL;
        uint8_t *sub = cand, *upf = cand + row;
        unsigned long cost[3] = {0, 0, 0};
        for (size_t x = 0; x < row; x++) {
            sub[x] = (uint8_t)(cur[x] - (x >= 4 ? cur[x - 4] : 0));
            upf[x] = (uint8_t)(cur[x] - (up ? up[x] : 0));
            cost[0] += cur[x] < 128 ? cur[x] : 256u - cur[x];
            cost[1] += sub[x] < 128 ? sub[x] : 256u - sub[x];
            cost[2] += upf[x] < 128 ? upf[x] : 256u - upf[x];
        }
        int f = cost[1] < cost[0] ? 1 : 0;
        if (cost[2] < cost[f]) f = 2;
        uint8_t *dst = out + (size_t)y * (row + 1);
        dst[0] = (uint8_t)f; /* 0 none, 1 sub, 2 up */
        memcpy(dst + 1, f == 0 ? cur : f == 1 ? sub : upf, row);
    }
    free(cand);
    *len = (row + 1) * (size_t)h;
    return out;
}

static void put_chunk(obuf *o, const char type[4], const uint8_t *data, size_t n)
{
    put_be32(o, (uint32_t)n);
    size_t start = o->len;
    for (int i = 0; i < 4; i++) put_byte(o, (uint8_t)type[i]);
    for (size_t i = 0; i < n; i++) put_byte(o, data[i]);
    if (!o->oom) put_be32(o, aw_png_crc32(0, o->p + start, n + 4));
}

bool aw_png_encode(const uint8_t *rgba, int w, int h, size_t pitch, uint8_t **out, size_t *len)
{
    if (w <= 0 || h <= 0 || pitch < (size_t)w * 4) return false;
    size_t rawlen;
    uint8_t *raw = filter_rows(rgba, w, h, pitch, &rawlen);
    if (!raw) return false;
    obuf z = {0};
    put_byte(&z, 0x78); /* zlib: deflate, 32 KiB window; 0x7801 is a multiple of 31 */
    put_byte(&z, 0x01);
    deflate_fixed(&z, raw, rawlen);
    put_be32(&z, adler32(raw, rawlen));
    free(raw);

    obuf o = {0};
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (int i = 0; i < 8; i++) put_byte(&o, sig[i]);
    uint8_t ihdr[13] = {(uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w,
                        (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
                        8, 6, 0, 0, 0}; /* 8 bits, RGBA, deflate, adaptive filters, no interlace */
    put_chunk(&o, "IHDR", ihdr, sizeof ihdr);
    if (!z.oom) put_chunk(&o, "IDAT", z.p, z.len);
    put_chunk(&o, "IEND", NULL, 0);
    bool ok = !z.oom && !o.oom;
    free(z.p);
    if (!ok) {
        free(o.p);
        return false;
    }
    *out = o.p;
    *len = o.len;
    return true;
}

bool aw_png_write(const char *path, const uint8_t *rgba, int w, int h, size_t pitch, char *err, size_t errlen)
{
    uint8_t *png;
    size_t len;
    if (!aw_png_encode(rgba, w, h, pitch, &png, &len)) {
        snprintf(err, errlen, "%s: cannot encode a %dx%d image (out of memory?)", path, w, h);
        return false;
    }
    aw_safe_file sf;
    if (!aw_safe_open(&sf, path)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(png);
        return false;
    }
    fwrite(png, 1, len, sf.f);
    free(png);
    bool ok = aw_safe_commit(&sf); /* all or nothing: an old picture stays if this one fails */
    if (!ok) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return ok;
}
