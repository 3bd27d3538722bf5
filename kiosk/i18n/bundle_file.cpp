// The .res format as ICU 72 reads it (uresdata.h/.cpp): a data header ("ResB", formatVersion 1-3),
// then 32-bit words: the root resource, indexes[], key strings, 16-bit units, 32-bit resources. A
// resource is type << 28 | offset; what each type's offset points at is checked below exactly as
// ICU's accessors would read it, so a bundle that passes cannot send ICU outside the file.
#include "i18n/bundle_file.h"

#include <stdlib.h>
#include <unicode/ures.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <set>
#include <vector>

#include "i18n/pack_install.h"

namespace htk::i18n {
namespace fs = std::filesystem;
namespace {

enum : std::uint32_t {
    kString = 0, kBinary = 1, kTable = 2, kAlias = 3, kTable32 = 4, kTable16 = 5, kStringV2 = 6, kInt = 7,
    kArray = 8, kArray16 = 9, kIntVector = 14,
};
enum : int { kIndexLength = 0, kIndexKeysTop = 1, kIndexBundleTop = 3, kIndexAttributes = 5, kIndex16BitTop = 6 };
constexpr std::uint32_t kAttributesUsingPool = 2 | 4;  // is a pool bundle, uses one
constexpr int kMaxDepth = 32;                          // our packs nest three deep

class Walk {
public:
    Walk(const std::uint8_t* data, std::uint64_t top_words, std::uint64_t key_limit, std::uint64_t units_byte,
         std::uint64_t units)
        : m_data(data), m_top(top_words), m_key_limit(key_limit), m_units_byte(units_byte), m_units(units) {}

    bool Resource(std::uint32_t res, int depth) {
        if (depth > kMaxDepth) return Fail("resources nested too deep");
        const std::uint32_t type = res >> 28, off = res & 0x0fffffffu;
        switch (type) {
            case kInt: return true;
            case kString:
            case kBinary:
            case kIntVector: {
                if (off == 0) return true;  // ICU's empty value
                if (off + 1ull > m_top) return Fail("a value past the end");
                const auto length = static_cast<std::int32_t>(Word(off));
                const std::uint64_t bytes = type == kString ? (std::uint64_t(length) + 1) * 2
                                            : type == kBinary ? std::uint64_t(length)
                                                              : std::uint64_t(length) * 4;
                if (length < 0 || (off + 1ull) * 4 + bytes > m_top * 4) return Fail("a value runs past the end");
                return true;
            }
            case kStringV2: return StringV2(off);
            case kTable:
            case kTable32:
            case kTable16:
            case kArray:
            case kArray16:
                if (!m_seen.insert(res).second) return true;  // shared, or a cycle: checked once
                return Container(type, off, depth);
            case kAlias: return Fail("an alias (our packs have none)");
            default: return Fail("a resource of unknown type " + std::to_string(type));
        }
    }

    std::string why;

private:
    std::uint32_t Word(std::uint64_t index) const {
        std::uint32_t w;
        std::memcpy(&w, m_data + index * 4, 4);
        return w;
    }
    std::uint16_t Half(std::uint64_t byte) const {
        std::uint16_t h;
        std::memcpy(&h, m_data + byte, 2);
        return h;
    }
    std::uint16_t Unit(std::uint64_t index) const { return Half(m_units_byte + index * 2); }
    bool Fail(std::string what) {
        if (why.empty()) why = std::move(what);
        return false;
    }

    bool Key(std::uint64_t byte) {  // a key is a NUL-terminated string below the key limit
        if (byte >= m_key_limit) return Fail("a key outside the key strings");
        if (!std::memchr(m_data + byte, 0, m_key_limit - byte)) return Fail("an unterminated key");
        return true;
    }

    bool StringV2(std::uint64_t off) {
        if (off >= m_units) return Fail("a string outside the 16-bit units");
        const std::uint16_t first = Unit(off);
        std::uint64_t length = 0, start = off + 1;
        if (first < 0xdc00 || first > 0xdfff) {  // implicit length: NUL-terminated
            for (std::uint64_t i = off; i < m_units; ++i)
                if (Unit(i) == 0) return true;
            return Fail("an unterminated string");
        } else if (first < 0xdfef) {
            length = first & 0x3ffu;
        } else if (first < 0xdfff) {
            if (off + 1 >= m_units) return Fail("a string length past the end");
            length = (std::uint64_t(first - 0xdfef) << 16) | Unit(off + 1);
            start = off + 2;
        } else {
            if (off + 2 >= m_units) return Fail("a string length past the end");
            length = (std::uint64_t(Unit(off + 1)) << 16) | Unit(off + 2);
            start = off + 3;
        }
        if (start + length > m_units) return Fail("a string runs past the end");
        return true;
    }

    bool Container(std::uint32_t type, std::uint64_t off, int depth) {
        switch (type) {
            case kTable: {  // uint16 count, uint16 keys[count], padding to 32 bits, Resource items[count]
                if (off == 0) return true;
                if (off >= m_top) return Fail("a table past the end");
                const std::uint64_t at = off * 4, count = Half(at);
                const std::uint64_t items = at + 2 * (1 + count + (~count & 1));
                if (items + 4 * count > m_top * 4) return Fail("a table runs past the end");
                for (std::uint64_t i = 0; i < count; ++i)
                    if (!Key(Half(at + 2 + 2 * i)) || !Resource(Word(items / 4 + i), depth + 1)) return false;
                return true;
            }
            case kTable16: {  // in the units: count, keys[count], items[count] (16-bit strings)
                if (off >= m_units) return Fail("a table outside the 16-bit units");
                const std::uint64_t count = Unit(off);
                if (off + 1 + 2 * count > m_units) return Fail("a table runs past the end");
                for (std::uint64_t i = 0; i < count; ++i)
                    if (!Key(Unit(off + 1 + i)) || !StringV2(Unit(off + 1 + count + i))) return false;
                return true;
            }
            case kTable32: {  // int32 count, int32 keys[count], Resource items[count]
                if (off == 0) return true;
                if (off >= m_top) return Fail("a table past the end");
                const auto count = static_cast<std::int32_t>(Word(off));
                if (count < 0 || off + 1 + 2 * std::uint64_t(count) > m_top) return Fail("a table runs past the end");
                for (std::uint64_t i = 0; i < std::uint64_t(count); ++i) {
                    const auto key = static_cast<std::int32_t>(Word(off + 1 + i));
                    if (key < 0) return Fail("a key in a pool bundle");
                    if (!Key(std::uint64_t(key)) || !Resource(Word(off + 1 + count + i), depth + 1)) return false;
                }
                return true;
            }
            case kArray: {  // int32 count, Resource items[count]
                if (off == 0) return true;
                if (off >= m_top) return Fail("an array past the end");
                const auto count = static_cast<std::int32_t>(Word(off));
                if (count < 0 || off + 1 + std::uint64_t(count) > m_top) return Fail("an array runs past the end");
                for (std::uint64_t i = 0; i < std::uint64_t(count); ++i)
                    if (!Resource(Word(off + 1 + i), depth + 1)) return false;
                return true;
            }
            default: {  // kArray16: in the units: count, items[count] (16-bit strings)
                if (off >= m_units) return Fail("an array outside the 16-bit units");
                const std::uint64_t count = Unit(off);
                if (off + 1 + count > m_units) return Fail("an array runs past the end");
                for (std::uint64_t i = 0; i < count; ++i)
                    if (!StringV2(Unit(off + 1 + i))) return false;
                return true;
            }
        }
    }

    const std::uint8_t* m_data;
    std::uint64_t m_top;         // 32-bit words of the bundle (indexes[BUNDLE_TOP])
    std::uint64_t m_key_limit;   // bytes: keys are below this
    std::uint64_t m_units_byte;  // where the 16-bit units start, in bytes
    std::uint64_t m_units;       // how many
    std::set<std::uint32_t> m_seen;
};

}  // namespace

core::Result<void> CheckBundle(std::span<const std::uint8_t> bytes, const std::string& name) {
    auto bad = [&](const std::string& what) {
        return core::Fail(core::Errc::InvalidInput, name + ": not a usable compiled bundle (" + what + ")");
    };
    // The data header: MappedData {headerSize, 0xda, 0x27}, then UDataInfo (20 bytes at least).
    if (bytes.size() < 24) return bad(bytes.empty() ? "empty" : "too short");
    const std::uint8_t* b = bytes.data();
    std::uint16_t header = 0, info = 0;  // in this machine's byte order, as genrb wrote them (checked below)
    std::memcpy(&header, b, 2);
    std::memcpy(&info, b + 4, 2);
    if (b[2] != 0xda || b[3] != 0x27) return bad("no ICU data header");
    if (info < 20 || header < 4 + 20 || header > bytes.size()) return bad("a damaged header");
    if (b[8] != (std::endian::native == std::endian::big) || b[9] != 0 || b[10] != 2) return bad("built for another machine");
    if (std::memcmp(b + 12, "ResB", 4) != 0) return bad("not a resource bundle");
    const int format = b[16];
    if (format < 2 || format > 3) return bad("format version " + std::to_string(format));

    const std::uint8_t* data = b + header;
    const std::uint64_t words = (bytes.size() - header) / 4;
    auto word = [&](std::uint64_t i) {
        std::uint32_t w;
        std::memcpy(&w, data + i * 4, 4);
        return w;
    };
    if (words < 1 + 5) return bad("truncated");
    const std::uint32_t length_word = word(1 + kIndexLength);
    const std::uint64_t indexes = length_word & 0xffu;
    if (indexes < 5 || 1 + indexes > words) return bad("a damaged index");
    const std::uint64_t keys_top = word(1 + kIndexKeysTop), top = word(1 + kIndexBundleTop);
    if (top > words) return bad("truncated");
    if (keys_top < 1 + indexes || keys_top > top) return bad("a damaged index");
    const std::uint32_t attributes = indexes > kIndexAttributes ? word(1 + kIndexAttributes) : 0;
    if ((attributes & kAttributesUsingPool) || (attributes >> 12) != 0 || (format >= 3 && (length_word >> 8) != 0))
        return bad("a pool bundle");  // our packs stand alone; ICU would read the pool's strings and keys
    const std::uint64_t units_top = indexes > kIndex16BitTop ? word(1 + kIndex16BitTop) : 0;
    if (units_top <= keys_top || units_top > top) return bad("no 16-bit units");

    const std::uint32_t root = word(0);
    const std::uint32_t root_type = root >> 28;
    if (root_type != kTable && root_type != kTable16 && root_type != kTable32) return bad("the root is not a table");
    // ICU takes every key as the pool's when the key strings are empty.
    const std::uint64_t key_limit = keys_top > 1 + indexes ? keys_top * 4 : 0;
    Walk walk(data, top, key_limit, keys_top * 4, (units_top - keys_top) * 2);
    if (!walk.Resource(root, 0)) return bad(walk.why);
    return {};
}

UResourceBundle* OpenBundleFile(const fs::path& dir, const std::string& icu_locale, std::string& error) {
    const fs::path file = dir / (icu_locale + ".res");
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) {
        error = "cannot read " + file.string();
        return nullptr;
    }
    if (size > kMaxPackFileBytes) {
        error = file.string() + ": larger than " + std::to_string(kMaxPackFileBytes) + " bytes";
        return nullptr;
    }
    std::vector<std::uint8_t> bytes(size);
    {
        std::ifstream in(file, std::ios::binary);
        if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
            error = "cannot read " + file.string();
            return nullptr;
        }
    }
    if (auto checked = CheckBundle(bytes, file.string()); !checked) {
        error = checked.error().detail;
        return nullptr;
    }
    // ICU maps the file it opens and caches it by path: a private copy of the bytes just checked, which
    // nobody can rewrite under the mapping (a file truncated in place would fault on the next lookup).
    std::string scratch = (fs::temp_directory_path(ec) / "htk-bundle-XXXXXX").string();
    fs::path open_dir = dir;
    if (!ec && ::mkdtemp(scratch.data())) {
        std::ofstream out(fs::path(scratch) / file.filename(), std::ios::binary);
        if (out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())).flush())
            open_dir = scratch;  // else the checked original: safe unless rewritten while open
    }
    UErrorCode status = U_ZERO_ERROR;
    const std::string path = (open_dir / "").string();
    UResourceBundle* bundle = ures_openDirect(path.c_str(), icu_locale.c_str(), &status);
    if (open_dir != dir) fs::remove_all(scratch, ec);
    if (U_FAILURE(status)) {
        if (bundle) ures_close(bundle);
        error = "cannot open " + file.string() + ": " + u_errorName(status);
        return nullptr;
    }
    return bundle;
}

}  // namespace htk::i18n
