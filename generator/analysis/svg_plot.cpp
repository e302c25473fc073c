#include "generator/analysis/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fwmac {
namespace {

constexpr double kWidth = 640, kHeight = 420, kLeft = 70, kRight = 180, kTop = 40, kBottom = 60;

struct Range {
    double low = 0, high = 1;
    double span() const { return high - low; }
};

Range axis_range(const std::vector<PlotSeries>& series, bool x_axis) {
    Range range{1e300, -1e300};
    for (const auto& s : series) {
        for (const auto& [x, y] : s.points) {
            const double v = x_axis ? x : y;
            range.low = std::min(range.low, v);
            range.high = std::max(range.high, v);
        }
    }
    if (!(range.high > range.low)) range = Range{range.low - 1, range.low + 1};
    if (!x_axis) range.low = std::min(range.low, 0.0);
    return range;
}

}  // namespace

std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<PlotSeries>& series) {
    const Range xr = axis_range(series, true), yr = axis_range(series, false);
    const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
    auto px = [&](double x) { return kLeft + (x - xr.low) / xr.span() * plot_w; };
    auto py = [&](double y) { return kTop + plot_h - (y - yr.low) / yr.span() * plot_h; };

    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" font-family=\"sans-serif\" "
        "font-size=\"12\">\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text x=\"{2}\" y=\"24\" font-size=\"15\">{3}</text>\n",
        kWidth, kHeight, kLeft, title);
    for (int tick = 0; tick <= 5; ++tick) {
        const double xv = xr.low + xr.span() * tick / 5, yv = yr.low + yr.span() * tick / 5;
        svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                           "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:.1f}</text>\n",
                           px(xv), kTop, kTop + plot_h, kTop + plot_h + 16, xv);
        svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
                           "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.1f}</text>\n",
                           kLeft, py(yv), kLeft + plot_w, kLeft - 6, py(yv) + 4, yv);
    }
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n",
                       kLeft, kTop, plot_w, plot_h);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", kLeft + plot_w / 2,
                       kHeight - 18, x_label);
    svg += fmt::format("<text transform=\"translate(18,{:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                       kTop + plot_h / 2, y_label);
    for (std::size_t i = 0; i < series.size(); ++i) {
        const PlotSeries& s = series[i];
        std::string points;
        for (const auto& [x, y] : s.points) points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
        svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", s.color,
                           points);
        for (const auto& [x, y] : s.points) {
            svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", px(x), py(y), s.color);
        }
        const double ly = kTop + 14 + 20.0 * static_cast<double>(i);
        svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
                           "stroke-width=\"2\"/><text x=\"{4:.1f}\" y=\"{5:.1f}\">{6}</text>\n",
                           kLeft + plot_w + 10, ly, kLeft + plot_w + 30, s.color, kLeft + plot_w + 35, ly + 4,
                           s.label);
    }
    return svg + "</svg>\n";
}

}  // namespace fwmac
