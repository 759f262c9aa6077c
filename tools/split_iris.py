#!/usr/bin/env python3
"""Split Fisher's Iris data (scikit-learn's iris.csv) 120/30 for examples/iris.

Standard library only. Stratified: each class's 50 rows are shuffled with
random.Random(SEED).shuffle (one generator, classes in order 0, 1, 2); the first
40 go to training, the last 10 to test. The two splits are then shuffled again
with the same generator so the classes are interleaved. Output is the
TensorFlow-tutorial CSV format: header "N,4,setosa,versicolor,virginica", then
rows "sepal_len,sepal_wid,petal_len,petal_wid,label".

Usage: tools/split_iris.py [SRC_CSV [OUT_DIR]]
  defaults: ../shared/data/iris/iris.csv (relative to the repo), examples/iris/data
"""
import os
import random
import sys

SEED = 20240601
TEST_PER_CLASS = 10


def read_iris(path):
    with open(path, newline="") as f:
        lines = [ln.strip() for ln in f if ln.strip()]
    head = lines[0].split(",")
    n, nfeat, names = int(head[0]), int(head[1]), head[2:]
    rows = [ln.split(",") for ln in lines[1:]]
    if len(rows) != n or any(len(r) != nfeat + 1 for r in rows):
        sys.exit("split_iris: %s: expected %d rows of %d fields" % (path, n, nfeat + 1))
    return names, rows


def split(rows, nclasses, rng):
    train, test = [], []
    for c in range(nclasses):
        cls = [r for r in rows if int(r[-1]) == c]
        rng.shuffle(cls)
        train += cls[:-TEST_PER_CLASS]
        test += cls[-TEST_PER_CLASS:]
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def write(path, names, rows):
    with open(path, "w", newline="\n") as f:
        f.write("%d,4,%s\n" % (len(rows), ",".join(names)))
        for r in rows:
            f.write(",".join(r) + "\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "..", "shared", "data", "iris", "iris.csv")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "examples", "iris", "data")
    names, rows = read_iris(src)
    train, test = split(rows, len(names), random.Random(SEED))
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "iris_training.csv"), names, train)
    write(os.path.join(out, "iris_test.csv"), names, test)
    print("split_iris: seed %d: %d training, %d test rows -> %s" % (SEED, len(train), len(test), out))


if __name__ == "__main__":
    main()
