#include "image/orc_guard.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

// OrcProgram* and OrcCompileResult, without liborc's headers (not a dependency of their own).
extern "C" int orc_program_compile(void* program);
extern "C" void orc_program_free(void* program);

namespace portrait::image {
namespace {

// Recursive: liborc's own functions may call each other through these definitions.
std::recursive_mutex& OrcMutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

template <class Function>
Function Real(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) {
    std::fprintf(stderr, "portrait: %s not found in liborc\n", name);
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

}  // namespace

bool OrcCallsAreLocked() {
  return dlsym(RTLD_DEFAULT, "orc_program_compile") ==
             reinterpret_cast<void*>(&orc_program_compile) &&
         dlsym(RTLD_DEFAULT, "orc_program_free") == reinterpret_cast<void*>(&orc_program_free);
}

}  // namespace portrait::image

extern "C" int orc_program_compile(void* program) {
  static const auto real = portrait::image::Real<int (*)(void*)>("orc_program_compile");
  std::lock_guard lock(portrait::image::OrcMutex());
  return real(program);
}

extern "C" void orc_program_free(void* program) {
  static const auto real = portrait::image::Real<void (*)(void*)>("orc_program_free");
  std::lock_guard lock(portrait::image::OrcMutex());
  real(program);
}
