/* png_write.h — RGBA images to PNG files, with no library: screenshots of the SDL viewer (and
 * anything else that has pixels) without SDL2_image, libpng or zlib.
 *
 * The encoder is small and deterministic: the same pixels give the same bytes on every machine.
 * Each row gets the cheapest of three PNG filters (none, sub, up); the data is compressed with
 * deflate's fixed Huffman codes and a greedy LZ77 search, which is enough for screenshots (flat
 * colour and text: a 1280x720 frame is tens of kilobytes, not the 3.7 MB of stored blocks). */
#ifndef AW_PNG_WRITE_H
#define AW_PNG_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Encodes a w x h image whose rows start `pitch` bytes apart, each pixel 4 bytes R,G,B,A.
 * On success returns true and a malloc'd buffer in *out (caller frees) of *len bytes. */
bool aw_png_encode(const uint8_t *rgba, int w, int h, size_t pitch, uint8_t **out, size_t *len);

/* Encodes and writes to `path`.  false with a message ("PATH: reason") in err on failure. */
bool aw_png_write(const char *path, const uint8_t *rgba, int w, int h, size_t pitch, char *err, size_t errlen);

/* The CRC-32 of PNG chunks (and of zip, gzip): exposed for tests. */
uint32_t aw_png_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif /* AW_PNG_WRITE_H */
