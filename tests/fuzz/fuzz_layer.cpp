// libFuzzer harness for layer files: any JSON must either give a layer that passes
// validate_layer, or be rejected with std::invalid_argument naming a `layer.` field.
// Conv shapes whose data would exceed ~1M values are skipped (legal, just slow).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "compiler/json_file.hpp"
#include "compiler/layer_file.hpp"

namespace {

bool too_large(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("conv") || !json.at("conv").is_object()) return false;
    const nlohmann::json& conv = json.at("conv");
    double cells = 1.0;
    for (const char* key : {"in_channels", "height", "width", "out_channels", "kernel"}) {
        if (conv.contains(key) && conv.at(key).is_number()) cells *= std::max(1.0, conv.at(key).get<double>());
    }
    return cells > 1e6;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nlohmann::json json;
    try {
        json = fwmac::parse_json_text(text, "layer file 'fuzz'", "layer");
    } catch (const fwmac::JsonFileError&) {
        return 0;  // malformed JSON, a repeated key, an overflowing number: reported before parsing the layer
    }
    if (too_large(json)) return 0;
    fwmac::ArrayShape shape;
    shape.rows = shape.cols = 4;
    shape.lanes = 4;
    shape.k_max = 1024;
    try {
        const fwmac::LayerFile file = fwmac::parse_layer_json(json, shape);
        fwmac::validate_layer(file.layer, shape);
    } catch (const std::invalid_argument& error) {
        if (std::string(error.what()).find("layer") == std::string::npos) {
            std::cerr << "error message does not name a layer field: " << error.what() << "\n";
            std::abort();
        }
    }
    return 0;
}
