/* trace_fmt.h — one trace event as one readable line, for `awaitlab diff` and the event logs:
 *
 *     #57 iter 12 t=1.500s  handle_run handle=4 callback="task_step" task=2
 *
 * Fields that are null are left out; strings are shown JSON-quoted (escapes kept visible).
 */
#ifndef AW_TRACE_FMT_H
#define AW_TRACE_FMT_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the line (no newline) into buf, always NUL-terminated; returns buf. */
char *aw_trace_format_event(const cJSON *ev, char *buf, size_t size);

/* Nanoseconds as seconds, with at least 3 decimals and no trailing zeros beyond: "1.500s",
 * "0.000000001s", "-2.000s". */
char *aw_trace_format_ns(int64_t ns, char *buf, size_t size);
/* Exact seconds as Python's repr() writes a float, then "s": "0.30000000000000004s", "1.0s". */
char *aw_trace_format_seconds(double s, char *buf, size_t size);

#endif /* AW_TRACE_FMT_H */
