#!/usr/bin/env bash
# example_mnist_smoke: the MLP and the CNN each train a bounded number of steps on the first 2,000
# images of Fashion-MNIST (Debian's dataset-fashion-mnist) or, failing that, of MNIST's test set
# under $TFC_SHARED_DATA/mnist-test; the logged loss must fall. Exit 77 (skip) with no data.
set -euo pipefail
mnist=$1 dir=$2
fm=/usr/share/datasets/fashion-mnist shared=${TFC_SHARED_DATA:-/nonexistent}/mnist-test
if [ -e "$fm/train-images-idx3-ubyte.gz" ] || [ -e "$fm/train-images-idx3-ubyte" ]; then
    data=(--data "$fm")
elif [ -e "$shared/t10k-images-idx3-ubyte.gz" ]; then
    data=(--data "$shared" --train-split t10k)
else
    echo "no MNIST-format data found; skipping"; exit 77
fi
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
for model in mlp cnn; do
    "$mnist" train --model $model "${data[@]}" --limit 2000 --batch 32 --steps 40 --log-every 10 \
        --epochs 1 --threads 2 --out $model | tee $model.log
    losses=$(awk '/ step .* loss /{for(i=1;i<=NF;i++) if($i=="loss") print $(i+1)}' $model.log)
    first=$(echo "$losses" | head -1) last=$(echo "$losses" | tail -1)
    echo "$model: loss $first -> $last"
    awk -v f="$first" -v l="$last" 'BEGIN{exit !(l < 0.8 * f)}' || { echo "$model: loss did not fall"; exit 1; }
    grep -q "^epoch 1: test accuracy\|^epoch 1: test loss" $model.log
done
echo "example_mnist_smoke: ok"
