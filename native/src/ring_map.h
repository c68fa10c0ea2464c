/* Mapping a ring file (or a decompressed snapshot) and validating its header. */
#ifndef MONAD_GW_RING_MAP_H
#define MONAD_GW_RING_MAP_H

#include "ring_format.h"
#include <stdbool.h>

struct ring_map {
    int fd;
    bool writable;
    bool is_snapshot;
    char path[4096];
    uint64_t file_size;
    struct ring_header *header;          /* the 2 MiB header section */
    struct ring_descriptor *descriptors; /* capacity entries */
    uint8_t *payload;                    /* payload_buf_size bytes, mapped twice back to back */
    uint64_t desc_mask;
    uint64_t payload_mask;
};

struct ring_expect {
    uint16_t content_type;
    uint8_t schema_hash[32];
};

/* Validates the header read from fd (the file is `path`, of `file_size` bytes) and maps it. On success
   the map owns fd. `writable` maps shared read-write (the writer); otherwise read-only. */
int ring_map_fd(struct ring_map *map, int fd, const char *path, bool writable, bool is_snapshot,
                const struct ring_expect *expect, struct ring_error *err);
void ring_unmap(struct ring_map *map);
int ring_validate_sizes(const struct ring_size *size, const char *path, struct ring_error *err);
void ring_hex(const uint8_t *bytes, size_t n, char *out);

#endif
