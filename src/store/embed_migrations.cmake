# Writes OUTPUT, a C++ file defining portrait::store::EmbeddedMigrations() from the SQL files
# listed in SOURCES (a ';'-separated list, each named NNNN_description.sql), so the binary never
# reads the source tree at run time. Run at build time: cmake -DSOURCES=... -DOUTPUT=... -P this.
list(SORT SOURCES)
set(entries "")
foreach(source ${SOURCES})
  get_filename_component(name ${source} NAME_WE)
  if(NOT name MATCHES "^([0-9]+)_[a-z0-9_]+$")
    message(FATAL_ERROR "migration file name must look like 0001_description.sql: ${source}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ ${source} sql)
  if(sql MATCHES "\\)sql\"")
    message(FATAL_ERROR "${source} contains the raw string delimiter )sql\"")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"sql(${sql})sql\"},\n")
endforeach()

file(WRITE ${OUTPUT}.new "// Generated from src/store/migrations/*.sql by embed_migrations.cmake. Do not edit.
#include \"store/sqlite_migrations.h\"

namespace portrait::store {

std::span<const Migration> EmbeddedMigrations() {
  static constexpr Migration kMigrations[] = {
${entries}  };
  return kMigrations;
}

}  // namespace portrait::store
")
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.new)
