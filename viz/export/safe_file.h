/* safe_file.h — write an output file so that a failure never leaves a half-written one, and an
 * existing file is replaced only by a complete new one: the bytes go to a temporary file in the
 * same directory, which is renamed over the target when everything was written.  A target that
 * exists and is not a regular file (a device such as /dev/stdout, a pipe) is written directly:
 * renaming over it would replace the device itself.
 *
 * Permissions and links: the new file keeps the mode of the file it replaces (a 0600 file stays
 * 0600); a file that did not exist gets 0666 minus the umask, as any file the user creates.  A
 * symlink is followed: its target is replaced, the link stays a link. */
#ifndef AW_SAFE_FILE_H
#define AW_SAFE_FILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct aw_safe_file {
    FILE *f;              /* write here */
    char *path, *tmp;     /* tmp: NULL when writing the target directly */
} aw_safe_file;

/* Opens for writing; false (errno set) if it cannot. */
bool aw_safe_open(aw_safe_file *sf, const char *path);
/* Closes and puts the file in place; false (errno set, nothing replaced) if any write failed. */
bool aw_safe_commit(aw_safe_file *sf);
/* Gives up: the temporary file is removed, the target is untouched. */
void aw_safe_abort(aw_safe_file *sf);

#endif
