/* cast_check: see cast_check.h. */
#include "kernels/cast_check.h"

#include "core/dtype.h"
#include "kernels/cast_rules.h"

#define CAST_TYPE(s, S, K, T) T,
static const TF_DataType cast_types[TFC_CAST_COUNT] = { TFC_CAST_SRC(CAST_TYPE) };

int tfc_cast_index(TF_DataType t)
{
    for (int i = 0; i < TFC_CAST_COUNT; i++)
        if (cast_types[i] == t) return i;
    return -1;
}

TF_Code tfc_cast_parse(const tfc_kernel_init_ctx *c, tfc_cast_spec *spec)
{
    TF_DataType src = tfc_attrs_type(c->attrs, "SrcT", (TF_DataType)0);
    TF_DataType dst = tfc_attrs_type(c->attrs, "DstT", (TF_DataType)0);
    int i = tfc_cast_index(src), j = tfc_cast_index(dst);
    if (i < 0 || j < 0)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "Cast %s to %s is not supported", tfc_dtype_name(src),
                                     tfc_dtype_name(dst));
    bool truncate = tfc_attrs_bool(c->attrs, "Truncate", false);
    *spec = (tfc_cast_spec){ src, dst, i, j, truncate && src == TF_DOUBLE && dst == TF_FLOAT };
    return TF_OK;
}
