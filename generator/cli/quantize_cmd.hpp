// `fwmac quantize`: float weights (.npy) -> per-filter bit widths, scales and integer
// weights (compiler/quantize.hpp), written all-or-nothing as DIR/quantized.json and one
// DIR/<layer>.weights.npy per layer (compiler/quantized_file.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include "generator/cli/cli_args.hpp"

namespace fwmac {

// Adds the `quantize` verb to `app`; the runner quantizes once the command line is parsed.
VerbRunner add_quantize_verb(CLI::App& app);

}  // namespace fwmac
