# Install rules, included from the top-level CMakeLists.txt:
#   include(packaging/install.cmake)
# `cmake --install build [--prefix /usr/local]` then lays out:
#   bin/portrait
#   lib/systemd/system/portrait.service
#   share/doc/portrait/{README.md, ARCHITECTURE.md, API.md, OPERATIONS.md, DECISIONS.md,
#                       nginx-portrait.conf}
include(GNUInstallDirs)

install(TARGETS portrait RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(FILES ${CMAKE_CURRENT_LIST_DIR}/portrait.service
        DESTINATION lib/systemd/system)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/nginx-portrait.conf
        ${PROJECT_SOURCE_DIR}/README.md
        ${PROJECT_SOURCE_DIR}/docs/ARCHITECTURE.md
        ${PROJECT_SOURCE_DIR}/docs/API.md
        ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
        ${PROJECT_SOURCE_DIR}/docs/DECISIONS.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
