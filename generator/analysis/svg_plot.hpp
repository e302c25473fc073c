// A minimal SVG line chart for benchmark results (no plotting dependency).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fwmac {

struct PlotSeries {
    std::string label;
    std::string color;  // any SVG colour
    std::vector<std::pair<double, double>> points;
};

std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<PlotSeries>& series);

}  // namespace fwmac
