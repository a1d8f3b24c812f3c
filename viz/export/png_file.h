/* png_file.h — RGBA images to PNG files, through libpng (Debian libpng-dev): screenshots of the
 * SDL viewer, and anything else that has pixels.
 *
 * The file is written like every output of awaitlab (safe_file.h): to a temporary file renamed
 * over the target only when complete, so a failed write never leaves a partial image. */
#ifndef AW_PNG_FILE_H
#define AW_PNG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes a w x h image whose rows start `pitch` bytes apart, each pixel 4 bytes R,G,B,A, to
 * `path`.  false with a message ("PATH: reason") in err on failure, and no file left behind. */
bool aw_png_write(const char *path, const uint8_t *rgba, int w, int h, size_t pitch, char *err, size_t errlen);

#endif /* AW_PNG_FILE_H */
