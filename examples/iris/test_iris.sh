#!/usr/bin/env bash
# example_iris: `iris train` in a scratch directory (it exits nonzero below 0.93 test accuracy),
# then `iris predict` in a fresh process from the saved GraphDef and checkpoint must print the
# same predictions; a second training run with the same seed must print the same log (training is
# deterministic); predict must reject a missing model.
set -euo pipefail
iris=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
"$iris" train --out model | tee train.log
"$iris" predict --model model | tee predict.log
grep '^predict ' train.log > want
grep '^predict ' predict.log > got
[ "$(wc -l < want)" -eq 3 ] || { echo "train printed $(wc -l < want) predictions, want 3"; exit 1; }
diff want got || { echo "predict disagrees with train"; exit 1; }
for want in 'setosa (' 'versicolor (' 'virginica ('; do
    grep -qF -- "-> $want" want || { echo "no example predicted as ${want% (}"; exit 1; }
done
"$iris" train --out model2 | sed 's/model2/model/g' > train2.log
diff train.log train2.log || { echo "a second run with the same seed differs"; exit 1; }
if "$iris" predict --model no-such-model 2> err.log; then echo "predict without a model succeeded"; exit 1; fi
grep -q 'no-such-model' err.log
echo "example_iris: ok"
