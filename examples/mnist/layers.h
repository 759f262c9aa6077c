/* layers: the convolutional network's layers, on top of ../common/graph.h. */
#ifndef MNIST_LAYERS_H_
#define MNIST_LAYERS_H_
#include "graph.h"

/* ReLU(Conv2D(x, W, SAME, stride 1) + b) with W [k, k, cin, cout] Glorot-initialised, b zeros. */
TF_Output conv_relu(gb *b, const char *name, TF_Output x, int k, int64_t cin, int64_t cout, int64_t seed,
                    int64_t seed2);
/* 2x2 max pooling with stride 2 (NHWC, VALID). */
TF_Output max_pool_2x2(gb *b, const char *name, TF_Output x);
/* Inverted dropout: x * mask / keep_prob with mask = floor(keep_prob + U[0, 1)), so each unit is kept
 * with probability keep_prob; keep_prob 1 (the default when not fed) is the identity. */
TF_Output dropout(gb *b, const char *name, TF_Output x, TF_Output keep_prob, int64_t seed, int64_t seed2);

#endif /* MNIST_LAYERS_H_ */
