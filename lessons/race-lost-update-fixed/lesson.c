/* race-lost-update-fixed — the C port of example.py, line by line (py:N tags its line N).
 * race-lost-update with an asyncio.Lock held from the read to the write: whatever the timing, a
 * deposit reads only after the other has written, so every seed ends at 180.  The same timer
 * jitter as race-lost-update (.timer = 0.1); on the seeds where Alice is late, Bob waits in
 * lock.acquire() instead of reading a stale balance. */
#include "awaitlab.h"
#include "lessons.h"

static long balance = 100;                                    /* py:3 */

AW_COROUTINE(deposit, const char *name; long amount; double arrive; aw_lock *lock;) { /* py:5 */
    /* global balance */
    AW_AWAIT(aw_sleep(self->arrive)); /* the customer arrives */ /* py:7 */
    AW_ASYNC_WITH(self->lock) { /* one deposit at a time, from the read to the write */ /* py:8 */
        long current = balance; /* read */                    /* py:9 */
        aw_print("%s reads the balance: %ld", self->name, current); /* py:10 */
        AW_AWAIT(aw_sleep(0.1)); /* the bank's ledger takes a while to answer */ /* py:11 */
        balance = current + self->amount; /* write */         /* py:12 */
        aw_print("%s writes the balance: %ld", self->name, balance); /* py:13 */
    }
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:15 */
    balance = 100; /* the module's line 3, again for each run in one process */
    aw_lock *lock = aw_lock_new();                            /* py:16 */
    AW_AWAIT(AW_GATHER(AW_CALL(deposit, "Alice", 50, 0.05, lock), AW_CALL(deposit, "Bob", 30, 0.2, lock))); /* py:17 */
    aw_print("final balance: %ld (expected 180)", balance);   /* py:18 */
    return aw_none();
}

AW_LESSON_VARIES(race_lost_update_fixed,                      /* py:20 */
                 "the lost update fixed: an asyncio.Lock from the read to the write; every seed ends at 180", /* py:20 */
                 0, main, .timer = 0.1);                      /* py:20 */
