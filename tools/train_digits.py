#!/usr/bin/python3
"""Train a tiny conv net on the scikit-learn 8x8 digits and export it for the fwmac flow.

Not part of `make test`. Needs Debian's python3-torch, python3-sklearn and python3-numpy;
run it with the Debian interpreter:

    /usr/bin/python3 tools/train_digits.py [--out examples/digits]

Network (only op types the fwmac flow supports: conv+bias+ReLU run on the MAC array as
GEMM via im2col with zero padding; 2x2/2 max-pooling, flatten and the linear classifier
run on the host):

    input   1x8x8, raw pixel integers 0..16 times INPUT_SCALE = 1/16
    conv1   1->8   3x3 pad 1 + bias, ReLU          -> 8x8x8
    conv2   8->16  3x3 pad 1 + bias, ReLU          -> 16x8x8
    pool1   2x2 max, stride 2                      -> 16x4x4
    conv3   16->32 3x3 pad 1 + bias, ReLU          -> 32x4x4
    pool2   2x2 max, stride 2                      -> 32x2x2
    flatten (C, H, W order)                        -> 128
    fc      128->10 + bias                         -> logits

The integer flow feeds the raw integers 0..16 as unsigned activations with scale 1/16, so
the float net sees exactly those values divided by 16. Every conv output passes through a
ReLU, so all activations entering a conv layer are non-negative (unsigned).

Written files (all NumPy .npy, little-endian, C order) are listed in model.json. The run is
deterministic: fixed seeds, one thread, torch deterministic algorithms.
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile
import time

import numpy as np
import sklearn
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

SPLIT_SEED = 20240506
TORCH_SEED = 1234
TEST_COUNT = 360
INPUT_SCALE = 1.0 / 16.0
EPOCHS = 60
BATCH_SIZE = 32
LEARNING_RATE = 3e-3
CALIB_PER_CLASS = 10
REFERENCE_LOGIT_COUNT = 8
QUANT_BITS = (8, 4, 3)
PERCENTILE = 99.9

# (name, in_channels, out_channels, pool after the ReLU)
CONV_LAYERS = (
    ("conv1", 1, 8, False),
    ("conv2", 8, 16, True),
    ("conv3", 16, 32, True),
)
FC_IN = 32 * 2 * 2
CLASS_COUNT = 10


class DigitsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleDict(
            {name: nn.Conv2d(cin, cout, kernel_size=3, stride=1, padding=1, bias=True)
             for name, cin, cout, _ in CONV_LAYERS})
        self.fc = nn.Linear(FC_IN, CLASS_COUNT)

    def forward(self, x, relu_outputs=None):
        """relu_outputs: optional dict filled with each conv layer's ReLU output."""
        for name, _, _, pool_after in CONV_LAYERS:
            x = torch.relu(self.convs[name](x))
            if relu_outputs is not None:
                relu_outputs[name] = x
            if pool_after:
                x = nn.functional.max_pool2d(x, kernel_size=2, stride=2)
        return self.fc(torch.flatten(x, start_dim=1))


def make_deterministic():
    torch.manual_seed(TORCH_SEED)
    np.random.seed(TORCH_SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def to_input(raw_images):
    """uint8 [N,1,8,8] with values 0..16 -> float tensor scaled by INPUT_SCALE."""
    return torch.from_numpy(raw_images.astype(np.float32) * np.float32(INPUT_SCALE))


def load_split():
    digits = load_digits()
    raw = digits.images.astype(np.int64)
    if raw.min() < 0 or raw.max() > 16 or not np.array_equal(raw, digits.images):
        raise ValueError("load_digits: expected integer pixels in 0..16")
    images = raw.astype(np.uint8).reshape(-1, 1, 8, 8)
    labels = digits.target.astype(np.uint8)
    return train_test_split(images, labels, test_size=TEST_COUNT, random_state=SPLIT_SEED,
                            stratify=labels)


def train(model, train_images, train_labels):
    inputs = to_input(train_images)
    targets = torch.from_numpy(train_labels.astype(np.int64))
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    shuffle_generator = torch.Generator().manual_seed(TORCH_SEED)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(EPOCHS):
        order = torch.randperm(len(inputs), generator=shuffle_generator)
        epoch_loss = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(model(inputs[batch]), targets[batch])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(batch)
        scheduler.step()
        if epoch % 10 == 9 or epoch == EPOCHS - 1:
            print(f"epoch {epoch + 1:3d}  train loss {epoch_loss / len(inputs):.4f}")
    model.eval()


@torch.no_grad()
def accuracy(model, images, labels):
    predictions = model(to_input(images)).argmax(dim=1).numpy()
    return int((predictions == labels).sum())


@torch.no_grad()
def calibration_stats(model, train_images):
    relu_outputs = {}
    model(to_input(train_images), relu_outputs)
    stats = {}
    for name, _, _, _ in CONV_LAYERS:
        values = relu_outputs[name].numpy().astype(np.float64).ravel()
        stats[name] = {
            "relu_max": float(values.max()),
            "relu_p99_9": float(np.percentile(values, PERCENTILE)),
        }
    return stats


def pick_calibration_images(train_images, train_labels):
    """The first CALIB_PER_CLASS training images of each class, in training-set order."""
    chosen = np.concatenate(
        [np.flatnonzero(train_labels == digit)[:CALIB_PER_CLASS] for digit in range(CLASS_COUNT)])
    chosen.sort()
    return train_images[chosen], train_labels[chosen]


def quantize_symmetric(weights, bits):
    """Per-tensor symmetric max-abs uniform quantization to signed `bits`, levels +-(2^(b-1)-1)."""
    level_max = 2 ** (bits - 1) - 1
    step = weights.abs().max() / level_max
    return torch.clamp(torch.round(weights / step), -level_max, level_max) * step


@torch.no_grad()
def quantized_accuracies(model, test_images, test_labels):
    """Test accuracy with all conv and fc weights (not biases) quantized; float activations."""
    original = {name: p.detach().clone() for name, p in model.named_parameters()}
    results = {}
    for bits in QUANT_BITS:
        for name, parameter in model.named_parameters():
            if name.endswith(".weight"):
                parameter.copy_(quantize_symmetric(original[name], bits))
        correct = accuracy(model, test_images, test_labels)
        results[f"{bits}bit"] = {"correct": correct, "accuracy": correct / len(test_labels)}
    for name, parameter in model.named_parameters():
        parameter.copy_(original[name])
    return results


def write_atomically(path, write_contents):
    """Write via a temp file next to `path` and rename, so a failed run leaves no partial file."""
    handle, temp_path = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write_contents(stream)
        os.chmod(temp_path, 0o644)
        os.replace(temp_path, path)
    except BaseException:
        os.unlink(temp_path)
        raise


def save_npy(out_dir, file_name, array, dtype):
    typed = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    write_atomically(out_dir / file_name,
                     lambda stream: np.save(stream, typed, allow_pickle=False))
    return {"file": file_name, "dtype": typed.dtype.str, "shape": list(typed.shape)}


def export(model, out_dir, split, stats, test_correct, quant_results):
    train_images, test_images, train_labels, test_labels = split
    out_dir.mkdir(parents=True, exist_ok=True)
    f32 = np.float32
    layers = []
    saved_files = []
    for name, cin, cout, pool_after in CONV_LAYERS:
        conv = model.convs[name]
        weight = save_npy(out_dir, f"{name}_weight.npy", conv.weight.detach().numpy(), f32)
        bias = save_npy(out_dir, f"{name}_bias.npy", conv.bias.detach().numpy(), f32)
        saved_files.extend([weight, bias])
        layers.append({
            "name": name, "type": "conv2d", "in_channels": cin, "out_channels": cout,
            "kernel": [3, 3], "stride": 1, "padding": 1, "relu": True,
            "weight": weight["file"], "bias": bias["file"],
            "calibration": stats[name],
        })
        if pool_after:
            layers.append({"name": f"pool_after_{name}", "type": "maxpool2d",
                           "kernel": [2, 2], "stride": 2})
    layers.append({"name": "flatten", "type": "flatten", "order": "CHW"})
    fc_weight = save_npy(out_dir, "fc_weight.npy", model.fc.weight.detach().numpy(), f32)
    fc_bias = save_npy(out_dir, "fc_bias.npy", model.fc.bias.detach().numpy(), f32)
    saved_files.extend([fc_weight, fc_bias])
    layers.append({"name": "fc", "type": "linear", "in_features": FC_IN,
                   "out_features": CLASS_COUNT, "relu": False,
                   "weight": fc_weight["file"], "bias": fc_bias["file"]})

    calib_images, calib_labels = pick_calibration_images(train_images, train_labels)
    with torch.no_grad():
        reference_logits = model(to_input(test_images[:REFERENCE_LOGIT_COUNT])).numpy()
    saved_files.extend([
        save_npy(out_dir, "test_images.npy", test_images, np.uint8),
        save_npy(out_dir, "test_labels.npy", test_labels, np.uint8),
        save_npy(out_dir, "calib_images.npy", calib_images, np.uint8),
        save_npy(out_dir, "calib_labels.npy", calib_labels, np.uint8),
        save_npy(out_dir, "reference_logits.npy", reference_logits, f32),
    ])

    manifest = {
        "description": "Tiny conv net for the scikit-learn 8x8 digits, made by "
                       "tools/train_digits.py",
        "input": {
            "shape": [1, 8, 8],
            "pixel_range": [0, 16],
            "scale": INPUT_SCALE,
            "note": "the net sees raw pixel integers 0..16 times scale; the integer flow "
                    "feeds the integers as unsigned activations with this scale",
        },
        "layers": layers,
        "calibration": {
            "source": f"ReLU outputs on all {len(train_labels)} training images "
                      "(float model, scaled input)",
            "percentile": PERCENTILE,
            "stats": "per conv layer in layers[].calibration: relu_max and relu_p99_9 "
                     "(float, same units as the float net's activations)",
            "images": "calib_images.npy",
            "labels": "calib_labels.npy",
            "image_count": int(len(calib_labels)),
            "selection": f"first {CALIB_PER_CLASS} training images of each class, "
                         "in training-set order",
        },
        "data": {
            "dataset": "sklearn.datasets.load_digits",
            "split": "sklearn.model_selection.train_test_split(stratify=labels)",
            "split_seed": SPLIT_SEED,
            "train_count": int(len(train_labels)),
            "test_count": int(len(test_labels)),
            "test_images": "test_images.npy",
            "test_labels": "test_labels.npy",
        },
        "files": saved_files,
        "reference_logits": {
            "file": "reference_logits.npy",
            "note": f"float logits of test images 0..{REFERENCE_LOGIT_COUNT - 1}",
        },
        "float_test_accuracy": {"correct": test_correct, "total": int(len(test_labels)),
                                "accuracy": test_correct / len(test_labels)},
        "python_reference_accuracy": {
            "method": "every conv and fc weight tensor quantized per tensor, symmetric "
                      "max-abs, levels +-(2^(bits-1)-1); biases and activations float",
            "results": quant_results,
        },
        "training": {
            "torch_seed": TORCH_SEED, "epochs": EPOCHS, "batch_size": BATCH_SIZE,
            "optimizer": "Adam", "learning_rate": LEARNING_RATE, "schedule": "cosine",
        },
        "versions": {
            "python": sys.version.split()[0], "torch": torch.__version__,
            "sklearn": sklearn.__version__, "numpy": np.__version__,
        },
    }
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    write_atomically(out_dir / "model.json",
                     lambda stream: stream.write(manifest_text.encode("utf-8")))


def im2col_3x3_pad1(activations):
    """[N,C,H,W] -> [N, C*9, H*W] patches, zero padding 1, rows ordered (c, ky, kx)."""
    count, channels, height, width = activations.shape
    padded = np.pad(activations, ((0, 0), (0, 0), (1, 1), (1, 1)))
    patches = np.empty((count, channels, 3, 3, height, width), dtype=activations.dtype)
    for ky in range(3):
        for kx in range(3):
            patches[:, :, ky, kx] = padded[:, :, ky:ky + height, kx:kx + width]
    return patches.reshape(count, channels * 9, height * width)


def numpy_forward(out_dir, manifest, raw_images):
    """Float forward pass from the exported files only (no torch), conv as im2col GEMM."""
    x = raw_images.astype(np.float64) * manifest["input"]["scale"]
    for layer in manifest["layers"]:
        if layer["type"] == "conv2d":
            weight = np.load(out_dir / layer["weight"]).astype(np.float64)
            bias = np.load(out_dir / layer["bias"]).astype(np.float64)
            count, _, height, width = x.shape
            gemm = np.einsum("ok,nkp->nop", weight.reshape(weight.shape[0], -1),
                             im2col_3x3_pad1(x)) + bias[None, :, None]
            x = np.maximum(gemm, 0.0).reshape(count, -1, height, width)
        elif layer["type"] == "maxpool2d":
            count, channels, height, width = x.shape
            x = x.reshape(count, channels, height // 2, 2, width // 2, 2).max(axis=(3, 5))
        elif layer["type"] == "flatten":
            x = x.reshape(x.shape[0], -1)
        elif layer["type"] == "linear":
            weight = np.load(out_dir / layer["weight"]).astype(np.float64)
            bias = np.load(out_dir / layer["bias"]).astype(np.float64)
            x = x @ weight.T + bias
        else:
            raise ValueError(f"model.json: layers[].type '{layer['type']}' is not one of "
                             "conv2d, maxpool2d, flatten, linear")
    return x


def check_export(out_dir):
    """Re-read the exported files and check them against the manifest with numpy only."""
    manifest = json.loads((out_dir / "model.json").read_text())
    for entry in manifest["files"]:
        array = np.load(out_dir / entry["file"], allow_pickle=False)
        if array.dtype.str != entry["dtype"] or list(array.shape) != entry["shape"]:
            raise ValueError(f"{entry['file']}: dtype/shape {array.dtype.str} {array.shape} "
                             f"differ from model.json {entry['dtype']} {entry['shape']}")
    test_images = np.load(out_dir / manifest["data"]["test_images"])
    test_labels = np.load(out_dir / manifest["data"]["test_labels"])
    logits = numpy_forward(out_dir, manifest, test_images)
    reference = np.load(out_dir / manifest["reference_logits"]["file"])
    logit_error = float(np.abs(logits[:len(reference)] - reference).max())
    correct = int((logits.argmax(axis=1) == test_labels).sum())
    print(f"numpy check: max |logit - reference| {logit_error:.2e}, "
          f"test accuracy {correct}/{len(test_labels)}")
    if logit_error > 1e-4 or correct != manifest["float_test_accuracy"]["correct"]:
        raise ValueError(f"{out_dir}: numpy forward pass disagrees with the exported "
                         "reference logits or accuracy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_out = pathlib.Path(__file__).resolve().parent.parent / "examples" / "digits"
    parser.add_argument("--out", type=pathlib.Path, default=default_out,
                        help="output directory (default: examples/digits)")
    parser.add_argument("--check-only", action="store_true",
                        help="only re-check an existing export with a numpy forward pass")
    args = parser.parse_args()
    if args.check_only:
        check_export(args.out)
        return

    started = time.monotonic()
    make_deterministic()
    split = load_split()
    train_images, test_images, train_labels, test_labels = split
    print(f"train {len(train_labels)} images, test {len(test_labels)} images")

    model = DigitsNet()
    train(model, train_images, train_labels)
    test_correct = accuracy(model, test_images, test_labels)
    print(f"float test accuracy {test_correct}/{len(test_labels)} "
          f"= {100.0 * test_correct / len(test_labels):.2f}%")

    quant_results = quantized_accuracies(model, test_images, test_labels)
    for bits_name, result in quant_results.items():
        print(f"weights {bits_name:>5}: test accuracy {result['correct']}/{len(test_labels)} "
              f"= {100.0 * result['accuracy']:.2f}%")

    stats = calibration_stats(model, train_images)
    for name, layer_stats in stats.items():
        print(f"{name} ReLU max {layer_stats['relu_max']:.4f}  "
              f"p{PERCENTILE} {layer_stats['relu_p99_9']:.4f}")

    export(model, args.out, split, stats, test_correct, quant_results)
    check_export(args.out)
    print(f"wrote {args.out} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
