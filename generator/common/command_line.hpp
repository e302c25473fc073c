// What the command lines of `fwmac` and the testbench `fwmac_tb` share on top of CLI11:
// strict integer options whose errors name the option and its allowed range, and one
// parse step that turns CLI11's errors into UsageError (exit code 2) and prints help.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace fwmac {

constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::uint64_t>::max();

// "" if `text` is a decimal integer in low..high, else what is wrong with it:
// "'x' is not a whole number (allowed range 1..16)", "0 is not in the allowed range
// 1..16 (what)". Only digits are accepted: no sign, no spaces, no hex, no exponent.
std::string integer_range_error(const std::string& text, std::uint64_t low, std::uint64_t high,
                                const std::string& meaning = "");

// A CLI11 check with integer_range_error; it runs on the text before CLI11 converts it,
// so a value never wraps or saturates (CLI11 itself turns "-1" into 2^64-1).
CLI::Validator integer_range(std::uint64_t low, std::uint64_t high, const std::string& meaning = "");

// The value of `text` for `option` (checked like integer_range), else UsageError
// "OPTION: ...". For ranges known only after parsing, and for list elements.
std::uint64_t parse_integer(const std::string& text, const std::string& option, std::uint64_t low,
                            std::uint64_t high, const std::string& meaning = "");

// --max-depth K of random layers (fwmac vectors, fwmac_tb): `requested` if it is at most
// the design's k_max (its 1..2^20 range is checked at parsing), else std::invalid_argument
// naming the range and `design_dir`; without it min(kDefaultMaxDepth, k_max).
constexpr std::uint64_t kDefaultMaxDepth = 96;
int random_max_depth(const std::optional<std::uint64_t>& requested, int k_max, const std::string& design_dir);

// A path option that must not be empty nor start with '=' (what `-o=DIR` gives).
CLI::Validator non_empty_path();

// Parses `args` (program arguments without argv[0]) into `app`. Returns false after
// printing the help of the verb `--help` was given for (exit code 0); on any parse error
// throws UsageError with CLI11's message and where to look ("(see 'fwmac generate --help')").
bool parse_command_line(CLI::App& app, std::vector<std::string> args, std::ostream& out);

}  // namespace fwmac
