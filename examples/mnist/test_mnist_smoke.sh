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
# --resume: one epoch, then a resumed second one, must end exactly where two epochs in one run end
# (weights, Adam slots, epoch counter and shuffle order all come back); `mnist eval` in a fresh
# process must then report the accuracy that training printed after epoch 2.
small=("${data[@]}" --limit 640 --batch 32 --threads 2)
"$mnist" train --model mlp "${small[@]}" --epochs 2 --out straight | tee straight.log
"$mnist" train --model mlp "${small[@]}" --epochs 1 --out resumed >/dev/null
"$mnist" train --model mlp "${small[@]}" --epochs 2 --out resumed --resume | tee resume.log
grep -q "^resuming from resumed/.* after epoch 1$" resume.log || { echo "resume: did not restore epoch 1"; exit 1; }
grep -q "^epoch 1:" resume.log && { echo "resume: ran epoch 1 again"; exit 1; }
epoch2() { grep "^epoch 2: test" "$1" | sed 's/, [0-9]* samples.*//'; }
echo "straight: $(epoch2 straight.log)"; echo "resumed:  $(epoch2 resume.log)"
[ -n "$(epoch2 straight.log)" ] && [ "$(epoch2 straight.log)" = "$(epoch2 resume.log)" ] ||
    { echo "resume: epoch 2 differs from the uninterrupted run"; exit 1; }
trained=$(epoch2 resume.log | awk '{print $NF}')
"$mnist" eval --out resumed "${data[@]}" --limit 640 --threads 2 | tee eval.log
evaluated=$(awk '/^mnist eval: .* after 2 epoch/{print $NF}' eval.log)
echo "accuracy after epoch 2: trained $trained, evaluated $evaluated"
[ "$trained" = "$evaluated" ] || { echo "eval: accuracy differs from training's"; exit 1; }
echo "example_mnist_smoke: ok"
