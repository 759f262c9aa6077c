# Decides whether the CUDA device is built (option TFC_CUDA = AUTO | ON | OFF) and sets
# TFC_HAVE_CUDA. AUTO turns it on when nvcc, cuBLAS and cuDNN are all found; ON fails the
# configure step when one is missing. With CUDA, src/kernels/cuda/*.c and *.cu are compiled into the
# library (for TFC_CUDA_ARCHITECTURES, default 90: H100/H200) and it links cudart, cuBLAS and cuDNN;
# without, src/kernels/cuda/cuda_none.c says there are no GPUs. No GPU is needed to build.
#
# TFC_CUDA_EMULATION=ON (a test build, never a product) instead compiles the same CUDA code against
# tests/cuda_emu: a host emulator of one GPU (fake CUDA runtime, cuBLAS and cuDNN; the .cu kernels
# as C++ run thread by thread), so the GPU test suites run on any machine. It needs the toolkit's
# headers only, and no nvcc.
option(TFC_CUDA_EMULATION "Build the CUDA device against the host emulator in tests/cuda_emu (tests only)" OFF)
set(TFC_HAVE_CUDA OFF)
set(TFC_CUDA_INCLUDES "")
if(NOT TFC_CUDA_EMULATION AND NOT TFC_CUDA STREQUAL "OFF")
  find_package(CUDAToolkit QUIET)
  find_path(TFC_CUDNN_INCLUDE cudnn.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/include /usr/local/cuda/include)
  find_library(TFC_CUDNN_LIB cudnn HINTS ${CUDAToolkit_LIBRARY_DIR} /usr/lib/x86_64-linux-gnu /usr/local/cuda/lib64)
  if(CUDAToolkit_FOUND AND CUDAToolkit_NVCC_EXECUTABLE AND TARGET CUDA::cublas AND TFC_CUDNN_INCLUDE AND TFC_CUDNN_LIB)
    set(TFC_HAVE_CUDA ON)
    message(STATUS "tfc: CUDA ${CUDAToolkit_VERSION} with cuBLAS and cuDNN found (${TFC_CUDNN_LIB})")
  elseif(TFC_CUDA STREQUAL "ON")
    message(FATAL_ERROR "TFC_CUDA=ON but nvcc, cuBLAS or cuDNN was not found")
  else()
    message(STATUS "tfc: CUDA device off (nvcc, cuBLAS or cuDNN not found)")
  endif()
endif()

set(TFC_CUDA_ARCHITECTURES "90" CACHE STRING "GPU architectures the .cu kernels are compiled for")
set(TFC_CUDA_DIR ${PROJECT_SOURCE_DIR}/src/kernels/cuda)
if(TFC_CUDA_EMULATION)
  include(${CMAKE_CURRENT_LIST_DIR}/cuda_emulation.cmake)
elseif(TFC_HAVE_CUDA)
  set(CMAKE_CUDA_COMPILER ${CUDAToolkit_NVCC_EXECUTABLE})
  set(CMAKE_CUDA_ARCHITECTURES ${TFC_CUDA_ARCHITECTURES})
  set(CMAKE_CUDA_STANDARD 17)
  enable_language(CUDA)
  # The .cu kernels use no C++ runtime (no exceptions, RTTI or guarded statics), so libtfc.a
  # links like a C library: no libstdc++ on the user's link line.
  add_compile_options("$<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-fno-exceptions,-fno-rtti,-fno-threadsafe-statics>")
  file(GLOB TFC_CUDA_SRCS CONFIGURE_DEPENDS ${TFC_CUDA_DIR}/*.c ${TFC_CUDA_DIR}/*.cu)
  list(FILTER TFC_CUDA_SRCS EXCLUDE REGEX "/cuda_none\\.c$")
  get_filename_component(TFC_CUDNN_LIB_DIR ${TFC_CUDNN_LIB} DIRECTORY)
  set(TFC_CUDA_LIBS CUDA::cudart CUDA::cublas ${TFC_CUDNN_LIB})
  # Installed libtfc.so finds the toolkit's libraries where they were at build time.
  set(TFC_CUDA_RPATH "${CUDAToolkit_LIBRARY_DIR};${TFC_CUDNN_LIB_DIR}")
else()
  set(TFC_CUDA_SRCS ${TFC_CUDA_DIR}/cuda_none.c)
  set(TFC_CUDA_LIBS "")
  set(TFC_CUDA_RPATH "")
endif()
