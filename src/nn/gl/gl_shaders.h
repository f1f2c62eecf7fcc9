// gl_shaders.h — the shader sources of shaders/, embedded into the binary at build time.
// Not a compiler: gl_backend.cpp compiles them; cmake/embed_shaders.cmake writes the table.
#pragma once

#include <vector>

namespace difflab::glb {

struct ShaderFile {
  const char* name;  // "gemm.comp"
  const char* text;
};

// Every file of shaders/ (common.glsl is prepended to each kernel; *.comp hold the kernels).
const std::vector<ShaderFile>& shader_files();

}  // namespace difflab::glb
