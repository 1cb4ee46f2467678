# What `cmake --install` (and `make install`, `make package`) puts where, in the places Debian and
# the shells look by default:
#   bin/mfaenv                                      the program
#   share/man/man1/mfaenv.1, man5/mfaenv-config.5   the man pages (docs/man, written in roff)
#   share/bash-completion/completions/mfaenv        bash-completion loads it on first TAB
#   share/zsh/vendor-completions/_mfaenv            on Debian's zsh fpath
#   share/fish/vendor_completions.d/mfaenv.fish     fish's vendor completions
#   share/mfaenv/direnv/mfaenv.sh                   `mfaenv hook direnv`: direnv has no system
#                                                   library folder, so users link it into theirs
#   share/doc/mfaenv/                               README, the reference, the changelog
# The completions and the direnv library are made at build time by the built binary itself, so they
# always match the command table it was built with.
include(GNUInstallDirs)

set(MFAENV_GENERATED ${PROJECT_BINARY_DIR}/share)
# mfaenv_generated_text(OUTPUT ARGS...): OUTPUT is what `mfaenv ARGS...` prints.
function(mfaenv_generated_text output)
  add_custom_command(
    OUTPUT ${MFAENV_GENERATED}/${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${MFAENV_GENERATED}/${output} "-DCOMMAND=$<TARGET_FILE:mfaenv>;${ARGN}"
            -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
    DEPENDS mfaenv ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
    COMMENT "Generating ${output} with mfaenv ${ARGN}"
    VERBATIM)
  set_property(GLOBAL APPEND PROPERTY MFAENV_GENERATED_FILES ${MFAENV_GENERATED}/${output})
endfunction()

mfaenv_generated_text(direnv/mfaenv.sh hook direnv)
mfaenv_generated_text(completions/mfaenv.bash completion bash)
mfaenv_generated_text(completions/_mfaenv completion zsh)
mfaenv_generated_text(completions/mfaenv.fish completion fish)
get_property(_generated GLOBAL PROPERTY MFAENV_GENERATED_FILES)
add_custom_target(mfaenv_generated ALL DEPENDS ${_generated})

install(TARGETS mfaenv RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The credential server's HTTP module: mfaenv dlopen()s it from ../lib/mfaenv/ next to its bin folder.
install(TARGETS mfaenv_httplib LIBRARY DESTINATION lib/mfaenv)
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/mfaenv.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/mfaenv-config.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${MFAENV_GENERATED}/completions/mfaenv.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME mfaenv)
install(FILES ${MFAENV_GENERATED}/completions/_mfaenv DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${MFAENV_GENERATED}/completions/mfaenv.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${MFAENV_GENERATED}/direnv/mfaenv.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/mfaenv/direnv)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/reference.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
