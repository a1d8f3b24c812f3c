/* net_options.c — the simulated network's options: defaults, checks, the process's defaults,
 * and the text of AWAITLAB_NET_FAULTS (sim/env.c reads the variables). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_sim.h"

void aw_sim_net_options_init(aw_sim_net_options *o)
{
    *o = (aw_sim_net_options){.send_buffer = 65536, .recv_buffer = 65536, .fault_bytes = 65536};
}

static bool seconds_ok(double v) { return isfinite(v) && v >= 0; }
static bool probability_ok(double v) { return v >= 0 && v <= 1; } /* false for NaN too */

/* Buffers beyond 1 GiB would only be a typo; the model keeps counts in size_t either way. */
#define MAX_BUFFER ((size_t)1 << 30)

const char *aw_sim_net_options_check(const aw_sim_net_options *o)
{
    if (!seconds_ok(o->latency)) return "latency: expected seconds >= 0";
    if (!seconds_ok(o->bandwidth)) return "bandwidth: expected bytes per second >= 0 (0: unlimited)";
    if (!o->send_buffer || o->send_buffer > MAX_BUFFER) return "send_buffer: expected 1 to 1073741824 bytes";
    if (!o->recv_buffer || o->recv_buffer > MAX_BUFFER) return "recv_buffer: expected 1 to 1073741824 bytes";
    if (!probability_ok(o->jitter)) return "jitter: expected a fraction of the latency, 0 to 1";
    if (!seconds_ok(o->jitter_s)) return "jitter_s: expected seconds >= 0";
    if (!probability_ok(o->refused)) return "refused: expected a probability, 0 to 1";
    if (!probability_ok(o->reset)) return "reset: expected a probability, 0 to 1";
    if (!probability_ok(o->drop)) return "drop: expected a probability, 0 to 1";
    if (!probability_ok(o->stall)) return "stall: expected a probability, 0 to 1";
    if (o->n_links && !o->links) return "links: NULL with n_links > 0";
    for (size_t i = 0; i < o->n_links; i++) {
        const aw_sim_net_link *l = &o->links[i];
        if (!l->host || !*l->host) return "links: a link without a host";
        if (!seconds_ok(l->latency) || !seconds_ok(l->bandwidth) || !probability_ok(l->jitter))
            return "links: latency and bandwidth >= 0, jitter 0 to 1";
    }
    return NULL;
}

static pthread_mutex_t defaults_lock = PTHREAD_MUTEX_INITIALIZER;
static bool defaults_set;
static aw_sim_net_options defaults;

bool aw_sim_net_set_defaults(const aw_sim_net_options *o)
{
    if (aw_sim_net_options_check(o)) return false;
    pthread_mutex_lock(&defaults_lock);
    defaults = *o;
    defaults_set = true;
    pthread_mutex_unlock(&defaults_lock);
    return true;
}

void aw_sim_net_get_defaults(aw_sim_net_options *o)
{
    pthread_mutex_lock(&defaults_lock);
    if (defaults_set) *o = defaults;
    else aw_sim_net_options_init(o);
    pthread_mutex_unlock(&defaults_lock);
}

/* A number that is the whole of [s, end). */
static bool number(const char *s, size_t len, double *v)
{
    char buf[64];
    if (!len || len >= sizeof buf) return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *v = strtod(buf, &end);
    return *end == '\0' && isfinite(*v);
}

bool aw_sim_net_parse_faults(const char *text, aw_sim_net_options *o, char *err, size_t errlen)
{
    aw_sim_net_options t = *o;
    const char *p = text;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        double v;
        if (!colon || !number(colon + 1, len - (size_t)(colon + 1 - p), &v)) {
            snprintf(err, errlen, "'%.*s': expected KIND:NUMBER (e.g. reset:0.1)", (int)len, p);
            return false;
        }
        size_t klen = (size_t)(colon - p);
#define KIND(name) (klen == sizeof name - 1 && !memcmp(p, name, klen))
        if (KIND("refused")) t.refused = v;
        else if (KIND("reset")) t.reset = v;
        else if (KIND("drop")) t.drop = v;
        else if (KIND("stall")) t.stall = v;
        else if (KIND("jitter")) t.jitter = v;
        else if (KIND("jitter_s")) t.jitter_s = v;
        else if (KIND("bytes") && v >= 1 && v <= 1e15 && v == floor(v)) t.fault_bytes = (size_t)v;
        else {
            snprintf(err, errlen, "'%.*s': expected refused, reset, drop, stall (probabilities), jitter "
                     "(fraction of latency), jitter_s (seconds) or bytes (an offset bound >= 1)", (int)len, p);
            return false;
        }
#undef KIND
        const char *why = aw_sim_net_options_check(&t);
        if (why) {
            snprintf(err, errlen, "'%.*s': %s", (int)len, p, why);
            return false;
        }
        p += len + (comma ? 1 : 0);
        if (comma && !*p) {
            snprintf(err, errlen, "a trailing ','");
            return false;
        }
    }
    *o = t;
    return true;
}
