# The ht-kiosk .deb (CPack, `cpack -G DEB` in the build dir or the `package` target): ht-kiosk and
# ht-admin, the compiled language packs and pictograms under /usr/share/ht-kiosk, the systemd unit,
# /etc/default/ht-kiosk, an example kiosk.conf and the maintainer scripts in image/package/.
# Included from the top-level CMakeLists.txt (CPack's settings must be set in the top scope).
set(htk_package_dir ${PROJECT_SOURCE_DIR}/image/package)
set(htk_units_dir ${PROJECT_SOURCE_DIR}/image/systemd)

install(TARGETS ht-admin RUNTIME DESTINATION bin)
install(DIRECTORY ${HTK_LOCALES_OUT}/ DESTINATION share/ht-kiosk/locales PATTERN ".compiled" EXCLUDE)
# (assets/CMakeLists.txt installs the pictograms to share/ht-kiosk/assets)
install(FILES ${htk_package_dir}/kiosk.conf.example DESTINATION share/ht-kiosk)
# /usr/lib/systemd/system: the package's units on Debian 12 (merged /usr: /lib is /usr/lib).
install(FILES ${htk_units_dir}/ht-kiosk.service DESTINATION lib/systemd/system)
install(FILES ${htk_units_dir}/ht-kiosk.default DESTINATION /etc/default RENAME ht-kiosk)

# Depends: the "# depends:" part of image/packages-runtime.txt (the one list), plus dpkg-shlibdeps.
file(STRINGS ${PROJECT_SOURCE_DIR}/image/packages-runtime.txt htk_runtime_lines)
set(htk_depends)
set(htk_in_depends OFF)
foreach(line IN LISTS htk_runtime_lines)
  if(line MATCHES "^# depends:")
    set(htk_in_depends ON)
  endif()
  string(REGEX REPLACE "#.*" "" line "${line}")
  string(STRIP "${line}" line)
  if(htk_in_depends AND line)
    list(APPEND htk_depends ${line})
  endif()
endforeach()
if(NOT htk_depends)
  message(FATAL_ERROR "image/packages-runtime.txt has no \"# depends:\" section for the .deb's Depends")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/image/packages-runtime.txt)
list(JOIN htk_depends ", " htk_depends)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ht-kiosk)
set(CPACK_PACKAGE_VENDOR "Health Trainer Kiosk")
set(CPACK_PACKAGE_CONTACT "Health Trainer Kiosk maintainers <kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "multilingual GP waiting-room kiosk for NHS health trainer referrals")
set(CPACK_PACKAGE_DESCRIPTION "A touchscreen where a patient, in their own language, refers themselves to
a health trainer or books a slot (ht-kiosk, run by ht-kiosk.service under cage), and the practice's
command line and desk app (ht-admin).")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ht-kiosk_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # RelWithDebInfo binaries: the debug info stays in the build tree
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${htk_depends}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${htk_package_dir}/postinst ${htk_package_dir}/prerm ${htk_package_dir}/postrm
                                       ${htk_package_dir}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
