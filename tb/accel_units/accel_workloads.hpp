// The workloads tb_accel runs besides its seeded random layers, as the driver's AccelLayer
// with the golden outputs of the flow each comes from:
//   - a layer file (docs/layer_format.md, the same files the core testbench takes): its
//     weights, bit widths, requant parameters and input image as the file gives them; the
//     shell's outputs must equal `fwmac sim`'s values of the file (the golden model on the
//     file's own im2col GEMM, K ordered channel-major: an independent lowering);
//   - the digits CNN's conv layers (compiler/cnn.hpp): for each image each conv layer is
//     one layer through the shell; pooling and the classifier run on the host as in the
//     golden integer flow, and every layer's outputs must equal the golden flow's batched
//     GEMM of that layer on the same inputs.
// A layer the shell cannot take is refused with std::invalid_argument naming the reason.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/accel_driver.hpp"
#include "golden/shape.hpp"

namespace accel_tb {

// Runs one layer through the shell (all of the driver's runs) and returns its outputs
// [F][OH][OW], each run already checked against the driver's golden packet.
using ShellRunner = std::function<std::vector<std::int64_t>(const fwmac::AccelLayer&)>;

struct LayerFileWorkload {
    fwmac::AccelLayer layer;           // what the shell runs
    std::vector<std::int64_t> golden;  // `fwmac sim` of the file: [F][pixels]
    int pixels = 0;                    // the file's output pixels per filter (pixel_limit or OH * OW)
    int shell_rows = 0;                // output rows the shell computes (all, or those holding pixel_limit)
    fwmac::ConvShape file_conv;        // the file's layer (layer.conv has fewer input rows with pixel_limit)
};

// Reads a layer file for `shape`. With pixel_limit the shell runs only the output rows that
// hold the first pixels (the input cropped below the last row they read), so that a
// ResNet-18 layer file made for simulation at scale stays as small.
LayerFileWorkload load_layer_workload(const std::string& path, const fwmac::ArrayShape& shape);

// The shell's outputs [F][shell_rows * OW] against the file's golden values (throws naming
// the first differing filter and pixel).
void check_layer_workload(const LayerFileWorkload& workload, const std::vector<std::int64_t>& outputs);

struct CnnOptions {
    std::string model;  // model.json
    std::string scheme = "filterwise4";
    int images = 8;
};

struct CnnSummary {
    int images = 0;
    int correct = 0;         // classified correctly from the shell's conv outputs
    int golden_correct = 0;  // by the golden integer flow (fwmac e2e)
    int conv_layers = 0;     // per image
    double average_bits = 0.0;
};

// Runs the CNN's integer flow on the first `images` test images with every conv layer of
// every image through `run`; throws when a layer's outputs differ from the golden flow's.
CnnSummary run_cnn_workload(const CnnOptions& options, const fwmac::ArrayShape& shape, const ShellRunner& run);

// The checks a layer must pass before the shell can run it, beyond the driver's own (run
// plan, row groups): hardware im2col, K = kh * kw * ceil(Cin / L) * L within k_max,
// weight widths within Bmax, activations within A bits, not raw. Throws
// std::invalid_argument "<what>: <reason>".
void check_shell_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape, const std::string& what);

}  // namespace accel_tb
