# What `cmake --install` and the Debian package (scripts/package.sh, CPack DEB) put on a system:
# both programs, the .desktop file, icons in the hicolor sizes, AppStream metainfo, the man
# page, bash completion, the demo traffic, and the copyright file Debian policy asks for.
include(GNUInstallDirs)
set(app_id io.github.ratescope.RateScope)
set(pkg ${PROJECT_SOURCE_DIR}/resources/package)

install(TARGETS ratescope ratescope-gui RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${pkg}/${app_id}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
configure_file(${pkg}/${app_id}.metainfo.xml ${CMAKE_BINARY_DIR}/package/${app_id}.metainfo.xml @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/package/${app_id}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/ratescope.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${app_id}.svg)
install(FILES ${pkg}/ratescope.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ratescope)
install(FILES ${pkg}/ratescope.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ratescope-gui)
install(FILES ${PROJECT_SOURCE_DIR}/resources/demo/demo.ndjson.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ratescope)

# Icons: PNGs painted by the window's own icon code.
set(icon_sizes 16 22 24 32 48 64 128 256)
set(icon_dir ${CMAKE_BINARY_DIR}/package/icons)
set(icon_files)
foreach(size ${icon_sizes})
  list(APPEND icon_files ${icon_dir}/${size}x${size}/apps/${app_id}.png)
endforeach()
add_executable(makeicons ${PROJECT_SOURCE_DIR}/ui/tools/makeicons.cpp)
target_link_libraries(makeicons PRIVATE ratescope_ui ratescope_warnings)
add_custom_command(OUTPUT ${icon_files}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen $<TARGET_FILE:makeicons> ${icon_dir} ${icon_sizes}
    DEPENDS makeicons VERBATIM)

# The man page (with its version) and the Debian changelog, compressed as Debian wants them.
configure_file(${pkg}/ratescope.1 ${CMAKE_BINARY_DIR}/package/ratescope.1 @ONLY)
configure_file(${pkg}/changelog ${CMAKE_BINARY_DIR}/package/changelog @ONLY)
set(man_gz ${CMAKE_BINARY_DIR}/package/ratescope.1.gz)
set(changelog_gz ${CMAKE_BINARY_DIR}/package/changelog.gz)
add_custom_command(OUTPUT ${man_gz} ${changelog_gz}
    COMMAND gzip -9n -c ${CMAKE_BINARY_DIR}/package/ratescope.1 > ${man_gz}
    COMMAND gzip -9n -c ${CMAKE_BINARY_DIR}/package/changelog > ${changelog_gz}
    DEPENDS ${CMAKE_BINARY_DIR}/package/ratescope.1 ${CMAKE_BINARY_DIR}/package/changelog)
add_custom_target(package_files ALL DEPENDS ${icon_files} ${man_gz} ${changelog_gz})
foreach(size ${icon_sizes})
  install(FILES ${icon_dir}/${size}x${size}/apps/${app_id}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 RENAME ratescope-gui.1.gz)
# Debian's place for them is /usr/share/doc/<package> (CMAKE_INSTALL_DOCDIR would use the
# project's name, RateScope).
install(FILES ${changelog_gz} ${pkg}/copyright DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ratescope)

# CPack DEB: Depends computed from the binaries by dpkg-shlibdeps, never typed by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ratescope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "The RateScope developers <ratescope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see why API calls got HTTP 429")
# The synopsis is the summary; the description is the text under it (CPack joins them).
set(CPACK_PACKAGE_DESCRIPTION
"RateScope reads API logs (NDJSON response and tool-call logs, HAR files, nock,
 Betamax, VCR and PyGithub recordings), charts requests per minute against the
 limit, tells the platform's own limit apart from an upstream provider's, finds
 incidents and writes redacted reports, in a window or from the command line.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/ratescope/ratescope")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
