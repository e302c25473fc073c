// fwmac: thin entry point; every error is reported here, once.
#include <fmt/format.h>

#include <iostream>

#include "generator/cli/cli.hpp"

int main(int argc, char** argv) {
    try {
        return fwmac::run_cli(std::vector<std::string>(argv + 1, argv + argc), std::cout);
    } catch (const fwmac::UsageError& error) {
        std::cerr << fmt::format("fwmac: usage error: {}\n", error.what());
        return 2;
    } catch (const std::exception& error) {
        std::cerr << fmt::format("fwmac: error: {}\n", error.what());
        return 1;
    }
}
