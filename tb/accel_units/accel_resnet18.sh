#!/usr/bin/env bash
# Every ResNet-18 conv layer, whole, through a generated accelerator shell: writes one layer
# file per layer ("resnet18:<layer>", the default bit distribution seeded per layer, a
# seeded image, relu) into WORK_DIR and runs tb_accel --layer on each; prints each layer's
# PASS/FAIL line and the time, and exits non-zero if any layer failed. Not in make test
# (about 40-90 s on the 16x16x8 shell; make accel-rtl runs it always ready, where every
# run's counters must equal the golden shell model's); the tests run four of the layers.
#   accel_resnet18.sh TB CONFIG.json WORK_DIR [TB_OPTIONS...]   (e.g. --always-ready)
set -euo pipefail
tb=$1; config=$2; work=$3; shift 3
mkdir -p "$work"
layers="conv1 layer1.0.conv1 layer1.0.conv2 layer1.1.conv1 layer1.1.conv2 layer2.0.conv1 layer2.0.conv2
        layer2.0.downsample layer2.1.conv1 layer2.1.conv2 layer3.0.conv1 layer3.0.conv2 layer3.0.downsample
        layer3.1.conv1 layer3.1.conv2 layer4.0.conv1 layer4.0.conv2 layer4.0.downsample layer4.1.conv1
        layer4.1.conv2"
seed=1; failed=0
for layer in $layers; do
  file=$work/resnet18_$layer.json
  printf '{"name": "resnet18_%s", "conv": "resnet18:%s", "weight_bits": {"distribution": "default", "seed": %d},
 "seed": %d, "output": "relu"}\n' "$layer" "$layer" "$seed" $((seed + 100)) > "$file"
  start=$(date +%s.%N)
  line=$("$tb" --config "$config" --layer "$file" "$@") || failed=$((failed + 1))
  end=$(date +%s.%N)
  echo "$line ($(awk "BEGIN { printf \"%.1f\", $end - $start }") s)"
  seed=$((seed + 1))
done
echo "$((20 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
