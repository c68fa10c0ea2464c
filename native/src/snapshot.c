/* libzstd is loaded with dlopen so building the addon needs no zstd headers (Debian always ships
   libzstd.so.1: dpkg depends on it). Only the stable streaming API is used. All-zero output chunks are
   skipped with lseek, so the mostly empty payload buffer of a snapshot costs no memory. */
#include "snapshot.h"

#include "ring_map.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct { const void *src; size_t size; size_t pos; } zin_t;
typedef struct { void *dst; size_t size; size_t pos; } zout_t;

struct zstd_api {
    void *(*create)(void);
    size_t (*free_)(void *);
    size_t (*init)(void *);
    size_t (*decompress)(void *, zout_t *, zin_t *);
    unsigned (*is_error)(size_t);
    const char *(*error_name)(size_t);
};

static int load_zstd(struct zstd_api *z, struct ring_error *err) {
    static void *lib;
    if (lib == NULL) lib = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        return ring_fail(err, "ERING_SNAPSHOT", "reading snapshots needs libzstd.so.1 (Debian package libzstd1): %s",
                         dlerror());
    z->create = dlsym(lib, "ZSTD_createDStream");
    z->free_ = dlsym(lib, "ZSTD_freeDStream");
    z->init = dlsym(lib, "ZSTD_initDStream");
    z->decompress = dlsym(lib, "ZSTD_decompressStream");
    z->is_error = dlsym(lib, "ZSTD_isError");
    z->error_name = dlsym(lib, "ZSTD_getErrorName");
    if (!z->create || !z->free_ || !z->init || !z->decompress || !z->is_error || !z->error_name)
        return ring_fail(err, "ERING_SNAPSHOT", "libzstd.so.1 lacks the streaming decompression API");
    return 0;
}

static int all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

int snapshot_decompress(const char *path, struct ring_error *err) {
    struct zstd_api z = {0};
    if (load_zstd(&z, err) != 0) return -1;
    int in_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
        ring_fail(err, "ERING_OPEN", "cannot open snapshot %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(in_fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 4) {
        close(in_fd);
        ring_fail(err, "ERING_SNAPSHOT", "%s: not a snapshot: expected a zstd-compressed ring image file", path);
        return -1;
    }
    uint8_t *src = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, in_fd, 0);
    close(in_fd);
    if (src == MAP_FAILED) {
        ring_fail(err, "ERING_IO", "%s: mmap failed: %s", path, strerror(errno));
        return -1;
    }
    static const uint8_t zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};
    if (memcmp(src, zstd_magic, 4) != 0) {
        munmap(src, (size_t)st.st_size);
        ring_fail(err, "ERING_SNAPSHOT", "%s: not a snapshot: expected a zstd frame (magic 28b52ffd) holding a ring image",
                  path);
        return -1;
    }
    int mfd = memfd_create("monad-ring-snapshot", MFD_CLOEXEC);
    void *ds = z.create();
    size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    if (mfd < 0 || ds == NULL || buf == NULL) {
        ring_fail(err, "ERING_IO", "%s: cannot allocate decompression state: %s", path, strerror(errno));
        goto fail;
    }
    z.init(ds);
    zin_t in = {src, (size_t)st.st_size, 0};
    uint64_t written = 0, expected = 0;
    size_t ret = 1;
    for (;;) {
        zout_t out = {buf, chunk, 0};
        ret = z.decompress(ds, &out, &in);
        if (z.is_error(ret)) {
            ring_fail(err, "ERING_SNAPSHOT", "%s: corrupt zstd data at byte %zu: %s", path, in.pos, z.error_name(ret));
            goto fail;
        }
        if (written == 0 && out.pos > 0) {
            /* Bound the output by what the image's own header describes, before writing anything. */
            const struct ring_header *h = (const void *)buf;
            if (out.pos < sizeof *h || memcmp(h->magic, RING_MAGIC, RING_MAGIC_LEN) != 0) {
                ring_fail(err, "ERING_MAGIC", "%s: the snapshot does not hold a ring image (no \"RING01\" magic)", path);
                goto fail;
            }
            if (ring_validate_sizes(&h->size, path, err) != 0) goto fail;
            expected = ring_file_size(&h->size);
            if (ftruncate(mfd, (off_t)expected) != 0) {
                ring_fail(err, "ERING_IO", "%s: cannot size the memory file to %llu bytes: %s", path,
                          (unsigned long long)expected, strerror(errno));
                goto fail;
            }
        }
        if (written + out.pos > expected) {
            ring_fail(err, "ERING_SNAPSHOT", "%s: the image is larger than the %llu bytes its header describes", path,
                      (unsigned long long)expected);
            goto fail;
        }
        if (out.pos > 0 && !all_zero(buf, out.pos)) {
            if (pwrite(mfd, buf, out.pos, (off_t)written) != (ssize_t)out.pos) {
                ring_fail(err, "ERING_IO", "%s: writing the memory file failed: %s", path, strerror(errno));
                goto fail;
            }
        }
        written += out.pos;
        if (ret == 0) break; /* frame complete */
        if (in.pos == in.size && out.pos < out.size) {
            ring_fail(err, "ERING_SNAPSHOT", "%s: the zstd frame is truncated after %llu decompressed bytes", path,
                      (unsigned long long)written);
            goto fail;
        }
    }
    if (written == 0) {
        ring_fail(err, "ERING_SNAPSHOT", "%s: the zstd frame is empty", path);
        goto fail;
    }
    z.free_(ds);
    free(buf);
    munmap(src, (size_t)st.st_size);
    return mfd;
fail:
    if (ds) z.free_(ds);
    free(buf);
    if (mfd >= 0) close(mfd);
    munmap(src, (size_t)st.st_size);
    return -1;
}
