#include "ring_path.h"

#include <errno.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define HUGE_2MB (2UL * 1024 * 1024)

int ring_hugetlbfs_mount(char *out, size_t out_len) {
    FILE *f = setmntent("/proc/mounts", "r");
    if (f == NULL) return -1;
    struct mntent *e;
    int found = -1;
    while ((e = getmntent(f)) != NULL) {
        if (strcmp(e->mnt_type, "hugetlbfs") != 0) continue;
        struct statfs sfs;
        if (statfs(e->mnt_dir, &sfs) != 0 || (unsigned long)sfs.f_bsize != HUGE_2MB) continue;
        if (access(e->mnt_dir, R_OK | W_OK | X_OK) != 0) continue;
        snprintf(out, out_len, "%s", e->mnt_dir);
        found = 0;
        break;
    }
    endmntent(f);
    return found;
}

int ring_resolve_path(const char *name, bool create_dir, char *out, size_t out_len, struct ring_error *err) {
    if (name[0] == 0) return ring_fail(err, "ERING_OPEN", "empty ring name: give a ring name or a path");
    if (strchr(name, '/') != NULL) {
        snprintf(out, out_len, "%s", name);
        return 0;
    }
    char mount[4096];
    if (ring_hugetlbfs_mount(mount, sizeof mount) != 0)
        return ring_fail(err, "ERING_OPEN",
                         "ring name \"%s\" needs a hugetlbfs mount with 2 MiB pages, and /proc/mounts has none we can "
                         "use (mount one: mount -t hugetlbfs -o pagesize=2M none /dev/hugepages), or give a path "
                         "containing '/'",
                         name);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/event-rings", mount);
    if (create_dir && mkdir(dir, 0775) != 0 && errno != EEXIST)
        return ring_fail(err, "ERING_IO", "cannot create %s: %s", dir, strerror(errno));
    snprintf(out, out_len, "%s/%s", dir, name);
    return 0;
}

int ring_writer_pid(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    FILE *f = fopen("/proc/locks", "r");
    if (f == NULL) return 0;
    char line[512];
    int pid = 0;
    /* Lines look like "1: FLOCK  ADVISORY  WRITE 4242 00:2f:1234 0 EOF"; "->" lines are waiters. */
    while (fgets(line, sizeof line, f) != NULL) {
        char kind[16], mode[16], rw[16];
        unsigned maj, min;
        unsigned long long ino;
        int p;
        if (strstr(line, "->") != NULL) continue;
        if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%llu", kind, mode, rw, &p, &maj, &min, &ino) != 7) continue;
        if (strcmp(kind, "FLOCK") != 0 || strcmp(rw, "WRITE") != 0) continue;
        if (ino == (unsigned long long)st.st_ino && maj == major(st.st_dev) && min == minor(st.st_dev)) {
            pid = p;
            break;
        }
    }
    fclose(f);
    return pid;
}

bool ring_pid_alive(int pid) {
    if (pid <= 0) return false;
    return kill(pid, 0) == 0 || errno == EPERM;
}
