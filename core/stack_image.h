/* stack_image.h — a sleeping task's saved frames with copied stacks (fiber.h), kept as the words
 * that differ from a template (stack_image.c says why).  Used by stack_shared.c only. */
#ifndef AW_STACK_IMAGE_H
#define AW_STACK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fiber.h"

typedef struct aw__image_template aw__image_template;

/* What a shared stack keeps for encoding its images. */
#define AW__IMAGE_TEMPLATE_SLOTS 16u
typedef struct aw__image_coder {
    /* The templates new images are compared with, one per slot of image depths (NULL: none yet). */
    aw__image_template *current[AW__IMAGE_TEMPLATE_SLOTS];
    uint64_t *scratch;           /* an image being encoded, before its exact size is known */
    size_t scratch_words;
    size_t n_images;             /* images with a buffer: the loop's sleeping tasks, about */
    bool raw;                    /* keep images as plain copies (under memcheck: stack_image.c) */
} aw__image_coder;

/* The live depth [hi - len, hi) into img (its buffer reused when the size suits it); compact: as
 * differences if there are enough sleeping tasks for it to matter (stack_image.c). */
void aw__image_save(aw__image_coder *coder, aw__stack_image *img, const unsigned char *hi, uint32_t len,
                    bool compact);
/* Writes img's bytes back to [hi - img->len, hi). */
void aw__image_restore(const aw__stack_image *img, unsigned char *hi);
void aw__image_release(aw__image_coder *coder, aw__stack_image *img); /* buffer recycled, template let go */
void aw__image_coder_free(aw__image_coder *coder);

#endif /* AW_STACK_IMAGE_H */
