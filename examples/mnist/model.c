/* model: the two MNIST models and their shared input and loss ops.
 *   mlp: 784-512-256-10, ReLU.
 *   cnn: conv 5x5x32 + ReLU, 2x2 max pool, conv 5x5x64 + ReLU, 2x2 max pool, dense 128 + ReLU,
 *        dropout, 10 logits.
 * Both take uint8 images scaled to [0, 1] in the graph, and are trained by Adam on the mean
 * sparse softmax cross-entropy. */
#include <stdio.h>

#include "layers.h"
#include "mnist.h"

enum { CNN_K = 5, CNN_C1 = 32, CNN_C2 = 64, CNN_HIDDEN = 128 };

static TF_Output reshape(gb *b, const char *name, TF_Output x, const int32_t *dims, int n)
{
    char sub[160];
    snprintf(sub, sizeof sub, "%s/shape", name);
    return gb_op2(b, "Reshape", name, x, gb_const_i32(b, sub, (int64_t[]){ n }, 1, dims));
}

static TF_Output mlp(gb *b, TF_Output x, long seed)
{
    x = reshape(b, "flatten", x, (int32_t[]){ -1, MNIST_PIXELS }, 2);
    x = gb_dense(b, "dense1", x, MNIST_PIXELS, 512, 1, seed, 1);
    x = gb_dense(b, "dense2", x, 512, 256, 1, seed, 2);
    return gb_dense(b, "logits", x, 256, MNIST_CLASSES, 0, seed, 3);
}

static TF_Output cnn(gb *b, TF_Output x, TF_Output keep_prob, long seed)
{
    x = reshape(b, "nhwc", x, (int32_t[]){ -1, MNIST_ROWS, MNIST_COLS, 1 }, 4);
    x = max_pool_2x2(b, "pool1", conv_relu(b, "conv1", x, CNN_K, 1, CNN_C1, seed, 1));
    x = max_pool_2x2(b, "pool2", conv_relu(b, "conv2", x, CNN_K, CNN_C1, CNN_C2, seed, 2));
    int32_t flat = (MNIST_ROWS / 4) * (MNIST_COLS / 4) * CNN_C2;
    x = reshape(b, "flatten", x, (int32_t[]){ -1, flat }, 2);
    x = gb_dense(b, "dense1", x, flat, CNN_HIDDEN, 1, seed, 3);
    x = dropout(b, "dropout", x, keep_prob, seed, 4);
    return gb_dense(b, "logits", x, CNN_HIDDEN, MNIST_CLASSES, 0, seed, 5);
}

/* loss = mean xent(logits, labels); correct = number of argmax(logits) == labels. */
static void loss_and_correct(gb *b, mnist_model *m, TF_Output logits)
{
    TF_Output labels = gb_cast(b, "labels/int32", m->labels, TF_INT32);
    TF_OperationDescription *d = gb_begin(b, "SparseSoftmaxCrossEntropyWithLogits", "xent");
    if (d) {
        TF_AddInput(d, logits);
        TF_AddInput(d, labels);
    }
    m->loss = gb_mean_all(b, "loss", gb_out(gb_finish(b, d)), 1);
    TF_Output axis = gb_const_i32(b, "predicted_class/axis", NULL, 0, (int32_t[]){ 1 });
    d = gb_begin(b, "ArgMax", "predicted_class");
    if (d) {
        TF_AddInput(d, logits);
        TF_AddInput(d, axis);
        TF_SetAttrType(d, "output_type", TF_INT32);
    }
    TF_Output right = gb_op2(b, "Equal", "correct/equal", gb_out(gb_finish(b, d)), labels);
    TF_Output zero_axis = gb_const_i32(b, "correct/axis", (int64_t[]){ 1 }, 1, (int32_t[]){ 0 });
    m->correct = gb_op2(b, "Sum", "correct", gb_cast(b, "correct/float", right, TF_FLOAT), zero_axis);
}

/* A scalar counter variable "epochs_done" (not trained) and the op that sets it from a feed. */
static void epoch_counter(gb *b, mnist_model *m)
{
    TF_Output read = gb_variable(b, "epochs_done", NULL, 0, gb_scalar_f32(b, "epochs_done/initial", 0));
    m->epochs_done = gb_placeholder(b, "epochs_done/value", TF_FLOAT, NULL, 0);
    TF_OperationDescription *d = gb_begin(b, "AssignVariableOp", "epochs_done/set");
    if (d) {
        TF_AddInput(d, b->vars[b->nvars - 1]);
        TF_AddInput(d, m->epochs_done);
    }
    m->set_epochs = gb_finish(b, d);
    m->epochs_read = read;
}

int mnist_build(mnist_model *m, const mnist_options *o, TF_Status *status)
{
    gb b;
    gb_init(&b, m->graph, status);
    m->images = gb_placeholder(&b, "images", TF_UINT8, (int64_t[]){ -1, MNIST_ROWS, MNIST_COLS }, 3);
    m->labels = gb_placeholder(&b, "labels", TF_UINT8, (int64_t[]){ -1 }, 1);
    TF_OperationDescription *d = gb_begin(&b, "PlaceholderWithDefault", "keep_prob");
    if (d) {
        TF_AddInput(d, gb_scalar_f32(&b, "keep_prob/default", 1));
        TF_SetAttrType(d, "dtype", TF_FLOAT);
        TF_SetAttrShape(d, "shape", NULL, 0);
    }
    m->keep_prob = gb_out(gb_finish(&b, d));
    TF_Output x = gb_cast(&b, "pixels", m->images, TF_FLOAT);
    x = gb_op2(&b, "Mul", "scaled", x, gb_scalar_f32(&b, "scaled/factor", 1.0f / 255));
    TF_Output logits = o->kind == MNIST_CNN ? cnn(&b, x, m->keep_prob, o->seed) : mlp(&b, x, o->seed);
    loss_and_correct(&b, m, logits);
    int trainable = b.nvars;
    epoch_counter(&b, m);
    m->init = gb_group(&b, "init", b.inits, b.nvars);
    if (!gb_ok(&b)) return 1;
    TFC_Optimizer opt;
    TFC_OptimizerDefaults(&opt, TFC_OPTIMIZER_ADAM, o->learning_rate);
    m->train = TFC_AddTrainStep(m->graph, m->loss, b.vars, trainable, &opt, "train", &m->init_slots, status);
    return TF_GetCode(status) != TF_OK;
}

static TF_Operation *find(TF_Graph *g, const char *name, TF_Status *status)
{
    TF_Operation *op = TF_GraphOperationByName(g, name);
    if (!op && TF_GetCode(status) == TF_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "the model's graph has no op '%s'", name);
        TF_SetStatus(status, TF_NOT_FOUND, msg);
    }
    return op;
}

int mnist_find(mnist_model *m, TF_Status *status)
{
    TF_SetStatus(status, TF_OK, "");
    m->images = gb_out(find(m->graph, "images", status));
    m->labels = gb_out(find(m->graph, "labels", status));
    m->keep_prob = gb_out(find(m->graph, "keep_prob", status));
    m->loss = gb_out(find(m->graph, "loss", status));
    m->correct = gb_out(find(m->graph, "correct", status));
    m->epochs_done = gb_out(find(m->graph, "epochs_done/value", status));
    m->epochs_read = gb_out(find(m->graph, "epochs_done/read", status));
    m->set_epochs = find(m->graph, "epochs_done/set", status);
    m->init = find(m->graph, "init", status);
    m->train = m->init_slots = NULL;
    return TF_GetCode(status) != TF_OK;
}
