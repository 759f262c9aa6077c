/* model: the Iris classifier's graph — a 4-10-10-3 ReLU network with softmax cross-entropy loss
 * trained by Adam — and the names its ops carry, so that a process that imports the saved GraphDef
 * finds them again. */
#ifndef IRIS_MODEL_H_
#define IRIS_MODEL_H_
#include <tensorflow/c/c_api.h>

enum { IRIS_FEATURES = 4, IRIS_CLASSES = 3, IRIS_NAME_MAX = 32 };

typedef struct iris_model {
    TF_Graph *graph;
    TF_Output features;    /* "features": float [batch, 4] placeholder */
    TF_Output labels;      /* "labels": int32 [batch] placeholder */
    TF_Output probs;       /* "probabilities": softmax of the logits, [batch, 3] */
    TF_Output loss;        /* "loss": mean cross-entropy, a scalar */
    TF_Output accuracy;    /* "accuracy": fraction of the batch classified right */
    TF_Output class_names; /* "class_names": string [3] */
    TF_Operation *init;    /* "init": initialises the model's variables */
    TF_Operation *train;   /* one Adam step (training graph only) */
    TF_Operation *init_slots; /* initialises Adam's slots (training graph only) */
} iris_model;

/* Builds the training graph into m->graph (which the caller created). Weights start from Glorot
 * uniform values drawn with op seeds derived from seed. Returns 0, or 1 with status set. */
int iris_build(iris_model *m, const char names[IRIS_CLASSES][IRIS_NAME_MAX], long seed,
               double learning_rate, TF_Status *status);

/* Finds the ops of a model imported from a GraphDef (train stays NULL). 0, or 1 with status set. */
int iris_find(iris_model *m, TF_Status *status);

#endif /* IRIS_MODEL_H_ */
