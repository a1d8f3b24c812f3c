/* recorder.h — writes a loop's tracer events as a trace file (sim/trace-format.md).
 *
 * Usage, by hand (AWAITLAB_TRACE=path does the same through sim/env.c):
 *
 *     aw_loop_options o; aw_loop_options_init(&o);
 *     aw_recorder *rec = aw_recorder_open("run.trace", err, sizeof err);
 *     if (!rec) { fprintf(stderr, "%s\n", err); exit(2); }
 *     aw_recorder_attach(rec, &o);        // the loop now owns rec:
 *     aw_loop *loop = aw_loop_new(&o);    // aw_loop_free() closes it (tracer->on_close)
 *
 * Lines are buffered and handed to the file at each loop iteration boundary, before the loop may
 * block (io_wait), when 64 KiB are pending, and at close (a regular file through its mapping,
 * sim/file_map.h; anything else with one write()): a program that is killed leaves complete
 * lines (and, in a regular file, zeros after them: a truncated trace) and loses at most the
 * events of the iteration it was running.  A regular file that outgrows its first MiB gets a
 * helper thread, "awaitlab-trace" (every signal blocked; joined when the recorder closes), which
 * makes the file's next 4 MiB ready ahead and starts writing the full ones back to disk, so that
 * their page cache is reused (sim/window_ahead.h).  Output is deterministic: ids, not addresses; integers
 * only; the wall clock is never read here.
 */
#ifndef AW_RECORDER_H
#define AW_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "awaitlab.h" /* core/: found with -Icore in the tree, beside it when installed */
#include "aw_tracer.h"

typedef struct aw_recorder aw_recorder;

/* Creates (truncates) `path`, opened for reading too (a shared mapping needs it).  NULL on
 * failure, with a message "trace PATH: reason" in err. */
aw_recorder *aw_recorder_open(const char *path, char *err, size_t errlen);
/* Writes to an open descriptor instead, always with write() (not closed by the recorder unless
 * close_fd). */
aw_recorder *aw_recorder_open_fd(int fd, int close_fd);

/* The tracer whose ud is an aw_recorder*: its on_close closes and frees the recorder. */
const aw_tracer *aw_recorder_tracer(void);
/* opts->tracer = aw_recorder_tracer(), opts->tracer_ud = rec. */
void aw_recorder_attach(aw_recorder *rec, aw_loop_options *opts);

/* Closes and frees a recorder that no loop owns (never attached, or no loop was created). */
void aw_recorder_close(aw_recorder *rec);

/* The program's source, written into the trace's header (source_file, source) so that a viewer
 * needs nothing else.  When the program is a C port of that source, every event whose C file is
 * port_file (its __FILE__) gets the source's line map_line(map_ud, c_line) (0: none) instead of
 * its C line.  Any argument may be NULL.  Call it before the loop starts.  false: out of memory. */
typedef int (*aw_line_map_fn)(void *ud, int c_line);
bool aw_recorder_set_source(aw_recorder *rec, const char *source_file, const char *source, const char *port_file,
                            aw_line_map_fn map_line, void *map_ud);

/* Counters, for benchmarks: events and bytes recorded so far (header included in bytes; bytes
 * still in the buffer count: the file has them all once the recorder is closed). */
uint64_t aw_recorder_events(const aw_recorder *rec);
uint64_t aw_recorder_bytes(const aw_recorder *rec);

/* How many traces of this process lost events (a failed write or close: disk full, /dev/full).
 * Each is reported on stderr when it happens; sim/env.c makes the process exit with
 * AW_EXIT_TRACE_LOST when the count is not 0, so a lost trace is never a silent success. */
unsigned aw_recorder_failures(void);
#define AW_EXIT_TRACE_LOST 9
/* The exit status of a program linked with the sim library whose loop stopped at its virtual time
 * limit (aw_loop_options.time_limit, AWAITLAB_TIME_LIMIT), whatever main() returned: the run did
 * not end by itself (`awaitlab explore` calls it a hang). */
#define AW_EXIT_TIME_LIMIT 10

/* The trace name of an event kind ("handle_run"...), or NULL if out of range. */
const char *aw_recorder_kind_name(aw_event_kind kind);

#endif /* AW_RECORDER_H */
