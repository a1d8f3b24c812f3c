/* cli_viewer.h — what `awaitlab step` and `awaitlab tui` share: showing a loaded trace in the
 * terminal viewer beside a lesson's texts, or as a plain listing when there is no terminal. */
#ifndef AW_CLI_VIEWER_H
#define AW_CLI_VIEWER_H

#include <stdbool.h>
#include <stdint.h>

#include "lessons.h"
#include "trace_model.h"

/* Views the model: the terminal viewer when stdin and stdout are terminals and !plain, else the
 * plain listing on stdout.  `lesson` (may be NULL) gives the source pane its texts.  at >= 0 (a
 * step, see cli_where.h): the viewer opens at that step, and instead of the listing the state at
 * that step is printed (aw_model_print_snapshot).  Returns the exit status (0, or 2 if the
 * terminal cannot be used or memory runs out). */
int cli_view(const aw_model *m, const aw_lesson *lesson, bool plain, int64_t at);

#endif
