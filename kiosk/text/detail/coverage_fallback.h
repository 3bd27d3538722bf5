// kiosk/text/detail/coverage_fallback.h: the last resort after a font set's own fonts: an installed
// font whose character map has the code point, asked of fontconfig once and remembered. Internal.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fontconfig/fontconfig.h>

namespace htk::text::detail {

class FontLibrary;
struct FontFace;

class CoverageFallback {
public:
    explicit CoverageFallback(FontLibrary& fonts) : m_fonts(fonts) {}
    ~CoverageFallback();
    CoverageFallback(const CoverageFallback&) = delete;
    CoverageFallback& operator=(const CoverageFallback&) = delete;

    // An installed font with a glyph for cp, or nullptr if there is none. Arabic script takes Noto
    // Nastaliq Urdu when `language` (a BCP 47 tag) is Urdu, else Noto Naskh Arabic; other scripts take
    // the font fontconfig ranks first for the script's language, Noto families before others. Fonts
    // that served a script answer its later code points without fontconfig. Private-use, unassigned
    // and surrogate code points never fall back: another font's glyph for them means nothing here.
    FontFace* Find(char32_t cp, std::string_view language);

    std::size_t Lookups() const { return m_lookups; }  // fontconfig queries made so far

private:
    FontFace* Ask(char32_t cp, int script);
    bool SystemHas(char32_t cp);
    const std::string& LikelyLanguage(int script);

    FontLibrary& m_fonts;
    FcCharSet* m_system = nullptr;  // every installed font's coverage, merged on first need
    bool m_system_tried = false;
    std::map<std::pair<int, int>, std::vector<FontFace*>> m_groups;  // (script, preference) -> fonts that served it
    std::unordered_map<char32_t, FontFace*> m_answers;  // what fontconfig answered per code point; nullptr: nothing usable
    std::map<int, std::string> m_languages;              // script -> fontconfig language, e.g. "bn-bd"
    std::size_t m_lookups = 0;
};

}  // namespace htk::text::detail
