// Generator output: determinism, banners, filelist, report, and the all-or-nothing
// writer (including the CLI's "no partial output" on bad configs).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "generator/cli/cli.hpp"
#include "generator/common/config.hpp"
#include "generator/common/file_output.hpp"
#include "generator/design/design.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

using fwmac::testing::TempDir;

std::string read_text(const fs::path& file) {
    std::ifstream stream(file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

// The leading block of `//` lines of a Verilog file.
std::string leading_comment(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    std::string block;
    while (std::getline(lines, line) && line.rfind("//", 0) == 0) block += line + "\n";
    return block;
}

std::set<std::string> entries(const fs::path& directory) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) names.insert(entry.path().filename().string());
    return names;
}

fwmac::GeneratorConfig default_config() { return fwmac::parse_config(json::object()); }

fwmac::GeneratorConfig small_config() {
    return fwmac::parse_config(json{{"name", "small"}, {"rows", 4}, {"cols", 3}, {"lanes", 5}, {"k_max", 1000},
                                    {"pipeline", {{"tree_register_every", 1}}}});
}

}  // namespace

TEST_CASE("generate_design is deterministic and config-dependent", "[generator]") {
    const fwmac::FileSet first = fwmac::generate_design(default_config());
    const fwmac::FileSet second = fwmac::generate_design(default_config());
    CHECK(first == second);

    const fwmac::FileSet small = fwmac::generate_design(small_config());
    REQUIRE(first.count("rtl/fwmac_top.v") == 1);
    // every module and file of a design carries its config name as prefix
    REQUIRE(small.count("rtl/small_top.v") == 1);
    CHECK(small.count("rtl/fwmac_top.v") == 0);
    CHECK(small.count("small.f") == 1);
    CHECK(small.count("constraints/small.sdc") == 1);
    CHECK(small.count("constraints/small_up5k.pcf") == 1);
    CHECK(small.at("rtl/small_top.v").find("module small_top (") != std::string::npos);
    CHECK(small.at("rtl/small_top.v").find("small_ctrl #(") != std::string::npos);
    CHECK(small.at("rtl/small_top.v").find("fwmac_ctrl") == std::string::npos);
    CHECK(first.at("rtl/fwmac_top.v") != small.at("rtl/small_top.v"));

    // The documented outputs are all there.
    for (const char* path : {"rtl/fwmac_top.v", "rtl/fwmac_array.v", "rtl/fwmac_dot_tree.v", "fwmac.f",
                             "constraints/fwmac.sdc", "synth/synth_generic.ys", "report.json"}) {
        CAPTURE(path);
        CHECK(first.count(path) == 1);
    }
    // Every template in rtl_templates/ is copied to rtl/, except the PE accumulator of
    // the bit-parallel baseline (see test_bit_parallel.cpp) and the span control of
    // two-slot arrays, which only row_slots = 2 designs get.
    fwmac::GeneratorConfig two_slot_config = default_config();
    two_slot_config.shape.row_slots = 2;
    const fwmac::FileSet two_slots = fwmac::generate_design(two_slot_config);
    CHECK(two_slots.count("rtl/fwmac_row_slots.v") == 1);
    CHECK(two_slots.at("rtl/fwmac_top.v").find("cmd_spans_i") != std::string::npos);
    CHECK(first.at("rtl/fwmac_top.v").find("cmd_spans_i") == std::string::npos);
    const fs::path templates = fs::path(__FILE__).parent_path().parent_path() / "rtl_templates";
    if (fs::is_directory(templates)) {
        for (const auto& entry : fs::directory_iterator(templates)) {
            if (entry.path().extension() != ".v") continue;
            const std::string path = "rtl/" + entry.path().filename().string();
            CAPTURE(path);
            const bool other_design = path == "rtl/fwmac_pe_mac.v" || path == "rtl/fwmac_row_slots.v";
            CHECK(first.count(path) == (other_design ? 0 : 1));
        }
    } else {
        WARN("rtl_templates/ not found next to tests/; template copy check skipped");
    }
}

TEST_CASE("generated files carry the config hash and are listed", "[generator]") {
    for (const fwmac::GeneratorConfig& config : {default_config(), small_config()}) {
        const std::string hash = fwmac::config_hash(config);
        CAPTURE(config.name, hash);
        const fwmac::FileSet files = fwmac::generate_design(config);

        std::set<std::string> rtl_files;
        for (const auto& [path, text] : files) {
            if (path.rfind("rtl/", 0) != 0) continue;
            rtl_files.insert(path);
            CAPTURE(path);
            REQUIRE(text.rfind("// ", 0) == 0);
            const std::string banner = leading_comment(text);
            CHECK_THAT(banner, Contains("hash " + hash) && Contains("Generated by fwmac"));
        }
        CHECK(rtl_files.size() >= 8);
        CHECK_THAT(files.at("constraints/" + config.name + ".sdc"), Contains(hash));

        // <name>.f: its SPDX comment, then one rtl/ path per line, exactly the rtl/ files of the set.
        std::istringstream filelist(files.at(config.name + ".f"));
        std::set<std::string> listed;
        std::string line;
        REQUIRE(std::getline(filelist, line));
        CHECK(line == "// SPDX-License-Identifier: Apache-2.0");
        while (std::getline(filelist, line)) {
            if (!line.empty()) listed.insert(line);
        }
        CHECK(listed == rtl_files);

        // Every file names its licence: an SPDX line in its own comment syntax at its head
        // (behind the shebang of a script, the format tag of the FuseSoC core); JSON as a field.
        for (const auto& [path, text] : files) {
            CAPTURE(path);
            std::istringstream lines(text);
            std::string first, second;
            std::getline(lines, first);
            std::getline(lines, second);
            const bool after_first_line = first.rfind("#!", 0) == 0 || first == "CAPI=2:";
            const std::string spdx = after_first_line ? second : first;
            if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
                CHECK(nlohmann::json::parse(text).at("spdx_license_identifier") == "Apache-2.0");
            } else {
                CHECK_THAT(spdx, Contains("SPDX-License-Identifier: Apache-2.0"));
                CHECK(spdx.size() <= 48);  // the line names the licence and nothing else
            }
        }
    }
}

TEST_CASE("report.json parses and reports the derived widths", "[generator]") {
    SECTION("default config: |sum| <= 4608 * 2^7 * 255 = 150405120, in 2^27..2^28 -> ACC_W = 29") {
        const fwmac::GeneratorConfig config = default_config();
        const json report = json::parse(fwmac::generate_design(config).at("report.json"));
        CHECK(report.at("derived").at("acc_width") == 29);
        CHECK(report.at("derived").at("acc_width") == fwmac::acc_width(config.shape));
        CHECK(report.at("config_hash") == fwmac::config_hash(config));
        CHECK(report.at("config").at("rows") == 8);
    }
    SECTION("small config: |sum| <= 1000 * 2^7 * 255 = 32640000, in 2^24..2^25 -> ACC_W = 26") {
        const fwmac::GeneratorConfig config = small_config();
        const json report = json::parse(fwmac::generate_design(config).at("report.json"));
        CHECK(report.at("derived").at("acc_width") == 26);
        CHECK(report.at("derived").at("acc_width") == fwmac::acc_width(config.shape));
        // 5 lanes -> 3 tree levels, a register after every level -> latency 3.
        CHECK(report.at("derived").at("tree_levels") == 3);
        CHECK(report.at("derived").at("tree_latency") == 3);
        CHECK(report.at("resources").at("pe_count") == 12);
        CHECK(report.at("interfaces").at("w_plane_bits") == 20);
    }
    SECTION("one-bit weights, one-bit activations: the partial sum keeps a bit above the dot product") {
        // Bmax = 1, A = 1, L = 1 or 2: dot in 0..L fits DOT_W = 1 or 2 unsigned bits and p = -dot
        // fits as many signed bits, but fwmac_pe_acc needs PARTIAL_W > DOT_W (found by the
        // coverage config cov_1x1x1_b1, whose RTL failed to elaborate); L = 3 (dot 0..3, p
        // down to -3) needs the extra bit anyway.
        for (int lanes : {1, 2, 3}) {
            const fwmac::GeneratorConfig config = fwmac::parse_config(json{
                {"rows", 1}, {"cols", 1}, {"lanes", lanes}, {"act_bits", 1}, {"max_weight_bits", 1}, {"k_max", 64}});
            const json report = json::parse(fwmac::generate_design(config).at("report.json"));
            const int dot = lanes == 1 ? 1 : 2;
            CHECK(report.at("derived").at("dot_width") == dot);
            CHECK(report.at("derived").at("partial_width") == dot + 1);
        }
    }
}

TEST_CASE("write_file_set writes all-or-nothing and never clobbers foreign directories", "[generator][fs]") {
    const TempDir temp;
    const fwmac::FileSet files = fwmac::generate_design(small_config());

    SECTION("fresh directory: every file written, no staging left behind") {
        const fs::path out = temp.path() / "out";
        fwmac::write_file_set(files, out.string());
        for (const auto& [path, text] : files) {
            CAPTURE(path);
            REQUIRE(fs::is_regular_file(out / path));
            CHECK(read_text(out / path) == text);
        }
        CHECK(entries(temp.path()) == std::set<std::string>{"out"});
        // A directory written by fwmac may be regenerated in place.
        const fwmac::FileSet other = fwmac::generate_design(default_config());
        fwmac::write_file_set(other, out.string());
        CHECK(read_text(out / "rtl/fwmac_top.v") == other.at("rtl/fwmac_top.v"));
        CHECK(entries(temp.path()) == std::set<std::string>{"out"});
    }
    SECTION("the marker lists what fwmac wrote; its own files that a new set lacks go away") {
        const fs::path out = temp.path() / "out";
        fwmac::write_file_set({{"a.txt", "a"}, {"sub/b.txt", "b"}}, out.string());
        CHECK(read_text(out / ".fwmac-generated").find("\na.txt\nsub/b.txt\n") != std::string::npos);
        fwmac::write_file_set({{"a.txt", "A"}}, out.string());
        CHECK(entries(out) == std::set<std::string>{".fwmac-generated", "a.txt"});
        CHECK(read_text(out / "a.txt") == "A");
    }
    SECTION("files a user added to a fwmac directory make regeneration refuse, naming them") {
        const fs::path out = temp.path() / "out";
        fwmac::write_file_set(files, out.string());
        write_text(out / "notes.txt", "mine");
        write_text(out / "rtl" / "my_wrapper.v", "module w; endmodule\n");
        fs::create_directory(out / "runs");
        const std::string before = read_text(out / "rtl/fwmac_top.v");
        CHECK_THROWS_WITH(fwmac::write_file_set(fwmac::generate_design(default_config()), out.string()),
                          Contains("holds 3 files or folders fwmac did not write ('notes.txt', 'rtl/my_wrapper.v', "
                                   "'runs')"));
        CHECK(read_text(out / "notes.txt") == "mine");
        CHECK(read_text(out / "rtl/fwmac_top.v") == before);
        CHECK(entries(temp.path()) == std::set<std::string>{"out"});
        // files recorded as fwmac's (what `fwmac synth` does with its logs) are replaced
        fwmac::record_written_files(out.string(), {"notes.txt", "rtl/my_wrapper.v", "runs"});
        fwmac::write_file_set(files, out.string());
        CHECK_FALSE(fs::exists(out / "notes.txt"));
    }
    SECTION("a marker of an older fwmac (no list) counts the files of the new set as fwmac's") {
        const fs::path out = temp.path() / "out";
        fwmac::write_file_set(files, out.string());
        write_text(out / ".fwmac-generated", "written by fwmac generate; the whole directory is replaced on "
                                             "regeneration\n");
        fwmac::write_file_set(files, out.string());
        write_text(out / ".fwmac-generated", "written by fwmac generate\n");
        write_text(out / "extra.txt", "x");
        CHECK_THROWS_WITH(fwmac::write_file_set(files, out.string()), Contains("'extra.txt'"));
    }
    SECTION("temporary siblings of killed runs are removed, and only those") {
        const fs::path out = temp.path() / "out";
        // a PID that is surely not running: a child that has exited and been reaped
        const pid_t child = ::fork();
        if (child == 0) ::_exit(0);
        REQUIRE(child > 0);
        ::waitpid(child, nullptr, 0);
        const std::string dead = std::to_string(child), alive = std::to_string(::getppid());
        for (const std::string& name : {".out.fwmac-tmp-" + dead, ".out.fwmac-tmp-" + alive,
                                       ".other.fwmac-tmp-" + dead, ".out.fwmac-tmp-x" + dead,
                                       ".out.fwmac-tmp-" + dead + "0"}) {
            fs::create_directory(temp.path() / name);
            write_text(temp.path() / name / ".fwmac-generated", "");
        }
        fs::create_directory(temp.path() / ".out.fwmac-tmp-1");  // PID 1 runs
        write_text(temp.path() / (".out.fwmac-tmp-" + dead + "0") / "user.txt", "no marker-only folder");
        fs::remove(temp.path() / (".out.fwmac-tmp-" + dead + "0") / ".fwmac-generated");
        fwmac::write_file_set(files, out.string());
        CHECK(entries(temp.path()) == std::set<std::string>{"out", ".out.fwmac-tmp-" + alive,
                                                            ".other.fwmac-tmp-" + dead, ".out.fwmac-tmp-x" + dead,
                                                            ".out.fwmac-tmp-" + dead + "0", ".out.fwmac-tmp-1"});
    }
    SECTION("errors name the path as given, never the temporary one") {
        CHECK_THROWS_WITH(fwmac::write_file_set(files, ""), Contains("output directory '': the path is empty"));
        write_text(temp.path() / "plain", "x");
        const std::string below_file = (temp.path() / "plain" / "out").string();
        CHECK_THROWS_WITH(fwmac::write_file_set(files, below_file),
                          Contains("cannot write output directory '" + below_file + "': Not a directory") &&
                              !Contains("fwmac-tmp"));
        CHECK_THROWS_WITH(fwmac::write_file_atomically(below_file, "x"),
                          Contains("cannot write '" + below_file + "'") && !Contains("fwmac-tmp"));
    }
    SECTION("an existing empty directory is used") {
        const fs::path out = temp.path() / "empty";
        fs::create_directories(out);
        fwmac::write_file_set(files, out.string());
        CHECK(read_text(out / "report.json") == files.at("report.json"));
    }
    SECTION("an existing non-empty directory without the marker is refused and left untouched") {
        const fs::path out = temp.path() / "precious";
        fs::create_directories(out / "sub");
        write_text(out / "keep.txt", "precious data\n");
        write_text(out / "sub" / "notes.v", "module notes; endmodule\n");
        CHECK_THROWS_WITH(fwmac::write_file_set(files, out.string()), Contains("refusing"));
        CHECK(entries(out) == std::set<std::string>{"keep.txt", "sub"});
        CHECK(entries(out / "sub") == std::set<std::string>{"notes.v"});
        CHECK(read_text(out / "keep.txt") == "precious data\n");
        CHECK(read_text(out / "sub" / "notes.v") == "module notes; endmodule\n");
        CHECK(entries(temp.path()) == std::set<std::string>{"precious"});
    }
    SECTION("an existing regular file is refused and left untouched") {
        const fs::path out = temp.path() / "a_file";
        write_text(out, "not a directory");
        CHECK_THROWS(fwmac::write_file_set(files, out.string()));
        CHECK(read_text(out) == "not a directory");
    }
}

TEST_CASE("run_cli generate leaves no output on bad configs", "[generator][cli]") {
    const TempDir temp;
    const fs::path out = temp.path() / "out";
    std::ostringstream log;

    SECTION("malformed JSON") {
        const fs::path config = temp.path() / "malformed.json";
        write_text(config, "{ \"rows\": 4, ");
        CHECK_THROWS_WITH(fwmac::run_cli({"generate", config.string(), "-o", out.string()}, log),
                          Contains("malformed"));
        CHECK_FALSE(fs::exists(out));
    }
    SECTION("out-of-range field") {
        const fs::path config = temp.path() / "range.json";
        write_text(config, "{ \"rows\": 0 }");
        CHECK_THROWS_WITH(fwmac::run_cli({"generate", config.string(), "-o", out.string()}, log),
                          Contains("config.rows") && Contains("1..64"));
        CHECK_FALSE(fs::exists(out));
    }
    SECTION("unknown field") {
        const fs::path config = temp.path() / "unknown.json";
        write_text(config, "{ \"colums\": 4 }");
        CHECK_THROWS_WITH(fwmac::run_cli({"generate", config.string(), "-o", out.string()}, log),
                          Contains("colums"));
        CHECK_FALSE(fs::exists(out));
    }
    SECTION("a valid config writes the design (control case)") {
        const fs::path config = temp.path() / "good.json";
        write_text(config, "{ \"rows\": 2, \"cols\": 2, \"lanes\": 4 }");
        CHECK(fwmac::run_cli({"generate", config.string(), "-o", out.string()}, log) == 0);
        CHECK(fs::is_regular_file(out / "report.json"));
        CHECK(fs::is_regular_file(out / "rtl" / "fwmac_top.v"));
    }
    // No staging directory is left next to `out`, whether generation failed or not.
    for (const std::string& name : entries(temp.path())) {
        CAPTURE(name);
        CHECK(name.find("fwmac-tmp") == std::string::npos);
    }
}
