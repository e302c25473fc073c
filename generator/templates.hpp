// The RTL templates of rtl_templates/, embedded into the binary at build time.
#pragma once

#include <string>
#include <vector>

namespace fwmac {

struct RtlTemplate {
    const char* file_name;  // e.g. "fwmac_pe_acc.v"
    const char* text;
};

// Sorted by file name.
const std::vector<RtlTemplate>& rtl_templates();

}  // namespace fwmac
