// `fwmac e2e`: the digits CNN in float and quantized (uniform and filter-wise), every
// conv layer through the golden array model: accuracy, average bits and array cycles.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "generator/common/config.hpp"

namespace fwmac {

struct E2eOptions {
    std::string model_path;
    GeneratorConfig config;
    int images = 0;  // 0: the whole test set
    std::optional<std::string> json_path;
};

void run_e2e(const E2eOptions& options, std::ostream& out);

}  // namespace fwmac
