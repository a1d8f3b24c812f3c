/* sdl_font.c — the viewer's fonts, found at run time (nothing is embedded in the binary):
 * DejaVu Sans (text), its bold (titles) and DejaVu Sans Mono (code) from fonts-dejavu-core, or
 * one font for everything from AWAITLAB_FONT.  A missing font is a clear message and exit
 * status, never a window with no text. */
#include <stdio.h>
#include <stdlib.h>

#include "sdl_viewer.h"

#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"

static const struct {
    const char *file;
    int size;
} faces[FONT__N] = {
    [FONT_SANS] = {"DejaVuSans.ttf", 14},
    [FONT_BOLD] = {"DejaVuSans-Bold.ttf", 14},
    [FONT_MONO] = {"DejaVuSansMono.ttf", 13},
    [FONT_SMALL] = {"DejaVuSans.ttf", 11},
};

int fonts_open(view *v)
{
    const char *over = getenv("AWAITLAB_FONT");
    if (over && !*over) over = NULL; /* empty counts as unset, as for every AWAITLAB_* variable */
    for (int i = 0; i < FONT__N; i++) {
        char path[512];
        if (over) snprintf(path, sizeof path, "%s", over);
        else snprintf(path, sizeof path, "%s%s", DEJAVU_DIR, faces[i].file);
        v->font[i] = TTF_OpenFont(path, faces[i].size);
        if (!v->font[i]) {
            fprintf(stderr, "awaitlab view: cannot open the font %s (%s)\n", path, TTF_GetError());
            if (over) fprintf(stderr, "awaitlab view: AWAITLAB_FONT must name a TrueType font file\n");
            else fprintf(stderr, "awaitlab view: install the fonts with `apt-get install fonts-dejavu-core`, or set "
                                 "AWAITLAB_FONT=/path/to/a/font.ttf\n");
            fonts_close(v);
            return AW_VIEW_NO_FONT;
        }
        v->font_h[i] = TTF_FontLineSkip(v->font[i]);
    }
    return AW_VIEW_OK;
}

void fonts_close(view *v)
{
    for (int i = 0; i < FONT__N; i++) {
        if (v->font[i]) TTF_CloseFont(v->font[i]);
        v->font[i] = NULL;
    }
}
