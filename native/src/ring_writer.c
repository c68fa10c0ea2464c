/* Creating a ring and recording into it with the Monad recorder protocol (see event_ring.md):
   allocate a seqno and payload bytes, invalidate the slot, move the buffer window BEFORE overwriting
   payload bytes, fill, then publish with a release store of the seqno. */
#include "ring_writer.h"

#include "ring_path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int remove_dead_writer_file(const char *path, struct ring_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 0;
        return ring_fail(err, "ERING_IO", "%s: cannot open the existing file: %s", path, strerror(errno));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK) {
            int pid = ring_writer_pid(path);
            return ring_fail(err, "ERING_EXISTS", "%s: a live writer (pid %d) holds this ring; refusing to replace it",
                             path, pid);
        }
        return ring_fail(err, "ERING_IO", "%s: flock failed: %s", path, strerror(e));
    }
    /* Nobody holds it: a zombie left by a writer that died. */
    int rc = unlink(path);
    close(fd);
    if (rc != 0 && errno != ENOENT)
        return ring_fail(err, "ERING_IO", "%s: cannot remove the dead writer's ring: %s", path, strerror(errno));
    return 0;
}

int ring_writer_create(struct ring_map *map, const char *path, const struct ring_create_options *opt,
                       struct ring_error *err) {
    struct ring_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, RING_MAGIC, RING_MAGIC_LEN);
    h.content_type = opt->content_type;
    memcpy(h.schema_hash, opt->schema_hash, 32);
    h.size.descriptor_capacity = 1ULL << opt->descriptors_shift;
    h.size.payload_buf_size = 1ULL << opt->payload_buf_shift;
    h.size.context_area_size = 0;
    if (opt->descriptors_shift < RING_DESCRIPTORS_SHIFT_MIN || opt->descriptors_shift > RING_DESCRIPTORS_SHIFT_MAX ||
        opt->payload_buf_shift < RING_PAYLOAD_SHIFT_MIN || opt->payload_buf_shift > RING_PAYLOAD_SHIFT_MAX)
        return ring_fail(err, "ERING_SIZES",
                         "%s: descriptors shift %u and payload shift %u are out of range; valid: descriptors %d..%d, "
                         "payload %d..%d",
                         path, opt->descriptors_shift, opt->payload_buf_shift, RING_DESCRIPTORS_SHIFT_MIN,
                         RING_DESCRIPTORS_SHIFT_MAX, RING_PAYLOAD_SHIFT_MIN, RING_PAYLOAD_SHIFT_MAX);
    if (remove_dead_writer_file(path, err) != 0) return -1;

    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0664);
    if (fd < 0) return ring_fail(err, "ERING_IO", "%s: cannot create %s: %s", path, tmp, strerror(errno));
    uint64_t total = ring_file_size(&h.size);
    int rc;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        rc = ring_fail(err, "ERING_IO", "%s: flock of %s failed: %s", path, tmp, strerror(errno));
        goto fail;
    }
    if ((rc = posix_fallocate(fd, 0, (off_t)total)) != 0) {
        rc = ring_fail(err, "ERING_IO", "%s: cannot allocate %llu bytes: %s", path, (unsigned long long)total,
                       strerror(rc));
        goto fail;
    }
    /* A freshly allocated file reads as zeros, so every descriptor seqno starts at 0. The header goes
       in through a mapping: hugetlbfs files support mmap but not write(). */
    void *hdr = mmap(NULL, RING_HEADER_SECTION, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (hdr == MAP_FAILED) {
        rc = ring_fail(err, "ERING_IO", "%s: mapping the header to write it failed: %s", path, strerror(errno));
        goto fail;
    }
    memcpy(hdr, &h, sizeof h);
    munmap(hdr, RING_HEADER_SECTION);
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
        int e = errno;
        /* Filesystems without RENAME_NOREPLACE: link() also refuses to replace. */
        if ((e == EINVAL || e == ENOSYS) && link(tmp, path) == 0) {
            unlink(tmp);
        } else {
            rc = ring_fail(err, e == EEXIST ? "ERING_EXISTS" : "ERING_IO",
                           "%s: cannot publish the new ring: %s (another writer created it meanwhile?)", path,
                           strerror(e == EINVAL || e == ENOSYS ? errno : e));
            goto fail;
        }
    }
    struct ring_expect expect = {.content_type = opt->content_type};
    memcpy(expect.schema_hash, opt->schema_hash, 32);
    if (ring_map_fd(map, fd, path, true, false, &expect, err) != 0) {
        unlink(path);
        close(fd);
        return -1;
    }
    return 0;
fail:
    unlink(tmp);
    close(fd);
    return -1;
}

static uint64_t now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Reserve, fill and commit one event. `payload` is `size` bytes; `prefix` (may be NULL) is written first. */
static uint64_t record_one(struct ring_map *m, uint16_t type, const uint64_t ext[4], uint64_t epoch,
                           const uint8_t *prefix, uint32_t prefix_len, const uint8_t *payload, uint32_t size) {
    struct ring_control *ctl = &m->header->control;
    uint64_t buf_size = m->payload_mask + 1;
    uint32_t total = prefix_len + size;
    uint64_t alloc = ring_round_up(total, RING_PAYLOAD_ALIGN);
    uint64_t last = atomic_fetch_add_explicit(&ctl->last_seqno, 1, memory_order_relaxed);
    uint64_t begin = atomic_fetch_add_explicit(&ctl->next_payload_byte, alloc, memory_order_relaxed);
    if (epoch == 0) epoch = now_nanos();

    struct ring_descriptor *d = &m->descriptors[last & m->desc_mask];
    atomic_store_explicit(&d->seqno, 0, memory_order_release);
    atomic_thread_fence(memory_order_release);

    uint64_t end = begin + alloc;
    uint64_t window = atomic_load_explicit(&ctl->buffer_window_start, memory_order_relaxed);
    while (end - window > buf_size - RING_WINDOW_INCR) {
        uint64_t moved = ring_round_up(end, RING_WINDOW_INCR) - (buf_size - RING_WINDOW_INCR);
        if (atomic_compare_exchange_weak_explicit(&ctl->buffer_window_start, &window, moved, memory_order_acq_rel,
                                                  memory_order_relaxed))
            break;
    }
    atomic_thread_fence(memory_order_seq_cst);

    d->event_type = type;
    d->unused = 0;
    d->payload_size = total;
    d->record_epoch_nanos = epoch;
    d->payload_buf_offset = begin;
    memcpy(d->content_ext, ext, sizeof d->content_ext);
    uint8_t *dst = m->payload + (begin & m->payload_mask);
    if (prefix_len) memcpy(dst, prefix, prefix_len);
    memcpy(dst + prefix_len, payload, size);
    memset(dst + total, 0, alloc - total);
    atomic_store_explicit(&d->seqno, last + 1, memory_order_release);
    return last + 1;
}

int ring_writer_record(struct ring_map *m, const uint8_t *batch, uint64_t batch_len, uint32_t count,
                       uint64_t *last_seqno, struct ring_error *err) {
    uint64_t buf_size = m->payload_mask + 1;
    uint64_t pos = 0;
    /* Check the whole batch first so a malformed one records nothing. */
    for (uint32_t i = 0; i < count; i++) {
        if (pos + 64 > batch_len)
            return ring_fail(err, "ERING_BATCH", "record %u of %u starts at byte %llu, past the batch's %llu bytes", i,
                             count, (unsigned long long)pos, (unsigned long long)batch_len);
        uint32_t size;
        memcpy(&size, batch + pos + 12, 4);
        uint64_t rec = 64 + (((uint64_t)size + 7) & ~7ULL);
        if (pos + rec > batch_len)
            return ring_fail(err, "ERING_BATCH", "record %u of %u (payload %u bytes) overruns the batch's %llu bytes",
                             i, count, size, (unsigned long long)batch_len);
        pos += rec;
    }
    pos = 0;
    uint64_t seq = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *r = batch + pos;
        uint16_t type;
        uint32_t size;
        uint64_t epoch, ext[4];
        memcpy(&type, r + 8, 2);
        memcpy(&size, r + 12, 4);
        memcpy(&epoch, r + 16, 8);
        memcpy(ext, r + 32, 32);
        if ((uint64_t)size >= buf_size - 2 * RING_WINDOW_INCR) {
            /* Like the Monad recorder: a payload that could outrun the window becomes a RECORD_ERROR
               carrying the first 8 KiB of what was dropped. */
            uint8_t hdr[16] = {0};
            uint16_t etype = RING_RECORD_ERROR_OVERFLOW_EXPIRE;
            uint32_t trunc = RING_RECORD_ERROR_TRUNCATED_SIZE - 16;
            uint64_t requested = size;
            memcpy(hdr, &etype, 2);
            memcpy(hdr + 2, &type, 2);
            memcpy(hdr + 4, &trunc, 4);
            memcpy(hdr + 8, &requested, 8);
            seq = record_one(m, RING_RECORD_ERROR_TYPE, ext, epoch, hdr, 16, r + 64, trunc);
        } else {
            seq = record_one(m, type, ext, epoch, NULL, 0, r + 64, size);
        }
        pos += 64 + (((uint64_t)size + 7) & ~7ULL);
    }
    *last_seqno = seq;
    return 0;
}
