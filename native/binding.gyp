{
  "targets": [
    {
      "target_name": "esdlab_native",
      "sources": ["src/addon.c", "src/kernels.c"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lopenblas", "-llapacke"]
    }
  ]
}
