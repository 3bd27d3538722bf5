# image/: the appliance's slower tiers as named targets, never part of `ctest` or `all`
# (see image/README.md). All need root and Debian's archive; each builds the .deb first with CPack.
#   image-rootfs-check  the root filesystem without a kernel, ldd of our binaries and
#                       systemd-analyze verify of our units inside it (run when image/ or the
#                       dependencies change; a few minutes with a warm package cache)
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
add_custom_target(image-rootfs-check
  COMMAND ${PROJECT_SOURCE_DIR}/image/build-rootfs --no-kernel --out ${htk_image_out}/rootfs-nokernel ${htk_image_deb_dir}
  COMMENT "root filesystem without a kernel; ldd and systemd-analyze verify inside it"
  USES_TERMINAL VERBATIM)
add_dependencies(image-rootfs-check image-deb)
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
