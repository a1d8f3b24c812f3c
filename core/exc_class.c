/* exc_class.c — exception classes: CPython's built-in hierarchy, the classes a program defines,
 * and classes known only by name.
 *
 * A class is a name and its bases (awaitlab.h).  The built-ins come from the one list in
 * awaitlab.h (AW_BUILTIN_EXCEPTIONS), so the hierarchy is written once.  Names map to classes so
 * that the string API of earlier versions (aw_raise("ValueError", ...), the fuzzer's scenarios)
 * means the same classes: first the built-ins, then the classes defined with AW_EXCEPTION_CLASS
 * (registered by a constructor, before main), then classes made for unknown names.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define AW__DEFINE_BUILTIN(name, ...)                                                          \
    const aw_exc_class AW_##name[1] = {{#name, (const aw_exc_class *const[]){__VA_ARGS__, NULL}}};
AW_BUILTIN_EXCEPTIONS(AW__DEFINE_BUILTIN)

#define AW__LIST_BUILTIN(name, ...) AW_##name,
static const aw_exc_class *const builtins[] = {AW_BUILTIN_EXCEPTIONS(AW__LIST_BUILTIN)};

/* Defined classes (written before main by the constructors) and classes made for unknown names
 * (written whenever a loop in any thread first meets the name): one list, appended under a
 * spin lock, never shrunk, so a class pointer stays valid for the process. */
typedef struct named_class {
    aw_exc_class cls;
    const aw_exc_class *defined;   /* a registered class, or NULL: cls is a made one */
    struct named_class *next;
} named_class;

static named_class *_Atomic registry;
static atomic_flag registry_lock = ATOMIC_FLAG_INIT;
static const aw_exc_class *const under_exception[] = {AW_Exception, NULL};

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&registry_lock, memory_order_acquire)) {
    }
}
static void unlock(void) { atomic_flag_clear_explicit(&registry_lock, memory_order_release); }

static const aw_exc_class *class_of(const named_class *n) { return n->defined ? n->defined : &n->cls; }

/* The registered or made class of that name, or NULL.  A defined class wins over a class made
 * for its name earlier (a lookup before the constructors ran cannot happen in practice). */
static const aw_exc_class *registry_find(const char *name)
{
    const aw_exc_class *made = NULL;
    for (named_class *n = atomic_load_explicit(&registry, memory_order_acquire); n; n = n->next) {
        if (strcmp(class_of(n)->name, name)) continue;
        if (n->defined) return n->defined;
        made = &n->cls;
    }
    return made;
}

static void registry_push(named_class *n)
{
    n->next = atomic_load_explicit(&registry, memory_order_relaxed);
    atomic_store_explicit(&registry, n, memory_order_release);
}

void aw__exc_class_register(const aw_exc_class *cls)
{
    named_class *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->defined = cls;
    lock();
    registry_push(n);
    unlock();
}

const aw_exc_class *aw_exc_class_named(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (!strcmp(builtins[i]->name, name)) return builtins[i];
    const aw_exc_class *found = registry_find(name);
    if (found) return found;
    lock();
    found = registry_find(name); /* another thread may have made it meanwhile */
    if (!found) {
        named_class *n = calloc(1, sizeof *n);
        char *copy = strdup(name);
        if (!n || !copy) abort();
        n->cls.name = copy;
        n->cls.bases = under_exception;
        registry_push(n);
        found = &n->cls;
    }
    unlock();
    return found;
}

bool aw_exc_class_is_subclass(const aw_exc_class *cls, const aw_exc_class *base)
{
    if (!cls || !base) return false;
    if (cls == base) return true;
    for (const aw_exc_class *const *b = cls->bases; b && *b; b++)
        if (aw_exc_class_is_subclass(*b, base)) return true;
    return false;
}
