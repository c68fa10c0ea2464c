/* Validating and mapping a ring. The payload buffer is mapped twice, back to back, so a payload that
   wraps past the end of the buffer is still contiguous in memory (the same trick as the Monad SDK). */
#include "ring_map.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int ring_fail(struct ring_error *err, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void ring_hex(const uint8_t *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = 0;
}

static int is_pow2(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

int ring_validate_sizes(const struct ring_size *s, const char *path, struct ring_error *err) {
    uint64_t cap = s->descriptor_capacity, pay = s->payload_buf_size;
    if (!is_pow2(cap) || cap < (1ULL << RING_DESCRIPTORS_SHIFT_MIN) || cap > (1ULL << RING_DESCRIPTORS_SHIFT_MAX))
        return ring_fail(err, "ERING_SIZES",
                         "%s: descriptor capacity is %llu; expected a power of two from 2^%d to 2^%d", path,
                         (unsigned long long)cap, RING_DESCRIPTORS_SHIFT_MIN, RING_DESCRIPTORS_SHIFT_MAX);
    if (!is_pow2(pay) || pay < (1ULL << RING_PAYLOAD_SHIFT_MIN) || pay > (1ULL << RING_PAYLOAD_SHIFT_MAX))
        return ring_fail(err, "ERING_SIZES",
                         "%s: payload buffer size is %llu bytes; expected a power of two from 2^%d to 2^%d", path,
                         (unsigned long long)pay, RING_PAYLOAD_SHIFT_MIN, RING_PAYLOAD_SHIFT_MAX);
    if (s->context_area_size % RING_HEADER_SECTION != 0)
        return ring_fail(err, "ERING_SIZES", "%s: context area size %llu is not a multiple of 2 MiB", path,
                         (unsigned long long)s->context_area_size);
    return 0;
}

static const char OLD_SCHEMA_V010[] = "ddc58d9afcabb6ae55d525d281ef9fd2f9b4dbceb27ac118067cdafd70e9016b";

static int validate_header(const struct ring_header *h, uint64_t file_size, const char *path,
                           const struct ring_expect *expect, struct ring_error *err) {
    if (memcmp(h->magic, RING_MAGIC, RING_MAGIC_LEN) != 0) {
        char found[2 * RING_MAGIC_LEN + 1];
        ring_hex((const uint8_t *)h->magic, RING_MAGIC_LEN, found);
        int zstd = memcmp(h->magic, "\x28\xb5\x2f\xfd", 4) == 0;
        return ring_fail(err, "ERING_MAGIC",
                         "%s: not a Monad event ring: the file starts with bytes %s, expected the magic \"RING01\"%s",
                         path, found, zstd ? " (it is zstd-compressed: open it as a snapshot)" : "");
    }
    if (h->content_type != expect->content_type) {
        static const char *names[] = {"NONE", "TEST", "EXEC"};
        const char *name = h->content_type < 3 ? names[h->content_type] : "unknown";
        return ring_fail(err, "ERING_CONTENT_TYPE", "%s: ring content type is %u (%s), expected %u (EXEC)", path,
                         h->content_type, name, expect->content_type);
    }
    if (memcmp(h->schema_hash, expect->schema_hash, 32) != 0) {
        char found[65], wanted[65];
        ring_hex(h->schema_hash, 32, found);
        ring_hex(expect->schema_hash, 32, wanted);
        return ring_fail(err, "ERING_SCHEMA",
                         "%s: event schema hash is %s, expected %s: the ring comes from another Monad version%s, "
                         "whose event layouts this gateway does not read",
                         path, found, wanted,
                         strcmp(found, OLD_SCHEMA_V010) == 0 ? " (the v0.10.x execution event schema)" : "");
    }
    if (ring_validate_sizes(&h->size, path, err) != 0) return -1;
    uint64_t need = ring_file_size(&h->size);
    if (file_size < need)
        return ring_fail(err, "ERING_TRUNCATED",
                         "%s: file is %llu bytes but its header describes %llu (2 MiB header + %llu descriptors x 64 + "
                         "%llu payload bytes + %llu context bytes)",
                         path, (unsigned long long)file_size, (unsigned long long)need,
                         (unsigned long long)h->size.descriptor_capacity, (unsigned long long)h->size.payload_buf_size,
                         (unsigned long long)h->size.context_area_size);
    return 0;
}

int ring_map_fd(struct ring_map *map, int fd, const char *path, bool writable, bool is_snapshot,
                const struct ring_expect *expect, struct ring_error *err) {
    memset(map, 0, sizeof *map);
    map->fd = -1;
    snprintf(map->path, sizeof map->path, "%s", path);
    struct stat st;
    if (fstat(fd, &st) != 0) return ring_fail(err, "ERING_IO", "%s: fstat failed: %s", path, strerror(errno));
    uint64_t file_size = (uint64_t)st.st_size;
    struct ring_header h;
    if (file_size < sizeof h)
        return ring_fail(err, "ERING_TOO_SMALL",
                         "%s: file is %llu bytes, too small for a ring (the header alone is %zu bytes, the smallest "
                         "ring %llu bytes)",
                         path, (unsigned long long)file_size, sizeof h,
                         (unsigned long long)(RING_HEADER_SECTION + (64ULL << RING_DESCRIPTORS_SHIFT_MIN) +
                                              (1ULL << RING_PAYLOAD_SHIFT_MIN)));
    if (pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
        return ring_fail(err, "ERING_IO", "%s: reading the header failed: %s", path, strerror(errno));
    if (validate_header(&h, file_size, path, expect, err) != 0) return -1;

    int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
    int flags = MAP_SHARED | MAP_POPULATE;
    uint64_t desc_bytes = h.size.descriptor_capacity * sizeof(struct ring_descriptor);
    uint64_t pay = h.size.payload_buf_size;

    void *hdr = mmap(NULL, RING_HEADER_SECTION, prot, flags, fd, 0);
    if (hdr == MAP_FAILED) return ring_fail(err, "ERING_IO", "%s: mmap of the header failed: %s", path, strerror(errno));
    void *desc = mmap(NULL, desc_bytes, prot, flags, fd, (off_t)RING_HEADER_SECTION);
    if (desc == MAP_FAILED) {
        munmap(hdr, RING_HEADER_SECTION);
        return ring_fail(err, "ERING_IO", "%s: mmap of the descriptor array failed: %s", path, strerror(errno));
    }
    uint8_t *reserve = mmap(NULL, 2 * pay, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    off_t pay_off = (off_t)(RING_HEADER_SECTION + desc_bytes);
    if (reserve == MAP_FAILED ||
        mmap(reserve, pay, prot, flags | MAP_FIXED, fd, pay_off) == MAP_FAILED ||
        mmap(reserve + pay, pay, prot, MAP_SHARED | MAP_FIXED, fd, pay_off) == MAP_FAILED) {
        int e = errno;
        if (reserve != MAP_FAILED) munmap(reserve, 2 * pay);
        munmap(desc, desc_bytes);
        munmap(hdr, RING_HEADER_SECTION);
        return ring_fail(err, "ERING_IO", "%s: mmap of the payload buffer failed: %s", path, strerror(e));
    }
    map->fd = fd;
    map->writable = writable;
    map->is_snapshot = is_snapshot;
    map->file_size = file_size;
    map->header = hdr;
    map->descriptors = desc;
    map->payload = reserve;
    map->desc_mask = h.size.descriptor_capacity - 1;
    map->payload_mask = pay - 1;
    return 0;
}

void ring_unmap(struct ring_map *map) {
    if (map->header == NULL) return;
    uint64_t pay = map->payload_mask + 1;
    munmap(map->payload, 2 * pay);
    munmap(map->descriptors, (map->desc_mask + 1) * sizeof(struct ring_descriptor));
    munmap(map->header, RING_HEADER_SECTION);
    map->header = NULL;
    if (map->fd >= 0) close(map->fd);
    map->fd = -1;
}
