/* gradcheck: checks TF_AddGradients against central finite differences in float64 through the
 * public API. A case gives the shapes of its inputs (float64 Placeholders x0, x1, ...) and a
 * function that builds y from them; gradcheck_run feeds random values (|v| in [lo, hi], random
 * signs unless positive_only), adds the gradients of sum(y), and compares every element with
 * (f(v + h) - f(v - h)) / 2h, h = 1e-6: |analytic - numeric| <= tol * (1 + |numeric|).
 * Inputs listed in no_grad (bit i) are fed but not differentiated (e.g. integer-valued
 * or index inputs built inside `build` as Consts instead). */
#ifndef TFC_TESTS_GRADCHECK_H_
#define TFC_TESTS_GRADCHECK_H_
#include <stdint.h>
#include "tfc/c_api.h"

#define GRADCHECK_MAX_X 4

typedef struct gradcheck_case {
    const char *name;
    int nx;
    int rank[GRADCHECK_MAX_X];
    int64_t dims[GRADCHECK_MAX_X][6];
    TF_Output (*build)(TF_Graph *g, TF_Output *x, TF_Status *s); /* returns y */
    double lo, hi;       /* magnitude range of random inputs; 0, 0 means [0.5, 1.5] */
    int positive_only;   /* inputs > 0 (for Log, Sqrt, ...) */
    double tol;          /* 0 means 1e-6 */
} gradcheck_case;

/* Returns 0 when every gradient matches, else prints the first mismatch and returns 1. Seeded
 * by `seed` for reproducible inputs. */
int gradcheck_run(const gradcheck_case *c, unsigned seed);

/* Graph-building helpers for the cases' build functions: a unique "<base>_<n>" name (static
 * buffer, valid until the next call) and one- and two-input ops named after their type. */
const char *gradcheck_name(const char *base);
TF_Output gradcheck_op1(TF_Graph *g, const char *type, TF_Output a, TF_Status *s);
TF_Output gradcheck_op2(TF_Graph *g, const char *type, TF_Output a, TF_Output b, TF_Status *s);

#endif
