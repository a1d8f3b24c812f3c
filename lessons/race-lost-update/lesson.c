/* race-lost-update — the C port of example.py, line by line (py:N tags its line N).
 * Two deposits each read the balance, await, then write what they read plus their amount.  On the
 * default schedule Bob arrives after Alice has written, and the balance ends at 180.  The lesson
 * declares timer jitter (AW_LESSON_VARIES, .timer = 0.1): with a seed, each wait of the loop for a
 * timer may end up to 0.1 s late, as on a loaded machine; when Alice's lookup is woken late
 * enough, Bob reads before Alice writes, and her deposit is lost (final balance 130).  `awaitlab
 * explore race-lost-update --runs 200` finds both outcomes; race-lost-update-fixed takes a Lock. */
#include "awaitlab.h"
#include "lessons.h"

static long balance = 100;                                    /* py:3 */

AW_COROUTINE(deposit, const char *name; long amount; double arrive;) { /* py:5 */
    /* global balance */
    AW_AWAIT(aw_sleep(self->arrive)); /* the customer arrives */ /* py:7 */
    long current = balance; /* read */                        /* py:8 */
    aw_print("%s reads the balance: %ld", self->name, current); /* py:9 */
    AW_AWAIT(aw_sleep(0.1)); /* the bank's ledger takes a while to answer */ /* py:10 */
    balance = current + self->amount; /* write */             /* py:11 */
    aw_print("%s writes the balance: %ld", self->name, balance); /* py:12 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:14 */
    balance = 100; /* the module's line 3, again for each run in one process */
    AW_AWAIT(AW_GATHER(AW_CALL(deposit, "Alice", 50, 0.05), AW_CALL(deposit, "Bob", 30, 0.2))); /* py:15 */
    aw_print("final balance: %ld (expected 180)", balance);   /* py:16 */
    return aw_none();
}

AW_LESSON_VARIES(race_lost_update,                            /* py:18 */
                 "a lost update: read, await, write; some seeds (timer jitter) lose a deposit", /* py:18 */
                 0, main, .timer = 0.1);                      /* py:18 */
