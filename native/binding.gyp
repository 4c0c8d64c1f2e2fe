{
  "targets": [
    {
      "target_name": "esdlab_native",
      "sources": ["src/addon.c", "src/kernels.c", "src/elementwise.c"],
      "cflags": ["-O2", "-std=gnu11", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lopenblas", "-llapacke"]
    }
  ]
}
