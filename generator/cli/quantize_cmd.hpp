// `fwmac quantize`: float weights (.npy) -> per-filter bit widths, scales and integer
// weights (compiler/quantize.hpp), written all-or-nothing as DIR/quantized.json and one
// DIR/<layer>.weights.npy per layer (compiler/quantized_file.hpp).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace fwmac {

int run_quantize(const std::vector<std::string>& args, std::ostream& out);

}  // namespace fwmac
