/* awaitlab_sim.h — the simulator library (libawaitlab-sim, pkg-config awaitlab-sim): the
 * simulated clock, the trace recorder (recorder.h) and the AWAITLAB_* environment.
 *
 * A program linked with `pkg-config --libs awaitlab-sim` needs no call: the link line names
 * aw_sim_install undefined, which pulls in sim/env.c, whose constructor calls it before main()
 * (AWAITLAB_CLOCK=sim, AWAITLAB_SEED, AWAITLAB_TRACE then work in any program).  A program
 * linked some other way (its own link line, a linker that drops unreferenced archive members)
 * calls aw_sim_install() itself, before its first loop. */
#ifndef AW_AWAITLAB_SIM_H
#define AW_AWAITLAB_SIM_H

#include "awaitlab.h"
#include "recorder.h"

/* Makes AW_CLOCK_SIM available to core and applies the AWAITLAB_* variables to every
 * aw_loop_options_init().  Idempotent. */
void aw_sim_install(void);

#endif /* AW_AWAITLAB_SIM_H */
