/* cast_check: what Cast's attrs ask for, checked the same way by its CPU and GPU kernels: SrcT
 * and DstT must both be Cast types (kernels/cast_rules.h), else UNIMPLEMENTED "Cast <a> to <b> is
 * not supported"; Truncate only changes double → float. */
#ifndef TFC_KERNELS_CAST_CHECK_H_
#define TFC_KERNELS_CAST_CHECK_H_
#include <stdbool.h>

#include "kernels/kernel.h"

typedef struct tfc_cast_spec {
    TF_DataType src, dst;
    int src_index, dst_index; /* tfc_cast_index of each */
    bool truncate;            /* double → float with Truncate = true */
} tfc_cast_spec;

/* t's place in kernels/cast_rules.h's type lists, or -1 when Cast does not convert it. */
int tfc_cast_index(TF_DataType t);
/* Reads SrcT, DstT and Truncate from c's attrs into *spec; an error in c->status otherwise. */
TF_Code tfc_cast_parse(const tfc_kernel_init_ctx *c, tfc_cast_spec *spec);

#endif
