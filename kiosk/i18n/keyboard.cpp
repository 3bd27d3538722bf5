// Keys are checked to be single grapheme clusters with ICU's character BreakIterator, so that a
// Bengali conjunct key or a Devanagari vowel sign is one key, and stray spaces are caught.
#include "i18n/keyboard.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <fstream>
#include <memory>
#include <set>

#include "core/strings.h"

namespace htk::i18n {
namespace {

using core::Trim;

bool OneGrapheme(const std::string& key) {
    const auto* s = reinterpret_cast<const uint8_t*>(key.data());
    const auto n = static_cast<int32_t>(key.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c = 0;
        U8_NEXT(s, i, n, c);
        if (c < 0 || u_charType(c) == U_CONTROL_CHAR) return false;
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) return false;
    const auto text = icu::UnicodeString::fromUTF8(key);
    it->setText(text);
    it->first();
    return it->next() == text.length() && it->next() == icu::BreakIterator::DONE;
}

}  // namespace

core::Result<Keyboard> ParseKeyboard(std::string_view text, const std::string& file, std::string id) {
    Keyboard kb;
    kb.id = std::move(id);
    enum { Header, Rows, Shifted } section = Header;
    int line_no = 0;
    std::set<std::string> seen;
    auto fail = [&](const std::string& why) {
        return core::Fail(core::Errc::InvalidInput, file + ":" + std::to_string(line_no) + ": " + why);
    };
    while (!text.empty()) {
        const auto nl = std::min(text.find('\n'), text.size());
        const auto line = Trim(text.substr(0, nl));
        text.remove_prefix(std::min(nl + 1, text.size()));
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        if (line == "rows:") {
            section = Rows;
            continue;
        }
        if (line == "shifted:") {
            if (kb.rows.empty()) return fail("shifted: comes after rows:");
            section = Shifted;
            continue;
        }
        if (section == Header) {
            const auto eq = line.find('=');
            if (eq == std::string::npos || Trim(std::string_view(line).substr(0, eq)) != "label")
                return fail("expected label = ... before rows:");
            kb.label = Trim(std::string_view(line).substr(eq + 1));
            continue;
        }
        std::vector<std::string> row;
        for (std::size_t start = 0; start < line.size();) {
            const auto end = std::min(line.find(' ', start), line.size());
            if (end > start) row.push_back(line.substr(start, end - start));
            start = end + 1;
        }
        if (row.size() > kMaxKeysPerRow) return fail(std::to_string(row.size()) + " keys: at most " + std::to_string(kMaxKeysPerRow) + " fit a row");
        for (const auto& key : row) {
            if (!OneGrapheme(key)) return fail("key '" + key + "' is not one character");
            if (section == Rows && !seen.insert(key).second) return fail("key '" + key + "' appears twice");
        }
        auto& rows = section == Rows ? kb.rows : kb.shifted;
        rows.push_back(std::move(row));
        if (rows.size() > kMaxKeyboardRows) return fail("more than " + std::to_string(kMaxKeyboardRows) + " rows");
    }
    if (kb.label.empty()) return core::Fail(core::Errc::InvalidInput, file + ": label is missing");
    if (kb.rows.empty()) return core::Fail(core::Errc::InvalidInput, file + ": no rows");
    if (!kb.shifted.empty()) {
        if (kb.shifted.size() != kb.rows.size())
            return core::Fail(core::Errc::InvalidInput, file + ": shifted: needs as many rows as rows:");
        for (std::size_t r = 0; r < kb.rows.size(); ++r)
            if (kb.shifted[r].size() != kb.rows[r].size())
                return core::Fail(core::Errc::InvalidInput, file + ": shifted row " + std::to_string(r + 1) + " has a different number of keys");
    }
    return kb;
}

core::Result<Keyboard> LoadKeyboard(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return core::Fail(core::Errc::NotFound, file.string() + ": cannot read");
    if (size > 16 * 1024) return core::Fail(core::Errc::InvalidInput, file.string() + ": too large for a keyboard");
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseKeyboard(text, file.string(), file.stem().string());
}

core::Result<std::vector<Keyboard>> LoadPackKeyboards(const std::filesystem::path& pack_dir,
                                                      const std::vector<std::string>& names) {
    std::vector<Keyboard> out;
    out.reserve(names.size());
    for (const auto& name : names) {
        // A manifest is outside input: a name is a file stem in keyboards/, never a path.
        if (name.empty() || name.front() == '.' || name.find_first_of("/\\") != std::string::npos)
            return core::Fail(core::Errc::InvalidInput, (pack_dir / "manifest.ini").string() + ": bad keyboard name '" + name + "'");
        auto kb = LoadKeyboard(pack_dir / "keyboards" / (name + ".txt"));
        if (!kb) return kb.error();
        out.push_back(std::move(kb.value()));
    }
    return out;
}

}  // namespace htk::i18n
