{
  "targets": [
    {
      "target_name": "reachgraph_sensor",
      "sources": ["src/addon.cc", "src/sensor.cc", "src/convert.cc", "src/skeleton.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../bpf/include",
        "../bpf/.output"
      ],
      "libraries": ["<!@(pkg-config --libs libbpf)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"]
    }
  ]
}
