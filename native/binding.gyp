{
  "targets": [
    {
      "target_name": "monad_ring",
      "sources": [
        "src/addon.c",
        "src/addon_wait.c",
        "src/addon_slab.c",
        "src/slab_memory.c",
        "src/ring_map.c",
        "src/ring_reader.c",
        "src/ring_wait.c",
        "src/ring_writer.c",
        "src/ring_path.c",
        "src/snapshot.c"
      ],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-ldl"],
      "defines": ["_GNU_SOURCE", "NAPI_VERSION=8"]
    }
  ]
}
