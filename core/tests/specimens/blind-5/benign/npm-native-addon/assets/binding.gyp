{
  "targets": [{
    "target_name": "fasthash",
    "sources": ["src/fasthash.cc"],
    "include_dirs": ["<!@(node -p \"require('node-addon-api').include\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"]
  }]
}
