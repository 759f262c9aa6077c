/* model: see model.h. */
#include "model.h"

#include <stdio.h>

#include "graph.h"

/* accuracy = mean(argmax(logits) == labels) */
static TF_Output accuracy(gb *b, TF_Output logits, TF_Output labels)
{
    TF_Output axis = gb_const_i32(b, "predicted_class/axis", NULL, 0, (int32_t[]){ 1 });
    TF_OperationDescription *d = gb_begin(b, "ArgMax", "predicted_class");
    if (d) {
        TF_AddInput(d, logits);
        TF_AddInput(d, axis);
        TF_SetAttrType(d, "output_type", TF_INT32);
    }
    TF_Output predicted = gb_out(gb_finish(b, d));
    TF_Output right = gb_op2(b, "Equal", "correct", predicted, labels);
    return gb_mean_all(b, "accuracy", gb_cast(b, "correct/float", right, TF_FLOAT), 1);
}

int iris_build(iris_model *m, const char names[IRIS_CLASSES][IRIS_NAME_MAX], long seed,
               double learning_rate, TF_Status *status)
{
    gb b;
    gb_init(&b, m->graph, status);
    const char *name_list[IRIS_CLASSES];
    for (int i = 0; i < IRIS_CLASSES; i++) name_list[i] = names[i];
    m->class_names = gb_const_strings(&b, "class_names", name_list, IRIS_CLASSES);
    m->features = gb_placeholder(&b, "features", TF_FLOAT, (int64_t[]){ -1, IRIS_FEATURES }, 2);
    m->labels = gb_placeholder(&b, "labels", TF_INT32, (int64_t[]){ -1 }, 1);

    TF_Output h = gb_dense(&b, "dense1", m->features, IRIS_FEATURES, 10, 1, seed, 1);
    h = gb_dense(&b, "dense2", h, 10, 10, 1, seed, 2);
    TF_Output logits = gb_dense(&b, "logits", h, 10, IRIS_CLASSES, 0, seed, 3);
    m->probs = gb_op1(&b, "Softmax", "probabilities", logits);

    TF_OperationDescription *d = gb_begin(&b, "SparseSoftmaxCrossEntropyWithLogits", "xent");
    if (d) {
        TF_AddInput(d, logits);
        TF_AddInput(d, m->labels);
    }
    m->loss = gb_mean_all(&b, "loss", gb_out(gb_finish(&b, d)), 1);
    m->accuracy = accuracy(&b, logits, m->labels);
    m->init = gb_group(&b, "init", b.inits, b.nvars);
    if (!gb_ok(&b)) return 1;

    TFC_Optimizer opt;
    TFC_OptimizerDefaults(&opt, TFC_OPTIMIZER_ADAM, learning_rate);
    m->train = TFC_AddTrainStep(m->graph, m->loss, b.vars, b.nvars, &opt, "train", &m->init_slots, status);
    return TF_GetCode(status) != TF_OK;
}

static TF_Output find(TF_Graph *g, const char *name, TF_Status *status)
{
    TF_Operation *op = TF_GraphOperationByName(g, name);
    if (!op && TF_GetCode(status) == TF_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "the model's graph has no op '%s'", name);
        TF_SetStatus(status, TF_NOT_FOUND, msg);
    }
    return (TF_Output){ op, 0 };
}

int iris_find(iris_model *m, TF_Status *status)
{
    TF_SetStatus(status, TF_OK, "");
    m->features = find(m->graph, "features", status);
    m->labels = find(m->graph, "labels", status);
    m->probs = find(m->graph, "probabilities", status);
    m->loss = find(m->graph, "loss", status);
    m->accuracy = find(m->graph, "accuracy", status);
    m->class_names = find(m->graph, "class_names", status);
    m->init = find(m->graph, "init", status).oper;
    m->train = m->init_slots = NULL;
    return TF_GetCode(status) != TF_OK;
}
