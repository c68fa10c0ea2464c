/* Snapshot files: a zstd-compressed ring image, decompressed into an anonymous memory file. */
#ifndef MONAD_GW_SNAPSHOT_H
#define MONAD_GW_SNAPSHOT_H

#include "ring_format.h"

/* Returns a memfd holding the decompressed ring image, zero-padded to the size its header describes. */
int snapshot_decompress(const char *path, struct ring_error *err);

#endif
