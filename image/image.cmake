# image/: the appliance's slower tiers as named targets, never part of `ctest` or `all`
# (see image/README.md). All need root and Debian's archive; each builds the .deb first with CPack.
#   image-rootfs-check  the root filesystem without a kernel, ldd of our binaries and
#                       systemd-analyze verify of our units inside it, then build-rootfs
#                       interrupted by SIGTERM (nothing left running, mounted or half-built);
#                       does nothing unless image/
#                       (the scripts, units and package lists) changed since it last passed
#                       (a few minutes with a warm package cache)
#   image-disk          the production disk image build/image/htk-kiosk.img
#   image-test          the opt-in boot test: the test disk image booted in QEMU (TCG, OVMF)
set(htk_image_deb_dir ${PROJECT_BINARY_DIR}/image-deb)
set(htk_image_out ${PROJECT_SOURCE_DIR}/build/image)
add_custom_target(image-deb
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${htk_image_deb_dir}
  COMMAND cpack -G DEB --config ${PROJECT_BINARY_DIR}/CPackConfig.cmake -B ${htk_image_deb_dir}
  COMMENT "ht-kiosk .deb for the image (CPack) in ${htk_image_deb_dir}"
  USES_TERMINAL VERBATIM)
add_dependencies(image-deb ht-kiosk ht-admin)
# Reruns only when something in image/ (scripts, units, package lists) or the build's CMake files
# change: a stamp records the last passing run. The .deb it installs is made afresh each time.
file(GLOB_RECURSE htk_image_inputs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/image/*)
list(FILTER htk_image_inputs EXCLUDE REGEX "__pycache__")
set(htk_rootfs_stamp ${PROJECT_BINARY_DIR}/image-rootfs-check.stamp)
add_custom_command(OUTPUT ${htk_rootfs_stamp}
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${htk_image_deb_dir}
  COMMAND cpack -G DEB --config ${PROJECT_BINARY_DIR}/CPackConfig.cmake -B ${htk_image_deb_dir}
  COMMAND ${PROJECT_SOURCE_DIR}/image/build-rootfs --no-kernel --out ${htk_image_out}/rootfs-nokernel ${htk_image_deb_dir}
  COMMAND ${PROJECT_SOURCE_DIR}/tests/image/interrupt_rootfs.sh ${htk_image_deb_dir} ${htk_image_out}
  COMMAND ${CMAKE_COMMAND} -E touch ${htk_rootfs_stamp}
  DEPENDS ${htk_image_inputs} ${PROJECT_SOURCE_DIR}/CMakeLists.txt ${PROJECT_SOURCE_DIR}/tests/image/interrupt_rootfs.sh
  COMMENT "root filesystem without a kernel; ldd and systemd-analyze verify inside it"
  USES_TERMINAL VERBATIM)
add_custom_target(image-rootfs-check DEPENDS ${htk_rootfs_stamp})
add_dependencies(image-rootfs-check ht-kiosk ht-admin)  # built first, but a new build alone reruns nothing
add_custom_target(image-disk
  COMMAND ${PROJECT_SOURCE_DIR}/image/build-rootfs --out ${htk_image_out}/rootfs ${htk_image_deb_dir}
  COMMAND ${PROJECT_SOURCE_DIR}/image/build-disk --rootfs ${htk_image_out}/rootfs --out ${htk_image_out}/htk-kiosk.img
  COMMENT "the kiosk's disk image ${htk_image_out}/htk-kiosk.img"
  USES_TERMINAL VERBATIM)
add_dependencies(image-disk image-deb)
add_custom_target(image-test
  COMMAND ${PROJECT_SOURCE_DIR}/image/test-image --deb-dir ${htk_image_deb_dir}
  COMMENT "boot test of the appliance in QEMU (several minutes under TCG)"
  USES_TERMINAL VERBATIM)
add_dependencies(image-test image-deb)
