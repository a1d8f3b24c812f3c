/* safe_file.c — see safe_file.h. */
#include "safe_file.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(aw_safe_file *sf)
{
    free(sf->path);
    free(sf->tmp);
    sf->path = sf->tmp = NULL;
    sf->f = NULL;
}

/* The file that writing to `path` means: a symlink's target (followed to the end, even when the
 * target does not exist yet), else `path` itself.  Renaming over the link would replace the
 * link with a regular file, which is not what the user who made the link asked for. */
static char *resolve_target(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat lb;
        if (lstat(cur, &lb) != 0 || !S_ISLNK(lb.st_mode)) return cur;
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) return cur;
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = strdup(link);
        } else { /* relative to the link's directory */
            const char *slash = strrchr(cur, '/');
            size_t dir = slash ? (size_t)(slash - cur) + 1 : 0;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        free(cur);
        cur = next;
    }
    if (cur) errno = ELOOP;
    free(cur);
    return NULL;
}

/* The mode a new file gets from open(..., 0666): what the umask allows. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

bool aw_safe_open(aw_safe_file *sf, const char *path)
{
    memset(sf, 0, sizeof *sf);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        sf->f = fopen(path, "wb");
        return sf->f != NULL;
    }
    sf->path = resolve_target(path);
    if (!sf->path) {
        int e = errno ? errno : ENOMEM;
        release(sf);
        errno = e;
        return false;
    }
    /* An existing file keeps its permissions (a private trace stays private); a new one follows
     * the umask, as any file the user creates. */
    mode_t mode = stat(sf->path, &sb) == 0 ? sb.st_mode & 07777 : new_file_mode();
    size_t n = strlen(sf->path) + sizeof ".tmp-XXXXXX";
    sf->tmp = malloc(n);
    if (!sf->tmp) {
        release(sf);
        errno = ENOMEM;
        return false;
    }
    snprintf(sf->tmp, n, "%s.tmp-XXXXXX", sf->path);
    int fd = mkstemp(sf->tmp); /* 0600 while it is written */
    if (fd < 0) {
        int e = errno;
        release(sf);
        errno = e;
        return false;
    }
    if (fchmod(fd, mode) != 0 || !(sf->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(sf->tmp);
        release(sf);
        errno = e;
        return false;
    }
    return true;
}

bool aw_safe_commit(aw_safe_file *sf)
{
    bool ok = !ferror(sf->f);
    int e = ok ? 0 : (errno ? errno : EIO);
    if (fclose(sf->f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (sf->tmp) {
        if (ok && rename(sf->tmp, sf->path) != 0) {
            ok = false;
            e = errno;
        }
        if (!ok) unlink(sf->tmp);
    }
    release(sf);
    errno = e;
    return ok;
}

void aw_safe_abort(aw_safe_file *sf)
{
    if (sf->f) fclose(sf->f);
    if (sf->tmp) unlink(sf->tmp);
    release(sf);
}
