/* test_png_file.c — viz/export/png_file.c: what it writes decodes (with libpng, independently of
 * how it was encoded) to the pixels given; a failed write reports the path and reason and leaves
 * no file, partial or temporary, behind; an existing file is replaced whole. */
#include "support_core.h"
#include <check.h>
#include <dirent.h>
#include <png.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "png_file.h"

/* Decodes `path` to tightly packed RGBA (caller frees); NULL if it is not a readable PNG. */
static uint8_t *decode(const char *path, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) return NULL;
    img.format = PNG_FORMAT_RGBA;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        png_image_free(&img);
        free(px);
        return NULL;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    return px;
}

/* A fresh empty directory for one test's files (caller removes it with rm_dir). */
static char *tmp_dir(void)
{
    static char dir[64];
    strcpy(dir, "/tmp/awaitlab-png-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlink(p);
    }
    if (d) closedir(d);
    rmdir(dir);
}

static void round_trip(const uint8_t *rgba, int w, int h, size_t pitch)
{
    char *dir = tmp_dir(), path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/img.png", dir);
    ck_assert_msg(aw_png_write(path, rgba, w, h, pitch, err, sizeof err), "%s", err);
    int dw = 0, dh = 0;
    uint8_t *px = decode(path, &dw, &dh);
    ck_assert_ptr_nonnull(px);
    ck_assert_int_eq(dw, w);
    ck_assert_int_eq(dh, h);
    for (int y = 0; y < h; y++)
        ck_assert_msg(!memcmp(px + (size_t)y * w * 4, rgba + (size_t)y * pitch, (size_t)w * 4), "row %d differs", y);
    free(px);
    ck_assert_int_eq(count_entries(dir), 1); /* no temporary file left beside it */
    rm_dir(dir);
}

static uint32_t rng = 12345;
static uint8_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (uint8_t)(rng >> 16);
}

START_TEST(one_pixel)
{
    const uint8_t red[4] = {200, 30, 30, 255};
    round_trip(red, 1, 1, 4);
}
END_TEST

START_TEST(noise_flat_alpha_and_pitch)
{
    /* noise (every byte matters, alpha included: a writer dropping or premultiplying it fails),
     * flat colour, gradients, and a pitch wider than the row (the padding must not be written) */
    int sizes[][2] = {{3, 2}, {17, 5}, {1, 40}, {300, 200}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        size_t pitch = (size_t)w * 4 + 12;
        uint8_t *img = malloc(pitch * (size_t)h);
        for (size_t i = 0; i < pitch * (size_t)h; i++) img[i] = 0xEE; /* padding */
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w * 4; x++)
                img[(size_t)y * pitch + x] = y < h / 3 ? rnd() : y < 2 * h / 3 ? (uint8_t)(x / 4 % 7 * 30) : (uint8_t)(y * 3);
        round_trip(img, w, h, pitch);
        free(img);
    }
}
END_TEST

START_TEST(bad_geometry)
{
    char *dir = tmp_dir(), path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/x.png", dir);
    uint8_t px[16] = {0};
    ck_assert(!aw_png_write(path, px, 0, 1, 4, err, sizeof err));
    ck_assert(!aw_png_write(path, px, 1, 0, 4, err, sizeof err));
    ck_assert(!aw_png_write(path, px, 2, 1, 4, err, sizeof err)); /* pitch shorter than a row */
    ck_assert_ptr_nonnull(strstr(err, "bad image geometry"));
    ck_assert_int_eq(count_entries(dir), 0);
    rm_dir(dir);
}
END_TEST

START_TEST(unwritable_paths)
{
    uint8_t px[4] = {1, 2, 3, 4};
    char err[256] = "";
    ck_assert(!aw_png_write("/nonexistent-dir/x.png", px, 1, 1, 4, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.png: No such file"));
    /* a directory that is a file: fails as root too */
    ck_assert(!aw_png_write("/dev/null/x.png", px, 1, 1, 4, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/dev/null/x.png: Not a directory"));
}
END_TEST

START_TEST(full_device)
{
    /* a device is written directly (safe_file.h); the "disk full" must still be reported */
    if (access("/dev/full", W_OK) != 0) return;
    int w = 64, h = 64;
    uint8_t *img = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h * 4; i++) img[i] = rnd();
    char err[256] = "";
    ck_assert(!aw_png_write("/dev/full", img, w, h, (size_t)w * 4, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/dev/full: "));
    free(img);
}
END_TEST

START_TEST(failed_write_leaves_nothing)
{
    /* A write that fails half-way into a regular directory (file size limit: EFBIG after 1000
     * bytes) must leave neither the target nor the temporary file. */
    char *dir = tmp_dir(), path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/big.png", dir);
    int w = 200, h = 200;
    uint8_t *img = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h * 4; i++) img[i] = rnd(); /* noise: does not compress */
    struct rlimit old, small = {1000, 1000};
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN); /* else the process is killed, not told */
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    bool ok = aw_png_write(path, img, w, h, (size_t)w * 4, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    ck_assert(!ok);
    ck_assert_msg(strstr(err, "big.png: File too large") != NULL, "%s", err);
    ck_assert_int_eq(count_entries(dir), 0);
    free(img);
    rm_dir(dir);
}
END_TEST

START_TEST(replaces_an_existing_file_whole)
{
    char *dir = tmp_dir(), path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/old.png", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 100000; i++) fputc('x', f); /* longer than the new image */
    fclose(f);
    const uint8_t px[8] = {1, 2, 3, 255, 4, 5, 6, 128};
    ck_assert_msg(aw_png_write(path, px, 2, 1, 8, err, sizeof err), "%s", err);
    int w, h;
    uint8_t *d = decode(path, &w, &h); /* trailing old bytes would not matter to a decoder: */
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(memcmp(d, px, 8), 0);
    free(d);
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    ck_assert_int_lt(ftell(f), 1000); /* so the size says it was replaced, not overwritten */
    fclose(f);
    ck_assert_int_eq(count_entries(dir), 1);
    rm_dir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("png_file");
    TCase *tc = tcase_create("png");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, one_pixel);
    tcase_add_test(tc, noise_flat_alpha_and_pitch);
    tcase_add_test(tc, bad_geometry);
    tcase_add_test(tc, unwritable_paths);
    tcase_add_test(tc, full_device);
    tcase_add_test(tc, failed_write_leaves_nothing);
    tcase_add_test(tc, replaces_an_existing_file_whole);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
