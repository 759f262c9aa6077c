/* training_rules_f32_f64: instantiates the update rules (training_rules.h) for float, with the
 * suffix _f32 (sgd_f32, adam_f32, ...), and for double, _f64. The includer defines TM_DEVICE
 * (empty in C, __device__ in CUDA) first. */
#define TM_CAT2(a, b) a##_##b
#define TM_CAT(a, b) TM_CAT2(a, b)
#define FN(name) TM_CAT(name, TM_SFX)

#define TM_T float
#define TM_SFX f32
#define TM_SQRT sqrtf
#define TM_POW powf
#define TM_FABS fabsf
#include "kernels/training_rules.h"
#undef TM_T
#undef TM_SFX
#undef TM_SQRT
#undef TM_POW
#undef TM_FABS

#define TM_T double
#define TM_SFX f64
#define TM_SQRT sqrt
#define TM_POW pow
#define TM_FABS fabs
#include "kernels/training_rules.h"
#undef TM_T
#undef TM_SFX
#undef TM_SQRT
#undef TM_POW
#undef TM_FABS
