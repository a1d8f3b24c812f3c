/* test_png_write.c — viz/export/png_write.c: the files are valid PNG (signature, chunks, CRCs, zlib
 * header and Adler-32) and decode to the pixels given.  The decoder here is a minimal inflate for
 * the fixed-Huffman blocks the encoder writes, plus PNG's unfiltering: a round trip in C, with
 * no zlib.  (The shell tests decode the viewer's screenshots with Python's zlib as well.) */
#include "support_core.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "png_write.h"

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* ---- a minimal inflate (fixed Huffman blocks only) ------------------------------------------- */

typedef struct bits {
    const uint8_t *p;
    size_t n, pos; /* pos in bits */
} bits;

static int bit(bits *b)
{
    ck_assert_uint_lt(b->pos / 8, b->n);
    int v = (b->p[b->pos / 8] >> (b->pos % 8)) & 1;
    b->pos++;
    return v;
}

static unsigned getbits(bits *b, int n)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) v |= (unsigned)bit(b) << i;
    return v;
}

static int literal(bits *b)
{
    unsigned code = 0;
    for (int len = 1; len <= 9; len++) {
        code = code << 1 | (unsigned)bit(b);
        if (len == 7 && code <= 0x17) return 256 + (int)code;
        if (len == 8 && code >= 0x30 && code <= 0xBF) return (int)code - 0x30;
        if (len == 8 && code >= 0xC0 && code <= 0xC7) return 280 + (int)code - 0xC0;
        if (len == 9 && code >= 0x190) return 144 + (int)code - 0x190;
    }
    ck_abort_msg("bad literal code");
    return -1;
}

static const int lbase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const int lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const int dbase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const int dext[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* Inflates a zlib stream; returns the data (caller frees) and its length. */
static uint8_t *inflate_zlib(const uint8_t *z, size_t n, size_t *out_len)
{
    ck_assert_uint_ge(n, 6);
    ck_assert_uint_eq(z[0], 0x78);
    ck_assert_uint_eq((z[0] * 256u + z[1]) % 31, 0);
    bits b = {z + 2, n - 6, 0};
    size_t cap = 1024, len = 0;
    uint8_t *out = malloc(cap);
    int final;
    do {
        final = bit(&b);
        ck_assert_uint_eq(getbits(&b, 2), 1); /* fixed Huffman */
        for (;;) {
            int s = literal(&b);
            if (s == 256) break;
            if (len + 258 >= cap) out = realloc(out, cap *= 2);
            if (s < 256) {
                out[len++] = (uint8_t)s;
                continue;
            }
            ck_assert_int_le(s, 285);
            int l = lbase[s - 257] + (int)getbits(&b, lext[s - 257]);
            unsigned dc = 0;
            for (int i = 0; i < 5; i++) dc = dc << 1 | (unsigned)bit(&b);
            ck_assert_uint_lt(dc, 30);
            size_t d = (size_t)dbase[dc] + getbits(&b, dext[dc]);
            ck_assert_uint_le(d, len);
            ck_assert_uint_le(d, 32768);
            for (int i = 0; i < l; i++, len++) out[len] = out[len - d];
        }
    } while (!final);
    /* the Adler-32 of the data follows the deflate stream, byte-aligned */
    uint32_t a = 1, s2 = 0;
    for (size_t i = 0; i < len; i++) a = (a + out[i]) % 65521, s2 = (s2 + a) % 65521;
    ck_assert_uint_eq(be32(z + n - 4), s2 << 16 | a);
    ck_assert_uint_le((b.pos + 7) / 8, n - 6);
    *out_len = len;
    return out;
}

/* Decodes our PNG: checks its structure, returns the RGBA pixels (caller frees). */
static uint8_t *decode(const uint8_t *png, size_t n, int *w, int *h)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    ck_assert_uint_ge(n, 8 + 25 + 12 + 12);
    ck_assert_int_eq(memcmp(png, sig, 8), 0);
    size_t pos = 8, zlen = 0;
    uint8_t *z = NULL;
    int chunk = 0;
    bool end = false;
    while (!end) {
        ck_assert_uint_le(pos + 12, n);
        uint32_t len = be32(png + pos);
        ck_assert_uint_le(pos + 12 + len, n);
        const uint8_t *type = png + pos + 4, *data = png + pos + 8;
        ck_assert_uint_eq(be32(data + len), aw_png_crc32(0, type, len + 4));
        if (chunk == 0) {
            ck_assert_int_eq(memcmp(type, "IHDR", 4), 0);
            ck_assert_uint_eq(len, 13);
            *w = (int)be32(data), *h = (int)be32(data + 4);
            ck_assert_int_eq(data[8], 8); /* 8 bits */
            ck_assert_int_eq(data[9], 6); /* RGBA */
            ck_assert_int_eq(data[10] | data[11] | data[12], 0);
        } else if (!memcmp(type, "IDAT", 4)) {
            z = realloc(z, zlen + len + 1);
            memcpy(z + zlen, data, len);
            zlen += len;
        } else {
            ck_assert_int_eq(memcmp(type, "IEND", 4), 0);
            ck_assert_uint_eq(len, 0);
            end = true;
        }
        pos += 12 + len;
        chunk++;
    }
    ck_assert_uint_eq(pos, n);
    size_t rawlen;
    uint8_t *raw = inflate_zlib(z, zlen, &rawlen);
    free(z);
    size_t stride = (size_t)*w * 4;
    ck_assert_uint_eq(rawlen, (stride + 1) * (size_t)*h);
    uint8_t *px = malloc(stride * (size_t)*h);
    for (int y = 0; y < *h; y++) {
        const uint8_t *src = raw + (size_t)y * (stride + 1);
        uint8_t *dst = px + (size_t)y * stride, *up = y ? dst - stride : NULL;
        ck_assert_int_le(src[0], 2); /* none, sub, up */
        for (size_t x = 0; x < stride; x++) {
            uint8_t pred = src[0] == 1 ? (x >= 4 ? dst[x - 4] : 0) : src[0] == 2 ? (up ? up[x] : 0) : 0;
            dst[x] = (uint8_t)(src[1 + x] + pred);
        }
    }
    free(raw);
    return px;
}

static void round_trip(const uint8_t *rgba, int w, int h, size_t pitch)
{
    uint8_t *png, *png2;
    size_t n, n2;
    ck_assert(aw_png_encode(rgba, w, h, pitch, &png, &n));
    ck_assert(aw_png_encode(rgba, w, h, pitch, &png2, &n2));
    ck_assert_uint_eq(n, n2); /* deterministic */
    ck_assert_int_eq(memcmp(png, png2, n), 0);
    int dw, dh;
    uint8_t *px = decode(png, n, &dw, &dh);
    ck_assert_int_eq(dw, w);
    ck_assert_int_eq(dh, h);
    for (int y = 0; y < h; y++) ck_assert_int_eq(memcmp(px + (size_t)y * w * 4, rgba + (size_t)y * pitch, (size_t)w * 4), 0);
    free(px);
    free(png);
    free(png2);
}

static uint32_t rng = 12345;
static uint8_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (uint8_t)(rng >> 16);
}

START_TEST(crc32_known_value) { ck_assert_uint_eq(aw_png_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u); }
END_TEST

START_TEST(one_pixel)
{
    const uint8_t red[4] = {200, 30, 30, 255};
    round_trip(red, 1, 1, 4);
}
END_TEST

START_TEST(noise_and_flat_and_pitch)
{
    /* sizes around the encoder's edges: a row of one pixel, rows longer than a match, images
     * larger than the 32 KiB window, a pitch wider than the row */
    int sizes[][2] = {{3, 2}, {17, 5}, {1, 40}, {300, 200}, {129, 70}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        size_t pitch = (size_t)w * 4 + 12;
        uint8_t *img = calloc(pitch * (size_t)h, 1);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w * 4; x++) {
                uint8_t *p = img + (size_t)y * pitch + x;
                *p = y < h / 3 ? rnd() : y < 2 * h / 3 ? (uint8_t)(x / 4 % 7 * 30) : (uint8_t)(y * 3);
            }
        round_trip(img, w, h, pitch);
        free(img);
    }
}
END_TEST

START_TEST(screenshots_compress)
{
    int w = 1280, h = 720;
    uint8_t *img = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h; i++) memcpy(img + 4 * i, (uint8_t[4]){250, 250, 247, 255}, 4);
    for (int y = 100; y < 130; y++) /* a lane */
        for (int x = 200; x < 900; x++) memcpy(img + ((size_t)y * w + x) * 4, (uint8_t[4]){158, 196, 232, 255}, 4);
    uint8_t *png;
    size_t n;
    ck_assert(aw_png_encode(img, w, h, (size_t)w * 4, &png, &n));
    ck_assert_uint_lt(n, 40000); /* from 3.7 MB of pixels: deflate matches are at most 258 bytes */
    free(png);
    round_trip(img, w, h, (size_t)w * 4);
    free(img);
}
END_TEST

START_TEST(bad_arguments)
{
    uint8_t px[16] = {0}, *png = NULL;
    size_t n = 0;
    ck_assert(!aw_png_encode(px, 0, 1, 4, &png, &n));
    ck_assert(!aw_png_encode(px, 1, 0, 4, &png, &n));
    ck_assert(!aw_png_encode(px, 2, 1, 4, &png, &n)); /* pitch shorter than a row */
    ck_assert_ptr_null(png);
    char err[256] = "";
    ck_assert(!aw_png_write("/nonexistent-dir/x.png", px, 1, 1, 4, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.png: "));
}
END_TEST

START_TEST(writes_a_file)
{
    char path[] = "/tmp/awaitlab-png-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const uint8_t px[8] = {1, 2, 3, 255, 4, 5, 6, 128};
    char err[256];
    ck_assert(write(fd, "an older file", 13) == 13);
    close(fd);
    ck_assert(aw_png_write(path, px, 2, 1, 8, err, sizeof err)); /* replaces it whole */
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    remove(path);
    int w, h;
    uint8_t *d = decode(buf, n, &w, &h);
    ck_assert_int_eq(memcmp(d, px, 8), 0);
    free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("png_write");
    TCase *tc = tcase_create("png");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, crc32_known_value);
    tcase_add_test(tc, one_pixel);
    tcase_add_test(tc, noise_and_flat_and_pitch);
    tcase_add_test(tc, screenshots_compress);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, writes_a_file);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
