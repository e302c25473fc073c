// Template files embedded into the binary at build time (embed_templates.cmake).
#pragma once

#include <string>
#include <vector>

namespace fwmac {

struct RtlTemplate {
    const char* file_name;  // e.g. "fwmac_pe_acc.v"
    const char* text;
};

// rtl_templates/*.v, copied verbatim into rtl/. Sorted by file name.
const std::vector<RtlTemplate>& rtl_templates();

// rtl_templates/stream/*.v and rtl_templates/accel/*.v: the accelerator shell, copied
// into rtl/ for a config with a "system" section. Sorted by file name.
const std::vector<RtlTemplate>& accel_templates();

// constraints/*: SDC, PCF and synthesis/P&R/STA script templates with @KEY@ fields that
// generator/flows/synth_emit.cpp fills in. Sorted by file name.
const std::vector<RtlTemplate>& constraint_templates();

}  // namespace fwmac
