# Verilator testbenches of single rtl_templates/ modules (tb/stream, tb/accel_units).
#
# fwmac_unit_tb(NAME TOP module RTL files... SOURCES testbench.cpp... [PARAMS NAME=VALUE...]
#               [DEFINES NAME=VALUE...] [LINK library targets...] [INCLUDES dirs...]
#               [DEPENDS files...] [VFLAGS verilator options...])
# builds ${CMAKE_CURRENT_BINARY_DIR}/NAME/tb from the RTL (top TOP, every PARAMS entry as
# -GNAME=VALUE) and the C++ sources (every PARAMS and DEFINES entry as -DTB_NAME=VALUE),
# with -Wall, the testbench's own directory, the project root and INCLUDES on the include
# path, linked with the LINK libraries (e.g. fwmac_compiler fwmac_golden, then fmt), and
# records the binary for fwmac_unit_tb_target.
# Builds with one job: the machine is shared.
find_program(VERILATOR verilator REQUIRED)

function(fwmac_unit_tb name)
  cmake_parse_arguments(PARSE_ARGV 1 unit "" "TOP" "RTL;SOURCES;PARAMS;DEFINES;LINK;INCLUDES;DEPENDS;VFLAGS")
  string(REPLACE "=" "" dir_name "${name}")  # make cannot take '=' in a path
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/${dir_name})
  set(binary ${out_dir}/tb)
  set(gparams)
  set(cflags "-std=c++17 -O1 -I${CMAKE_CURRENT_SOURCE_DIR} -I${PROJECT_SOURCE_DIR}")
  foreach(dir IN LISTS unit_INCLUDES)
    string(APPEND cflags " -I${dir}")
  endforeach()
  foreach(assignment IN LISTS unit_PARAMS)
    list(APPEND gparams -G${assignment})
    string(APPEND cflags " -DTB_${assignment}")
  endforeach()
  foreach(assignment IN LISTS unit_DEFINES)
    string(APPEND cflags " -DTB_${assignment}")
  endforeach()
  set(ldflags)
  set(link_targets)
  if(unit_LINK)
    foreach(library IN LISTS unit_LINK)
      string(APPEND ldflags "$<TARGET_FILE:${library}> ")
      list(APPEND link_targets ${library})
    endforeach()
    string(APPEND ldflags "-lfmt")
    set(ldflags -LDFLAGS ${ldflags})
  endif()
  add_custom_command(
    OUTPUT ${binary}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${out_dir}/obj
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}/obj
    COMMAND ${VERILATOR} --cc --exe --build -j 1 -Wall --no-timing --x-assign unique --x-initial unique
            ${unit_VFLAGS} --top-module ${unit_TOP} --prefix Vdut -Mdir ${out_dir}/obj -o ${binary} ${gparams}
            -CFLAGS ${cflags} ${ldflags} ${unit_RTL} ${unit_SOURCES}
    DEPENDS ${unit_RTL} ${unit_SOURCES} ${unit_DEPENDS} ${link_targets}
    COMMENT "Verilating ${name}"
    VERBATIM)
  set_property(DIRECTORY APPEND PROPERTY FWMAC_UNIT_TB_BINARIES ${binary})
  set(${name}_TB ${binary} PARENT_SCOPE)
endfunction()

# fwmac_unit_tb_target(TARGET): one target building every testbench of this folder.
function(fwmac_unit_tb_target target)
  get_property(binaries DIRECTORY PROPERTY FWMAC_UNIT_TB_BINARIES)
  add_custom_target(${target} ALL DEPENDS ${binaries})
endfunction()

# fwmac_lint_unit(MODULE PARAMS_TEXT FILES...): ctest lint.<folder>.<module>.<params>,
# all three tools clean at one parameter set (tb/units/lint_unit.sh).
function(fwmac_lint_unit folder module params)
  string(REPLACE " " "_" suffix "${params}")
  if(suffix STREQUAL "")
    set(suffix defaults)
  endif()
  add_test(NAME lint.${folder}.${module}.${suffix}
           COMMAND ${PROJECT_SOURCE_DIR}/tb/units/lint_unit.sh lint ${module} "${params}" ${ARGN})
endfunction()

# fwmac_reject_unit(MODULE PARAMS_TEXT FILES...): ctest lint.<folder>.<module>.refuses_<params>.
function(fwmac_reject_unit folder module params)
  string(REPLACE " " "_" suffix "${params}")
  add_test(NAME lint.${folder}.${module}.refuses_${suffix}
           COMMAND ${PROJECT_SOURCE_DIR}/tb/units/lint_unit.sh reject ${module} "${params}" ${ARGN})
endfunction()
