// test_backend_factory.cpp — make_backend: the names, the auto policy and the GL backend's clear refusal.
// Not op checks: test_backend_ops compares every op across backends.
#include <doctest/doctest.h>

#include "nn/backend_factory.h"

using namespace difflab;

TEST_CASE("backend kinds round-trip through their names") {
  for (BackendKind k : {BackendKind::cpu, BackendKind::gl, BackendKind::reference, BackendKind::automatic}) {
    BackendKind parsed = BackendKind::cpu;
    CHECK(parse_backend_kind(backend_kind_name(k), &parsed));
    CHECK(parsed == k);
  }
  BackendKind untouched = BackendKind::gl;
  CHECK_FALSE(parse_backend_kind("cuda", &untouched));
  CHECK(untouched == BackendKind::gl);
}

TEST_CASE("cpu is the cpu backend, and auto keeps a small model on the CPU and says why") {
  BackendChoice choice;
  auto cpu = make_backend(BackendKind::cpu, &choice);
  CHECK(cpu->name() == "cpu");
  CHECK(cpu->host_memory());
  auto small = make_backend(BackendKind::automatic, &choice, 99'074);  // the reference 2-D MLP
  CHECK(small->name() == "cpu");
  CHECK(choice.chosen == BackendKind::cpu);
  CHECK(choice.note.find("99074 parameters") != std::string::npos);
}

TEST_CASE("gl either runs here or refuses with a reason, and auto takes it only on a real GPU") {
  std::string why;
  const bool available = gl_backend_available(&why);
  BackendChoice choice;
  auto chosen = make_backend(BackendKind::automatic, &choice, 0);
  if (available) {
    const std::string device = make_backend(BackendKind::gl)->device_description();
    CHECK_FALSE(make_backend(BackendKind::gl)->host_memory());
    if (is_software_renderer(device)) {  // llvmpipe: the same cores, slower than the CPU backend
      CHECK(chosen->name() == "cpu");
      CHECK(choice.note == "auto: cpu (" + device + " is a software renderer: the CPU backend is faster)");
    } else {
      CHECK(chosen->name() == "gl");
      CHECK(choice.note.find("auto: gl (") == 0);
    }
  } else {
    INFO("why: " << why);
    CHECK_FALSE(why.empty());
    CHECK(chosen->name() == "cpu");
    CHECK(choice.note == "auto: cpu (" + why + ")");
    CHECK_THROWS_WITH_AS(make_backend(BackendKind::gl), ("--backend gl: " + why).c_str(), std::runtime_error);
  }
}

TEST_CASE("the GL backend's memory round-trips and its first kernel runs (skipped without GL 4.3)") {
  std::string why;
  if (!gl_backend_available(&why)) {
    MESSAGE("GL backend skipped: " << why);
    return;
  }
  auto gl = make_backend(BackendKind::gl);
  auto storage = gl->create_storage(10);
  const Tensor all{storage.get(), 0, 2, 5};
  std::vector<float> zeros(10, -1.0f);
  gl->download(all, zeros.data());
  CHECK(zeros == std::vector<float>(10, 0.0f));  // new storage is zero-filled
  const std::vector<float> x = {1, 2, 3, 4, 5}, y = {10, 20, 30, 40, 50};
  const Tensor tx = all.row_block(0, 1), ty = all.row_block(1, 1);  // an offset of 5 floats
  gl->upload(tx, x.data());
  gl->upload(ty, y.data());
  gl->axpy(ty, 0.5f, tx);
  std::vector<float> got(5);
  gl->download(ty, got.data());
  CHECK(got == std::vector<float>{10.5f, 21.0f, 31.5f, 42.0f, 52.5f});
}

TEST_CASE("software renderers are recognised by their GL_RENDERER string") {
  CHECK(is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5"));
  CHECK_FALSE(is_software_renderer("NVIDIA H200/PCIe/SSE2, OpenGL 4.6"));
}
