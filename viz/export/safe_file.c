/* safe_file.c — see safe_file.h. */
#include "safe_file.h"

#include <errno.h>
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

bool aw_safe_open(aw_safe_file *sf, const char *path)
{
    memset(sf, 0, sizeof *sf);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        sf->f = fopen(path, "wb");
        return sf->f != NULL;
    }
    sf->path = strdup(path);
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    sf->tmp = malloc(n);
    if (!sf->path || !sf->tmp) {
        release(sf);
        errno = ENOMEM;
        return false;
    }
    snprintf(sf->tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(sf->tmp);
    if (fd < 0) {
        int e = errno;
        release(sf);
        errno = e;
        return false;
    }
    fchmod(fd, 0644 & ~(mode_t)0); /* mkstemp makes 0600; an output file is for others too */
    sf->f = fdopen(fd, "wb");
    if (!sf->f) {
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
