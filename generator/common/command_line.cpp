#include "generator/common/command_line.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "generator/common/errors.hpp"

namespace fwmac {

std::string integer_range_error(const std::string& text, std::uint64_t low, std::uint64_t high,
                                const std::string& meaning) {
    const std::string note = meaning.empty() ? "" : fmt::format(" ({})", meaning);
    std::uint64_t value = 0;
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!digits || error == std::errc::invalid_argument || end != text.data() + text.size()) {
        return fmt::format("'{}' is not a whole number (allowed range {}..{}{})", text, low, high, note);
    }
    if (error == std::errc::result_out_of_range || value < low || value > high) {
        return fmt::format("{} is not in the allowed range {}..{}{}", text, low, high, note);
    }
    return "";
}

CLI::Validator integer_range(std::uint64_t low, std::uint64_t high, const std::string& meaning) {
    return CLI::Validator(
        [low, high, meaning](std::string& text) { return integer_range_error(text, low, high, meaning); },
        fmt::format("{}..{}", low, high));
}

std::uint64_t parse_integer(const std::string& text, const std::string& option, std::uint64_t low,
                            std::uint64_t high, const std::string& meaning) {
    const std::string error = integer_range_error(text, low, high, meaning);
    if (!error.empty()) throw UsageError(fmt::format("{}: {}", option, error));
    return std::stoull(text);
}

int random_max_depth(const std::optional<std::uint64_t>& requested, int k_max, const std::string& design_dir) {
    const auto limit = static_cast<std::uint64_t>(k_max);
    if (!requested) return static_cast<int>(std::min(kDefaultMaxDepth, limit));
    const std::string error = integer_range_error(std::to_string(*requested), 1, limit,
                                                  fmt::format("k_max of the design in '{}'", design_dir));
    if (!error.empty()) throw std::invalid_argument("--max-depth: " + error);
    return static_cast<int>(*requested);
}

CLI::Validator non_empty_path() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (text.empty()) return "the path is empty";
            // "-o=DIR" gives "=DIR": short options take "-o DIR" (or --out=DIR)
            if (text[0] == '=') return fmt::format("'{}' starts with '=' (write -o VALUE or --out=VALUE)", text);
            return "";
        },
        "");
}

bool parse_command_line(CLI::App& app, std::vector<std::string> args, std::ostream& out) {
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return false;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return false;
    } catch (const CLI::ParseError& error) {
        std::string command = app.get_name();
        for (const CLI::App* verb = &app; !verb->get_subcommands().empty();) {
            verb = verb->get_subcommands().front();
            command += " " + verb->get_name();
        }
        throw UsageError(fmt::format("{} (see '{} --help')", error.what(), command));
    }
    return true;
}

}  // namespace fwmac
