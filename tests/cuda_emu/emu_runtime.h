/* emu_runtime: the inside of the CUDA host emulator (see fake_cudart.c) that its parts share: the
 * fake runtime, the fake cuBLAS and cuDNN, and the kernel scheduler (emu_threads.cpp).
 *
 * Device work is queued per stream and runs only when the host has to wait for it (a stream or
 * device synchronize, a cudaFree, an event another stream waits on), so code that reads results
 * before it waits, or orders two streams without an event, goes wrong here as it can on a GPU.
 * Device memory is a host mapping that is inaccessible (PROT_NONE) except while queued work runs,
 * with a guard page after each allocation: a host dereference of a device pointer, or a kernel
 * running past its buffer, faults at once. One process-wide recursive lock guards
 * all of it, so device work from several host threads runs one piece at a time. */
#ifndef TFC_TESTS_CUDA_EMU_EMU_RUNTIME_H_
#define TFC_TESTS_CUDA_EMU_EMU_RUNTIME_H_
#include <stdbool.h>
#include <stddef.h>
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

void tfc_emu_lock(void);
void tfc_emu_unlock(void);

/* Queues run(arg) on stream s (0: the legacy default stream); run owns arg. */
void tfc_emu_enqueue(cudaStream_t s, void (*run)(void *arg), void *arg);
/* Runs everything queued on s so far (and what it waits for). */
void tfc_emu_stream_flush(cudaStream_t s);

/* Opens device memory to the calling code until the matching close (nests). */
void tfc_emu_device_open(void);
void tfc_emu_device_close(void);

/* Records e as the error cudaGetLastError returns next; a launch failure stays (sticky). */
void tfc_emu_set_error(cudaError_t e);

/* Runs a grid of thread_main(arg), one call per thread, blocks one after another (emu_threads.cpp);
 * false (and the error recorded) when a block deadlocks on its barriers. */
bool tfc_emu_run_grid(dim3 grid, dim3 block, void (*thread_main)(void *arg), void *arg);

/* Runs body(arg) at stream s's turn: flushes s, then runs it with device memory open. How the fake
 * cuBLAS and cuDNN compute: the result is ready when they return, a schedule CUDA allows. */
void tfc_emu_run_now(cudaStream_t s, void (*body)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif
#endif
