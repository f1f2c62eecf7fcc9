// gl_backend.cpp — the GL backend's context, memory and kernels: an EGL surfaceless context of its own,
// one shader storage buffer per Storage, every kernel of shaders/ compiled once when the backend starts.
// Not the ops: gl_core_ops.cpp, gl_image_ops.cpp and gl_train_ops.cpp hold them.
#include <epoxy/egl.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "gl/context.h"
#include "nn/gl/gl_backend.h"
#include "nn/gl/gl_backend_impl.h"
#include "nn/gl/gl_shaders.h"

namespace difflab {

std::unique_ptr<Backend> make_gl_backend(std::string* error) {
  return glb::GlBackend::create(error);
}

namespace glb {

GlStorage::~GlStorage() {
  if (owner && device_buffer) owner->release_buffer(device_buffer);
}

namespace {

const char* find_common() {
  for (const ShaderFile& f : shader_files())
    if (std::strcmp(f.name, "common.glsl") == 0) return f.text;
  return "";
}

// Kernel names of one .comp file: every `#ifdef KERNEL_name`.
std::vector<std::string> kernels_of(const std::string& text) {
  std::vector<std::string> names;
  const std::string marker = "#ifdef KERNEL_";
  for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
    size_t begin = at + marker.size(), end = begin;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
      ++end;
    names.push_back(text.substr(begin, end - begin));
  }
  return names;
}

std::string info_log(GLuint object, bool is_program) {
  GLint length = 0;
  if (is_program)
    glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
  else
    glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<size_t>(std::max(length, 1)), '\0');
  if (is_program)
    glGetProgramInfoLog(object, length, nullptr, log.data());
  else
    glGetShaderInfoLog(object, length, nullptr, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

// Compiles one kernel; 0 and *error (with the info log) on failure.
GLuint compile_kernel(const ShaderFile& file, const std::string& kernel, std::string* error) {
  const std::string head = "#version 430 core\n#define KERNEL_" + kernel + " 1\n";
  const std::string common = find_common();
  const std::string source = head + common + "\n#line 1\n" + file.text;
  const char* text = source.c_str();
  GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    *error = std::string("shaders/") + file.name + ", kernel " + kernel + " did not compile:\n" +
             info_log(shader, false);
    glDeleteShader(shader);
    return 0;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, shader);
  glLinkProgram(program);
  glDeleteShader(shader);
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    *error = std::string("shaders/") + file.name + ", kernel " + kernel + " did not link:\n" +
             info_log(program, true);
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

}  // namespace

std::unique_ptr<GlBackend> GlBackend::create(std::string* error) {
  std::unique_ptr<GlBackend> backend(new GlBackend());
  std::string why;
  if (!backend->start(&why)) {
    if (error) *error = why;
    return nullptr;
  }
  return backend;
}

bool GlBackend::start(std::string* error) {
  gl::HeadlessContext headless = gl::create_headless_context();
  if (!headless.ok()) {
    *error = headless.error + " (the GL backend needs OpenGL 4.3 core with compute shaders)";
    return false;
  }
  display_ = headless.display;
  context_ = headless.context;
  GLint major = 0, minor = 0;
  glGetIntegerv(GL_MAJOR_VERSION, &major);
  glGetIntegerv(GL_MINOR_VERSION, &minor);
  const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  description_ = std::string(renderer ? renderer : "unknown renderer") + ", OpenGL " + std::to_string(major) +
                 "." + std::to_string(minor);
  if (major < 4 || (major == 4 && minor < 3)) {
    *error = "OpenGL " + std::to_string(major) + "." + std::to_string(minor) + " on " + description_ +
             ": the GL backend needs 4.3 (compute shaders)";
    return false;
  }
  for (const ShaderFile& file : shader_files()) {
    const std::string name = file.name;
    if (name.size() < 5 || name.substr(name.size() - 5) != ".comp") continue;
    for (const std::string& kernel : kernels_of(file.text)) {
      std::string why;
      const GLuint id = compile_kernel(file, kernel, &why);
      if (!id) {
        *error = why;
        return false;
      }
      Program& p = programs_[kernel];
      if (p.id) {
        *error = "kernel " + kernel + " is defined twice in shaders/";
        return false;
      }
      p.id = id;
      p.kernel = kernel;
    }
  }
  return true;
}

GlBackend::~GlBackend() {
  if (!context_) return;
  ensure_current();
  for (auto& [name, p] : programs_) glDeleteProgram(p.id);
  for (auto& [buffer, bytes] : scratch_)
    if (buffer) glDeleteBuffers(1, &buffer);
  gl::HeadlessContext headless;
  headless.display = display_;
  headless.context = context_;
  gl::destroy_headless_context(&headless);
}

void GlBackend::ensure_current() {
  if (eglGetCurrentContext() == static_cast<EGLContext>(context_)) return;
  if (!eglMakeCurrent(static_cast<EGLDisplay>(display_), EGL_NO_SURFACE, EGL_NO_SURFACE,
                      static_cast<EGLContext>(context_)))
    throw std::runtime_error(
        "GL backend: its context cannot be made current on this thread (is another "
        "thread using the backend? call release_thread() there first)");
}

void GlBackend::release_thread() {
  if (eglGetCurrentContext() == static_cast<EGLContext>(context_)) {
    glFinish();
    eglMakeCurrent(static_cast<EGLDisplay>(display_), EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  }
}

void GlBackend::synchronize() {
  ensure_current();
  glFinish();
}

std::unique_ptr<Storage> GlBackend::create_storage(size_t floats) {
  ensure_current();
  auto s = std::make_unique<GlStorage>();
  s->owner = this;
  s->size = floats;
  glGenBuffers(1, &s->device_buffer);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, s->device_buffer);
  const GLsizeiptr bytes = static_cast<GLsizeiptr>(std::max<size_t>(floats, 1) * sizeof(float));
  glBufferData(GL_SHADER_STORAGE_BUFFER, bytes, nullptr, GL_DYNAMIC_COPY);
  const float zero = 0.0f;
  glClearBufferData(GL_SHADER_STORAGE_BUFFER, GL_R32F, GL_RED, GL_FLOAT, &zero);
  if (glGetError() == GL_OUT_OF_MEMORY)
    throw std::runtime_error("GL backend: out of GPU memory for " + std::to_string(floats) + " floats");
  return s;
}

void GlBackend::release_buffer(GLuint buffer) {
  if (!context_) return;
  ensure_current();
  glDeleteBuffers(1, &buffer);
}

void GlBackend::write(const Tensor& dst, const float* src) {
  ensure_current();
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, dst.storage->device_buffer);
  glBufferSubData(GL_SHADER_STORAGE_BUFFER, static_cast<GLintptr>(dst.offset * sizeof(float)),
                  static_cast<GLsizeiptr>(dst.size() * sizeof(float)), src);
}

void GlBackend::read(const Tensor& src, float* dst) {
  ensure_current();
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, src.storage->device_buffer);
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, static_cast<GLintptr>(src.offset * sizeof(float)),
                     static_cast<GLsizeiptr>(src.size() * sizeof(float)), dst);
}

void GlBackend::fill(const Tensor& dst, float value) {
  if (dst.empty()) return;
  ensure_current();
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, dst.storage->device_buffer);
  glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32F, static_cast<GLintptr>(dst.offset * sizeof(float)),
                       static_cast<GLsizeiptr>(dst.size() * sizeof(float)), GL_RED, GL_FLOAT, &value);
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
}

void GlBackend::copy(const Tensor& dst, const Tensor& src) {
  if (dst.empty()) return;
  ensure_current();
  glBindBuffer(GL_COPY_READ_BUFFER, src.storage->device_buffer);
  glBindBuffer(GL_COPY_WRITE_BUFFER, dst.storage->device_buffer);
  glCopyBufferSubData(
      GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, static_cast<GLintptr>(src.offset * sizeof(float)),
      static_cast<GLintptr>(dst.offset * sizeof(float)), static_cast<GLsizeiptr>(dst.size() * sizeof(float)));
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
}

Program& GlBackend::program(const char* kernel) {
  ensure_current();
  auto it = programs_.find(std::string_view(kernel));
  if (it == programs_.end())
    throw std::logic_error(std::string("GL backend: no kernel ") + kernel + " in shaders/");
  return it->second;
}

void GlBackend::use(Program& p) {
  glUseProgram(p.id);
}

void GlBackend::bind(GLuint binding, const Tensor& t) {
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, t.storage ? t.storage->device_buffer : 0);
}

void GlBackend::bind_buffer(GLuint binding, GLuint buffer) {
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, buffer);
}

GLuint GlBackend::scratch(int slot, size_t bytes) {
  ensure_current();
  if (slot < 0 || slot >= 8) throw std::logic_error("GL backend: scratch slot out of range");
  if (scratch_.size() < 8) scratch_.resize(8, {0, 0});
  auto& [buffer, size] = scratch_[static_cast<size_t>(slot)];
  if (buffer && size >= bytes) return buffer;
  if (buffer) glDeleteBuffers(1, &buffer);
  size = std::max<size_t>(bytes, 256);
  glGenBuffers(1, &buffer);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(size), nullptr, GL_DYNAMIC_COPY);
  return buffer;
}

namespace {
GLint location(Program& p, const char* uniform) {
  auto it = p.uniforms.find(std::string_view(uniform));
  if (it != p.uniforms.end()) return it->second;
  const GLint loc = glGetUniformLocation(p.id, uniform);
  p.uniforms.emplace(uniform, loc);  // −1 (optimised away) is cached too: glUniform ignores it
  return loc;
}
}  // namespace

void GlBackend::set(Program& p, const char* uniform, GLint value) {
  glProgramUniform1i(p.id, location(p, uniform), value);
}
void GlBackend::set(Program& p, const char* uniform, GLuint value) {
  glProgramUniform1ui(p.id, location(p, uniform), value);
}
void GlBackend::set(Program& p, const char* uniform, float value) {
  glProgramUniform1f(p.id, location(p, uniform), value);
}

void GlBackend::dispatch(GLuint groups_x, GLuint groups_y, GLuint groups_z) {
  if (groups_x == 0 || groups_y == 0 || groups_z == 0) return;
  glDispatchCompute(groups_x, groups_y, groups_z);
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
}

void GlBackend::dispatch_1d(size_t count, GLuint local_size) {
  const size_t groups = (count + local_size - 1) / local_size;
  if (groups == 0) return;
  const size_t gx = std::min<size_t>(groups, 65535);
  const size_t gy = (groups + gx - 1) / gx;
  dispatch(static_cast<GLuint>(gx), static_cast<GLuint>(gy));
}

}  // namespace glb
}  // namespace difflab
