// kiosk/text/detail/font_library.h: font files found with fontconfig and opened once each, with a
// HarfBuzz font (for shaping and coverage) and a FreeType face (for rasterising). Internal.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

namespace htk::text::detail {

struct FontFace {
    std::string family;             // family name as fontconfig reports it (or the file name)
    std::string path;
    int index = 0;                  // face in a collection
    std::uint16_t id = 0;           // position in the library, stable for its life
    FT_Face ft = nullptr;
    hb_face_t* hb_face = nullptr;
    hb_font_t* hb_font = nullptr;   // scale = units per em: shaping results are in font units
    float upem = 1000.0f;
    float ascender = 0.8f;          // em, positive up
    float descender = 0.2f;         // em, positive down
    long ft_char_size = 0;          // 26.6 size FreeType is set to

    bool Covers(char32_t cp) const {
        hb_codepoint_t g = 0;
        return hb_font_get_nominal_glyph(hb_font, cp, &g) != 0;
    }
};

struct FamilyMatch {
    std::string family;  // the matched family name (one of the font's names)
    std::string file;
    int index = 0;
};

class FontLibrary {
public:
    FontLibrary();
    ~FontLibrary();
    FontLibrary(const FontLibrary&) = delete;
    FontLibrary& operator=(const FontLibrary&) = delete;

    // The face of an installed family nearest to `weight` (OpenType, 400 regular), if fontconfig
    // knows a family with exactly that name.
    std::optional<FamilyMatch> FindFamily(const std::string& family, int weight = 400);
    // The file fontconfig would use for a generic or partial name, whatever its family.
    std::optional<FamilyMatch> BestMatch(const std::string& pattern);

    // Opens a face once; later calls return the same one. nullptr (and *error) if it cannot be used.
    FontFace* Open(const std::string& path, int index, const std::string& family, std::string* error);
    FontFace* ById(std::uint16_t id) { return id < m_faces.size() ? m_faces[id].get() : nullptr; }

private:
    std::optional<FamilyMatch> Match(const std::string& family, bool exact, int weight);

    FT_Library m_ft = nullptr;
    std::vector<std::unique_ptr<FontFace>> m_faces;
    std::map<std::pair<std::string, int>, FontFace*> m_by_file;
    std::map<std::pair<std::string, int>, std::string> m_failed;  // file -> why it could not be opened
    // Answers of fontconfig by (name, exact, weight): every pack asks for Noto Sans, and one
    // FcFontMatch over Debian's Noto fonts takes milliseconds (a quarter of the kiosk's start).
    std::map<std::tuple<std::string, bool, int>, std::optional<FamilyMatch>> m_matches;
};

}  // namespace htk::text::detail
