# synonyms-data.cmake: turns data/synonymes.txt into a C array of its lines,
# so that libpvd carries its synonyms and reads no file at start-up.
# Run as: cmake -DIN=data/synonymes.txt -DOUT=synonyms-data.c -P synonyms-data.cmake
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(body "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  string(REPLACE "\\" "\\\\" line "${line}")
  string(REPLACE "\"" "\\\"" line "${line}")
  string(APPEND body "\t\"${line}\",\n")
endforeach()
file(WRITE "${OUT}.tmp"
"/* Generated from data/synonymes.txt by lib/synonyms-data.cmake: do not edit. */\n"
"#include <stddef.h>\n\n"
"const char *const pvdi_synonym_lines[] = {\n${body}\tNULL,\n};\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
