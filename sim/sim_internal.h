/* sim_internal.h — what sim's files share and do not publish. */
#ifndef AW_SIM_INTERNAL_H
#define AW_SIM_INTERNAL_H

#include "../core/aw_backend.h"

/* The simulated clock (backend_sim.c); env.c hands it to core as aw_backend_sim_factory. */
aw_backend *aw__sim_backend_new(int64_t wall_start_ns, uint64_t seed);

#endif /* AW_SIM_INTERNAL_H */
