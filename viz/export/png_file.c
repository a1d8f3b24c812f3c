/* png_file.c — see png_file.h.  libpng's simplified API does the encoding; this file only checks
 * the arguments and routes the bytes through an atomically replaced file. */
#include "png_file.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

#include "safe_file.h"

bool aw_png_write(const char *path, const uint8_t *rgba, int w, int h, size_t pitch, char *err, size_t errlen)
{
    /* png_image takes the row stride as an int count of components (one byte each here) */
    if (w <= 0 || h <= 0 || pitch < (size_t)w * 4 || pitch > (size_t)0x7fffffff) {
        snprintf(err, errlen, "%s: bad image geometry %dx%d, row pitch %zu", path, w, h, pitch);
        return false;
    }
    aw_safe_file sf;
    if (!aw_safe_open(&sf, path)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGBA;
    errno = 0;
    if (!png_image_write_to_stdio(&img, sf.f, 0, rgba, (png_int_32)pitch, NULL)) {
        /* a failed fwrite is only "Write Error" to libpng: the system's reason says more */
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, ferror(sf.f) && e ? strerror(e) : img.message);
        png_image_free(&img);
        aw_safe_abort(&sf);
        return false;
    }
    /* the bytes may still sit in stdio's buffer: a full disk shows up here */
    if (!aw_safe_commit(&sf)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    return true;
}
