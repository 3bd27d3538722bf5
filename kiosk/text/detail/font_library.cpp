// kiosk/text/detail/font_library.cpp: fontconfig lookups and FreeType/HarfBuzz face lifetimes.
// Never rasterises or shapes; see glyph_atlas.cpp and layout.cpp for that.
#include "text/detail/font_library.h"

#include <fontconfig/fontconfig.h>

#include <strings.h>

namespace htk::text::detail {

FontLibrary::FontLibrary() {
    if (FT_Init_FreeType(&m_ft) != 0) m_ft = nullptr;
}

FontLibrary::~FontLibrary() {
    for (auto& f : m_faces) {
        hb_font_destroy(f->hb_font);
        hb_face_destroy(f->hb_face);
        if (f->ft) FT_Done_Face(f->ft);
    }
    if (m_ft) FT_Done_FreeType(m_ft);
}

std::optional<FamilyMatch> FontLibrary::FindFamily(const std::string& family, int weight) {
    return Match(family, true, weight);
}

std::optional<FamilyMatch> FontLibrary::BestMatch(const std::string& pattern) { return Match(pattern, false, 400); }

std::optional<FamilyMatch> FontLibrary::Match(const std::string& family, bool exact, int weight) {
    const auto key = std::make_tuple(family, exact, weight);
    if (auto it = m_matches.find(key); it != m_matches.end()) return it->second;
    FcPattern* pat = FcPatternCreate();
    if (!pat) return std::nullopt;
    FcPatternAddString(pat, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType(weight));
    // Some families declare the same weight for every file (Noto Nastaliq Urdu's Bold says 80 too),
    // so the regular face is asked for by style as well.
    if (weight == 400) FcPatternAddString(pat, FC_STYLE, reinterpret_cast<const FcChar8*>("Regular"));
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pat, &result);
    FcPatternDestroy(pat);
    if (!match) return std::nullopt;
    std::optional<FamilyMatch> out;
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        // fontconfig always answers with something; a family is present only if one of the
        // matched font's own names is the one asked for.
        FcChar8* name = nullptr;
        std::string first;
        for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
            const char* n = reinterpret_cast<const char*>(name);
            if (i == 0) first = n;
            if (!exact || strcasecmp(n, family.c_str()) == 0) {
                out = FamilyMatch{n, reinterpret_cast<const char*>(file), index};
                if (!exact) out->family = first;
                break;
            }
        }
    }
    FcPatternDestroy(match);
    m_matches.emplace(key, out);
    return out;
}

FontFace* FontLibrary::Open(const std::string& path, int index, const std::string& family, std::string* error) {
    const auto key = std::make_pair(path, index);
    if (auto it = m_by_file.find(key); it != m_by_file.end()) return it->second;
    if (auto it = m_failed.find(key); it != m_failed.end()) {
        if (error) *error = it->second;
        return nullptr;
    }
    auto fail = [&](std::string why) -> FontFace* {
        if (error) *error = why;
        m_failed.emplace(key, std::move(why));
        return nullptr;
    };
    if (!m_ft) return fail("FreeType did not initialise");
    if (m_faces.size() >= 0xFFFF) return fail("too many font files");
    FT_Face ft = nullptr;
    if (FT_New_Face(m_ft, path.c_str(), index, &ft) != 0) return fail("cannot be opened as a font");
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (!blob) {
        FT_Done_Face(ft);
        return fail("cannot be read");
    }
    hb_face_t* face = hb_face_create(blob, static_cast<unsigned>(index));
    hb_blob_destroy(blob);
    if (hb_face_get_glyph_count(face) == 0) {
        hb_face_destroy(face);
        FT_Done_Face(ft);
        return fail("has no glyphs");
    }
    auto f = std::make_unique<FontFace>();
    f->family = family;
    f->path = path;
    f->index = index;
    f->id = static_cast<std::uint16_t>(m_faces.size());
    f->ft = ft;
    f->hb_face = face;
    f->hb_font = hb_font_create(face);  // OpenType functions, scale = upem: unhinted, linear advances
    f->upem = static_cast<float>(hb_face_get_upem(face));
    hb_font_extents_t ext{};
    if (hb_font_get_h_extents(f->hb_font, &ext) && ext.ascender - ext.descender > 0) {
        f->ascender = static_cast<float>(ext.ascender) / f->upem;
        f->descender = static_cast<float>(-ext.descender) / f->upem;
    }
    FontFace* raw = f.get();
    m_faces.push_back(std::move(f));
    m_by_file.emplace(key, raw);
    return raw;
}

}  // namespace htk::text::detail
