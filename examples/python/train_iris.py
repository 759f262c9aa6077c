#!/usr/bin/env python3
"""train_iris: trains a 4-10-10-3 ReLU network on Fisher's Iris data from Python through tfc.py.

The graph is built with tfc.py's op builder: placeholders for features and labels, three dense
layers whose weights are resource variables (Glorot-uniform values drawn here with a seeded
random.Random, so runs repeat exactly), sparse softmax cross-entropy, and an Adam step made by
TFC_AddTrainStep. Training is full-batch on examples/iris/data/iris_training.csv; the test
accuracy on iris_test.csv is printed, and the exit status is nonzero when it is below 0.93.
The CSVs (TensorFlow's format) start with a header "<rows>,<features>,<class names...>".

    python3 train_iris.py [--steps N] [--optimizer adam] [--learning-rate 0.01] [--data DIR]
"""
import argparse
import csv
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfc  # noqa: E402

DEFAULT_DATA = os.environ.get("TFC_IRIS_DATA") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "iris", "data")
MIN_ACCURACY = 0.93
# Three flowers from TensorFlow's premade-estimator tutorial, one per class.
SAMPLES = ([5.1, 3.3, 1.7, 0.5], [5.9, 3.0, 4.2, 1.5], [6.9, 3.1, 5.4, 2.1])
SAMPLE_LABELS = (0, 1, 2)


def load_csv(path):
    """(features as a list of 4-float rows, labels as ints, class names)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    n, nfeat, names = int(rows[0][0]), int(rows[0][1]), rows[0][2:]
    data = [r for r in rows[1:] if r]
    if len(data) != n:
        raise ValueError("%s: header says %d rows, found %d" % (path, n, len(data)))
    x = [[float(v) for v in r[:nfeat]] for r in data]
    y = [int(r[nfeat]) for r in data]
    if any(not 0 <= k < len(names) for k in y):
        raise ValueError("%s: label out of range" % path)
    return x, y, names


def dense(g, rng, x, n_in, n_out, name, activation=None):
    """x W + b with W Glorot-uniform and b zero; returns (output, [variables])."""
    lim = math.sqrt(6.0 / (n_in + n_out))
    w = g.variable([[rng.uniform(-lim, lim) for _ in range(n_out)] for _ in range(n_in)],
                   tfc.float32, name=name + "/kernel")
    b = g.variable([0.0] * n_out, tfc.float32, name=name + "/bias")
    y = g.op("BiasAdd", [g.op("MatMul", [x, w.value], name=name + "/MatMul"), b.value], name=name + "/BiasAdd")[0]
    if activation:
        y = g.op(activation, [y], name=name + "/" + activation)[0]
    return y, [w, b]


def build(seed=1):
    g = tfc.Graph()
    rng = random.Random(seed)
    x = g.placeholder(tfc.float32, shape=[None, 4], name="features")
    y = g.placeholder(tfc.int32, shape=[None], name="labels")
    h1, v1 = dense(g, rng, x, 4, 10, "hidden1", "Relu")
    h2, v2 = dense(g, rng, h1, 10, 10, "hidden2", "Relu")
    logits, v3 = dense(g, rng, h2, 10, 3, "logits")
    xent = g.op("SparseSoftmaxCrossEntropyWithLogits", [logits, y], name="xent")[0]
    loss = g.op("Mean", [xent, g.constant([0], name="batch_axis")], name="loss")[0]
    pred = g.op("ArgMax", [logits, g.constant(1, name="class_axis")], {"output_type": tfc.int32},
                name="predictions")[0]
    right = g.op("Cast", [g.op("Equal", [pred, y])], {"DstT": tfc.float32}, name="right")[0]
    accuracy = g.op("Mean", [right, g.constant([0], name="acc_axis")], name="accuracy")[0]
    probs = g.op("Softmax", [logits], name="probabilities")[0]
    return dict(graph=g, x=x, y=y, loss=loss, pred=pred, accuracy=accuracy, probs=probs,
                variables=v1 + v2 + v3)


def as_feed(rows):
    """NumPy arrays when tfc.py uses NumPy (fed without a copy), else the lists themselves."""
    if tfc.HAVE_NUMPY:
        import numpy as np
        return np.asarray(rows, dtype=np.float32 if isinstance(rows[0], list) else np.int32)
    return rows


def train(data_dir=DEFAULT_DATA, steps=300, optimizer="adam", learning_rate=0.02, seed=1, verbose=True):
    """Trains and evaluates; returns a dict of results (accuracy, losses, sample predictions)."""
    tx, ty, names = load_csv(os.path.join(data_dir, "iris_training.csv"))
    ex, ey, _ = load_csv(os.path.join(data_dir, "iris_test.csv"))
    m = build(seed)
    g = m["graph"]
    step, init_slots = g.train_step(m["loss"], m["variables"], optimizer, learning_rate)
    train_feed = {m["x"]: as_feed(tx), m["y"]: as_feed(ty)}
    losses = []
    with tfc.Session(g) as sess:
        sess.run(targets=[v.initializer for v in m["variables"]])
        if init_slots is not None:
            sess.run(targets=[init_slots])
        for i in range(steps):
            loss, _ = sess.run([m["loss"], step], train_feed)
            losses.append(float(loss))
            if verbose and (i % 50 == 0 or i == steps - 1):
                print("step %4d  loss %.4f" % (i, losses[-1]))
        acc = float(sess.run(m["accuracy"], {m["x"]: as_feed(ex), m["y"]: as_feed(ey)}))
        pred, probs = sess.run([m["pred"], m["probs"]], {m["x"]: as_feed(list(SAMPLES))})
    pred = [int(p) for p in pred]
    if verbose:
        print("test accuracy %.3f (%d examples)" % (acc, len(ey)))
        for s, p, pr, want in zip(SAMPLES, pred, probs, SAMPLE_LABELS):
            print("%-22s -> %-10s (p = %.3f; expected %s)" % (s, names[p], float(pr[p]), names[want]))
    g.close()
    return dict(accuracy=acc, losses=losses, predictions=pred, names=names)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="directory with iris_training.csv and iris_test.csv")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--optimizer", default="adam")
    ap.add_argument("--learning-rate", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print("tfc %s (%s), NumPy %s" % (tfc.version(), tfc.library_path, "yes" if tfc.HAVE_NUMPY else "no"))
    r = train(args.data, args.steps, args.optimizer, args.learning_rate, args.seed)
    if r["accuracy"] < MIN_ACCURACY:
        print("FAIL: test accuracy %.3f < %.2f" % (r["accuracy"], MIN_ACCURACY), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
