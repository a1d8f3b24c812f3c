/* file_window.h — one window of a file, made ready to be written through memory: the file's
 * bytes [base, base + AW_FILE_MAP_WINDOW) preallocated, mapped shared and resident.  The pieces
 * of sim/file_map.h's growth, called from the recording thread or from its helper
 * (sim/window_ahead.h): they touch nothing but the file and the address space.
 */
#ifndef AW_FILE_WINDOW_H
#define AW_FILE_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* Bytes mapped (and preallocated ahead) at a time: a multiple of the 2 MiB huge page. */
#define AW_FILE_MAP_WINDOW ((size_t)4 << 20)

/* Preallocates the window at `base` of fd (fallocate: a full disk is an error here, never a
 * SIGBUS later), maps it 2 MiB-aligned with MADV_HUGEPAGE and makes it resident
 * (MADV_POPULATE_WRITE).  0 and *window, or an errno (nothing mapped then). */
int aw_file_window_map(int fd, uint64_t base, char **window);

/* Unmaps a window of aw_file_window_map (NULL: nothing). */
void aw_file_window_unmap(char *window);

/* Gives the page cache of the file's full, unmapped windows back to the kernel: starts writing
 * back the window at `base` and drops the pages of an earlier one, written back by now.
 * Why: the next windows' pages are then these pages again, warm, where fresh ones cost the
 * kernel 10-20 us a page to make resident on a shadow-paging guest (issue 15: 200-350 ns an
 * event in the kernel for fresh pages, 15-30 for recycled ones); and a long trace's page cache
 * stays a few windows, not the whole file.  The file's bytes do not change: what is dropped is
 * on disk first. */
void aw_file_window_recycle(int fd, uint64_t base);

#endif
