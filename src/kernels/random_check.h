/* random_check: what the CPU and GPU kernels of the stateful random ops share on the host: the
 * per-node generator (TensorFlow's GuardedPhiloxRandom: key = seed, high counter words = seed2,
 * both 0 meaning process-random seeds), the reservation of each step's counters under its lock, and
 * the run-time checks with TensorFlow's messages (the shape input, RandomUniformInt's bounds). A GPU
 * kernel reserves exactly as the CPU one does, so the n-th step of a node gives the same stream on
 * either device. Needs _GNU_SOURCE before the first #include (random_philox.h). */
#ifndef TFC_KERNELS_RANDOM_CHECK_H_
#define TFC_KERNELS_RANDOM_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"
#include "kernels/random_philox.h"

/* init / free_state of every random kernel: reads attrs seed and seed2. */
TF_Code tfc_rng_init(const tfc_kernel_init_ctx *c, void **state);
void tfc_rng_free(void *state);

/* This step's generator; the node's next step starts `blocks` counters later. */
tfc_philox tfc_rng_reserve(tfc_kernel_ctx *k, uint64_t blocks);

/* Reads the shape input (input 0, host memory) as TensorFlow's MakeShape does, allocates output 0
 * with it and reserves 256 counters per element into *gen. NULL after an error (step error set). */
TF_Tensor *tfc_random_output(tfc_kernel_ctx *k, tfc_philox *gen);

/* RandomUniformInt's scalar bounds (inputs 1 and 2, host memory): *lo = minval and *range =
 * maxval - minval as unsigned; false after an error ("Need minval < maxval, ..."). */
bool tfc_random_int_bounds(tfc_kernel_ctx *k, int64_t *lo, uint64_t *range);

#endif
