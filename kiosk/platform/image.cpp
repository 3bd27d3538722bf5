// PNG output with stb_image_write (Debian's libstb ships the implementation).
#include "platform/image.h"

#include <stb_image_write.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace htk::platform {

core::Result<void> WritePng(const Image& image, const std::filesystem::path& file) {
    if (image.width <= 0 || image.height <= 0 ||
        image.rgba.size() != static_cast<std::size_t>(image.width) * image.height * 4)
        return core::Fail(core::Errc::InvalidInput, file.string() + ": no image to write");
    auto temp = file;
    temp += ".partial";
    errno = 0;
    if (!stbi_write_png(temp.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4)) {
        const std::string why = errno ? std::strerror(errno) : "write failed";
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        return core::Fail(core::Errc::Io, file.string() + ": " + why);
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        return core::Fail(core::Errc::Io, file.string() + ": " + ec.message());
    }
    return {};
}

}  // namespace htk::platform
