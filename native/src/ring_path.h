/* Where rings live (hugetlbfs discovery, name resolution) and who writes them (flock holder). */
#ifndef MONAD_GW_RING_PATH_H
#define MONAD_GW_RING_PATH_H

#include "ring_format.h"
#include <stdbool.h>
#include <stddef.h>

/* First hugetlbfs mount with 2 MiB pages that we may read, write and search; returns 0 when found. */
int ring_hugetlbfs_mount(char *out, size_t out_len);
/* A name without '/' resolves to <hugetlbfs mount>/event-rings/<name>; a path is used as is. With
   create_dir, the event-rings directory is created (mode 0775) when missing. */
int ring_resolve_path(const char *name_or_path, bool create_dir, char *out, size_t out_len, struct ring_error *err);
/* Pid holding an exclusive flock on the file, or 0. */
int ring_writer_pid(const char *path);
bool ring_pid_alive(int pid);

#endif
