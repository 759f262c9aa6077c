/* cast_rules: Cast's element conversions, one rule per (source, destination) pair, shared by the
 * CPU kernel (kernels/cpu/cast_cpu.c) and the GPU one (kernels/cuda/cast_cuda.cu, which defines
 * TFC_CAST_DEVICE as __device__ before including this) so both devices convert every value —
 * NaN and out-of-range ones too — to the same bits.
 *
 * Conversions follow C's, which TensorFlow's static_cast also uses: integers narrow by wrapping,
 * floats truncate toward zero, anything non-zero (NaN too) is true. Where C leaves float → integer
 * undefined (NaN, out of range), tfc defines it as x86-64 hardware does it, which is what
 * TensorFlow computes on x86-64: NaN and values outside int32 (for int8/16/32, uint8/16) or int64
 * (for int64, uint32, uint64) become the "integer indefinite" INT_MIN / INT64_MIN, and the narrow
 * types then keep its low bits. So Cast(nan) is 0 for int8, -2^31 for int32, -2^63 for int64;
 * Cast(300.0) to int8 is 44; Cast(-1.0) to uint8 is 255. TensorFlow's own results are
 * platform-dependent here (aarch64 saturates) and, for uint32, depend on its vectorised path.
 * Truncate = true on double → float drops the 29 low mantissa bits first (TensorFlow's
 * LSBZeroSetter), i.e. rounds toward zero. */
#ifndef TFC_KERNELS_CAST_RULES_H_
#define TFC_KERNELS_CAST_RULES_H_
#include <stdint.h>
#include <string.h>

#ifndef TFC_CAST_DEVICE
#define TFC_CAST_DEVICE
#endif

// ---- float → integer ----

/* x86-64's cvttsd2si: truncation toward zero; NaN and out-of-range values give INT_MIN. Both
 * bounds are exact doubles. */
static inline TFC_CAST_DEVICE int32_t tfc_f2i32(double v)
{
    return v > -2147483649.0 && v < 2147483648.0 ? (int32_t)v : INT32_MIN;
}
static inline TFC_CAST_DEVICE int64_t tfc_f2i64(double v)
{
    return v >= -9223372036854775808.0 && v < 9223372036854775808.0 ? (int64_t)v : INT64_MIN;
}
/* The narrow types keep the low bits of the int32 or int64 conversion. */
static inline TFC_CAST_DEVICE int8_t tfc_f2i8(double v) { return (int8_t)tfc_f2i32(v); }
static inline TFC_CAST_DEVICE int16_t tfc_f2i16(double v) { return (int16_t)tfc_f2i32(v); }
static inline TFC_CAST_DEVICE uint8_t tfc_f2u8(double v) { return (uint8_t)tfc_f2i32(v); }
static inline TFC_CAST_DEVICE uint16_t tfc_f2u16(double v) { return (uint16_t)tfc_f2i32(v); }
static inline TFC_CAST_DEVICE uint32_t tfc_f2u32(double v) { return (uint32_t)tfc_f2i64(v); }
static inline TFC_CAST_DEVICE uint64_t tfc_f2u64(double v)
{
    return v >= 9223372036854775808.0 && v < 18446744073709551616.0 ? (uint64_t)v : (uint64_t)tfc_f2i64(v);
}

/* TensorFlow's Truncate for double → float: zero the mantissa bits float cannot hold, then
 * convert (now exact unless out of float's range). NaN payloads are left alone. */
static inline TFC_CAST_DEVICE float tfc_truncate_f64_f32(double v)
{
    if (v != v) return (float)v;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits &= ~((UINT64_C(1) << 29) - 1);
    memcpy(&v, &bits, sizeof v);
    return (float)v;
}

// ---- the pairs ----

/* The Cast types: (suffix, C type, kind: F floating, I integer, B bool, TF_DataType), in the
 * order of tfc_cast_index (kernels/cast_check.h). Listed twice, as sources and as destinations,
 * because an X-macro cannot expand inside itself: TFC_CAST_DST(M, <source's four>) calls
 * M(<source's four>, <destination's four>) for every destination. */
#define TFC_CAST_SRC(X) X(f32, float, F, TF_FLOAT) X(f64, double, F, TF_DOUBLE) X(i8, int8_t, I, TF_INT8) \
    X(i16, int16_t, I, TF_INT16) X(i32, int32_t, I, TF_INT32) X(i64, int64_t, I, TF_INT64) \
    X(u8, uint8_t, I, TF_UINT8) X(u16, uint16_t, I, TF_UINT16) X(u32, uint32_t, I, TF_UINT32) \
    X(u64, uint64_t, I, TF_UINT64) X(b, uint8_t, B, TF_BOOL)
#define TFC_CAST_DST(M, s, S, SK, ST) M(s, S, SK, ST, f32, float, F, TF_FLOAT) \
    M(s, S, SK, ST, f64, double, F, TF_DOUBLE) M(s, S, SK, ST, i8, int8_t, I, TF_INT8) \
    M(s, S, SK, ST, i16, int16_t, I, TF_INT16) M(s, S, SK, ST, i32, int32_t, I, TF_INT32) \
    M(s, S, SK, ST, i64, int64_t, I, TF_INT64) M(s, S, SK, ST, u8, uint8_t, I, TF_UINT8) \
    M(s, S, SK, ST, u16, uint16_t, I, TF_UINT16) M(s, S, SK, ST, u32, uint32_t, I, TF_UINT32) \
    M(s, S, SK, ST, u64, uint64_t, I, TF_UINT64) M(s, S, SK, ST, b, uint8_t, B, TF_BOOL)
#define TFC_CAST_COUNT 11

/* TFC_CAST_<source kind><destination kind>(destination suffix, destination type, value a) */
#define TFC_CAST_FF(d, D, a) ((D)(a))
#define TFC_CAST_FI(d, D, a) tfc_f2##d(a)
#define TFC_CAST_FB(d, D, a) ((D)((a) != 0))
#define TFC_CAST_IF(d, D, a) ((D)(a))
#define TFC_CAST_II(d, D, a) ((D)(a))
#define TFC_CAST_IB(d, D, a) ((D)((a) != 0))
#define TFC_CAST_BF(d, D, a) ((D)((a) != 0))
#define TFC_CAST_BI(d, D, a) ((D)((a) != 0))
#define TFC_CAST_BB(d, D, a) ((D)((a) != 0))

#endif
