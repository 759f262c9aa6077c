# The CUDA emulation build (TFC_CUDA_EMULATION=ON, see cuda.cmake): src/kernels/cuda/*.c as they
# are, each .cu rewritten by tests/cuda_emu/emu_rewrite.c (launches become tfc_emu_launch calls)
# and compiled as C++ with emu_device.h forced in, and the emulator's own sources in place of
# cudart, cuBLAS and cuDNN. Sets TFC_HAVE_CUDA, TFC_CUDA_SRCS, TFC_CUDA_LIBS and TFC_CUDA_INCLUDES.
find_package(CUDAToolkit QUIET)
find_path(TFC_CUDNN_INCLUDE cudnn.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/include /usr/local/cuda/include)
find_path(TFC_CUDART_INCLUDE cuda_runtime_api.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include)
if(NOT TFC_CUDNN_INCLUDE OR NOT TFC_CUDART_INCLUDE)
  message(FATAL_ERROR "TFC_CUDA_EMULATION needs the CUDA toolkit's and cuDNN's headers")
endif()
if(TFC_SANITIZE)
  message(FATAL_ERROR "TFC_CUDA_EMULATION runs kernel threads as ucontext coroutines, which ASan does not follow")
endif()
enable_language(CXX)
set(TFC_HAVE_CUDA ON)
set(emu ${PROJECT_SOURCE_DIR}/tests/cuda_emu)
message(STATUS "tfc: CUDA device built against the host emulator (${emu}); no GPU code")

add_executable(tfc_emu_rewrite ${emu}/emu_rewrite.c)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/cuda_emu)
file(GLOB TFC_CUDA_SRCS CONFIGURE_DEPENDS ${TFC_CUDA_DIR}/*.c)
list(FILTER TFC_CUDA_SRCS EXCLUDE REGEX "/cuda_none\\.c$")
file(GLOB cu_files CONFIGURE_DEPENDS ${TFC_CUDA_DIR}/*.cu)
foreach(cu ${cu_files})
  get_filename_component(base ${cu} NAME_WE)
  set(out ${PROJECT_BINARY_DIR}/cuda_emu/${base}.cpp)
  add_custom_command(OUTPUT ${out} COMMAND tfc_emu_rewrite ${cu} ${out} DEPENDS tfc_emu_rewrite ${cu}
    COMMENT "emu_rewrite ${base}.cu")
  # nvcc warns about neither; the kernels compare threadIdx (unsigned) with ints as CUDA code does.
  set_source_files_properties(${out} PROPERTIES
    COMPILE_OPTIONS "-include;${emu}/emu_device.h;-Wall;-Wno-sign-compare;-Wno-unknown-pragmas")
  list(APPEND TFC_CUDA_SRCS ${out})
endforeach()
list(APPEND TFC_CUDA_SRCS ${emu}/fake_cudart.c ${emu}/fake_cublas.c ${emu}/fake_cudnn.c ${emu}/emu_threads.cpp)
set(CMAKE_CXX_STANDARD 17)
set(TFC_CUDA_LIBS stdc++)
set(TFC_CUDA_INCLUDES ${emu} ${TFC_CUDART_INCLUDE} ${TFC_CUDNN_INCLUDE})
set(TFC_CUDA_RPATH "")
