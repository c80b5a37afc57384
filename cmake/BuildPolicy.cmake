# Build policy as INTERFACE targets, linked into our own targets only, so that
# system headers and third-party code are never compiled under our -Werror.

option(OPS_WERROR "Treat warnings as errors (on by default when CI is set)" OFF)
option(OPS_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(DEFINED ENV{CI} AND NOT "$ENV{CI}" STREQUAL "")
  set(OPS_WERROR ON)
endif()

add_library(ops_warnings INTERFACE)
target_compile_options(ops_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
# Not -Wnull-dereference: at -O2, g++ 12 reports it inside Boost.Program_options'
# typed_value::notify for every string option. And g++ 12's -Wrestrict fires on
# `"literal" + std::string` at -O2 (GCC bug 105329): off there, so a Release
# build with CI set still compiles.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(ops_warnings INTERFACE -Wno-restrict)
endif()
if(OPS_WERROR)
  target_compile_options(ops_warnings INTERFACE -Werror)
endif()

add_library(ops_hardening INTERFACE)
target_compile_options(ops_hardening INTERFACE
  -fstack-protector-strong -fstack-clash-protection
  $<$<CONFIG:Debug>:-D_GLIBCXX_ASSERTIONS>
  $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
target_link_options(ops_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)

add_library(ops_sanitizers INTERFACE)
if(OPS_SANITIZE)
  target_compile_options(ops_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ops_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# libFuzzer builds (scripts/fuzz): coverage for libFuzzer plus ASan and UBSan
# on all our code; tests/fuzz links the fuzz_* binaries with -fsanitize=fuzzer.
option(OPS_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)
if(OPS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "OPS_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  target_compile_options(ops_sanitizers INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ops_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(ops_build_policy INTERFACE)
target_link_libraries(ops_build_policy INTERFACE ops_warnings ops_hardening ops_sanitizers)
