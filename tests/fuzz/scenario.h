/* scenario.h — the C interpreter of fuzz scenarios (tests/fuzz/SCENARIOS.md).
 *
 * scenario.c loads a scenario, runs it with aw_run on the sim clock and prints its lines;
 * ops.c runs the operations.  tests/fuzz/interp.py is the same interpreter on CPython: the two
 * must print the same lines, so a difference is a difference between awaitlab and asyncio. */
#ifndef FUZZ_SCENARIO_H
#define FUZZ_SCENARIO_H

#include <stdarg.h>
#include <stddef.h>

#include <cJSON.h>

#include "awaitlab.h"

/* What a variable holds: a task or future (tasks are kept as their future), or a primitive. */
typedef enum fz_kind { FZ_FUTURE = 0, FZ_EVENT, FZ_LOCK, FZ_SEMAPHORE, FZ_QUEUE, FZ_CONDITION, FZ_BARRIER } fz_kind;

/* A queue variable: the queue, and whether it has been shut down (its reaper says so). */
typedef struct fz_queue {
    const char *name;
    aw_queue *q;
    bool shut;
} fz_queue;

typedef struct fz_var {
    const char *name;
    fz_kind kind;
    void *obj;
} fz_var;

typedef struct fz_scenario {
    const cJSON *coros;       /* {"main": [ops], "c1": [ops], ...} */
    double reap_after;        /* a future left pending this long is cancelled ("reap") */
    fz_var *vars;
    size_t n_vars, cap_vars;
    aw_future *main_task;
    void **allocs;            /* callback arguments, freed after the run */
    size_t n_allocs, cap_allocs;
} fz_scenario;

extern fz_scenario fz;

/* A growable string: lines are built piece by piece, then printed. */
typedef struct fz_str {
    char *s;
    size_t len, cap;
} fz_str;
void fz_strf(fz_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fz_str_exc(fz_str *b, const aw_exc *e);        /* ValueError(boom), RuntimeError(...) */
void fz_str_value(fz_str *b, aw_value v);           /* None, 'c3', [..., ...] */

/* Prints "[S.mmm] " + the line (virtual time, truncated to ms, as vloop's stamp). */
void fz_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_out_str(fz_str *b);                         /* prints and frees b */

aw_future *fz_var_get(const char *name);            /* NULL when unset; "main": main task */
void fz_var_set(const char *name, aw_future *f);
void *fz_obj_get(const char *name, fz_kind kind);   /* NULL when unset (or of another kind) */
void fz_obj_set(const char *name, fz_kind kind, void *obj);
void *fz_alloc(size_t size);                        /* zeroed, freed after the run */
const cJSON *fz_coro_ops(const char *name);         /* NULL if no such coroutine */

/* ops.c */
aw_coro *fz_make_coro(const char *name);            /* the coroutine object name() */
aw_coro *fz_root(void);                             /* runs "main", prints its outcome */

#endif
