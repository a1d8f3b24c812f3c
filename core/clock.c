/* clock.c — what the program sees of time and the outside world: print, busy work and the wall
 * clock (the thread pool is executor.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "threadsafe.h"

void aw_vprint(const char *file, int line_no, const char *fmt, va_list ap)
{
    char stackbuf[1024];
    char *line = stackbuf;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(stackbuf, sizeof stackbuf, fmt, ap2);
    va_end(ap2);
    if (n >= (int)sizeof stackbuf) {
        line = malloc((size_t)n + 1);
        if (!line) abort();
        vsnprintf(line, (size_t)n + 1, fmt, ap);
    }
    aw__site(file, line_no);
    aw_loop *loop = aw__running_loop();
    if (aw__job_print(line, file, line_no)) {
        /* a worker thread's line (real clock): printed now, traced by the loop (aw__threadsafe_print) */
    } else if (loop) {
        /* An executor job on the simulated clock runs here, inline: its lines are traced in the
         * order it prints them, as the calling task's (CPython's recorder sees the same). */
        AW__TRACE(loop, .kind = AW_EV_OUTPUT, .task = aw__task_id(loop->current_task), .text = line,
                  .file = file, .line = line_no);
        aw__threadsafe_output(loop, line);
    } else {
        printf("%s\n", line);
    }
    if (line != stackbuf) free(line);
}

void aw__print_line(aw_loop *loop, const char *line)
{
    if (loop->opts.output)
        loop->opts.output(loop, line, loop->opts.ud);
    else
        printf("%s\n", line);
}

void aw__print(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    aw_vprint(file, line, fmt, ap);
    va_end(ap);
}

void aw_busy(double seconds)
{
    if (seconds <= 0) return;
    if (aw__job_sleep(seconds)) return; /* in an executor job: the job's time, not the loop's */
    aw_loop *loop = aw__running_loop();
    if (!loop) return;
    unsigned task = aw__task_id(loop->current_task);
    seconds = aw__vary(loop, AW_VARY_CPU, seconds, task); /* vary.c: the seed's duration, if it varies */
    AW__TRACE(loop, .kind = AW_EV_BUSY, .task = task, .ta = seconds);
    loop->backend->busy(loop->backend, seconds); /* now = now + seconds */
}

double aw_wall_time(void)
{
    aw_loop *loop = aw__running_loop();
    double job_now;
    if (loop && aw__job_time(&job_now)) /* an executor job's own clock: wall_start + its time */
        return (double)loop->backend->wall_start_ns(loop->backend) / 1e9 + job_now;
    if (loop) return loop->backend->wall(loop->backend);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *aw_strftime(const char *fmt)
{
    /* time.localtime(time.time()): the float's whole seconds (time_t truncates toward zero) */
    time_t secs = (time_t)aw_wall_time();
    struct tm tm;
    gmtime_r(&secs, &tm); /* UTC: the same text on every machine */
    char buf[256];
    size_t n = strftime(buf, sizeof buf, fmt, &tm);
    buf[n] = '\0';
    char *s = aw__arena_strdup_here(buf); /* a worker job's strings in a worker thread */
    return s ? s : "";
}
