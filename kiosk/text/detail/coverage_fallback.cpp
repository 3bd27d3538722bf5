// kiosk/text/detail/coverage_fallback.cpp: CoverageFallback: fontconfig's ranked fonts filtered by
// character map, Noto first. Opens faces through FontLibrary; never shapes or rasterises.
#include "text/detail/coverage_fallback.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>

#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>

#include "text/detail/font_library.h"

namespace htk::text::detail {

namespace {

// A flood of distinct code points (a corrupt record, a hostile CSV) must not grow this without end.
constexpr std::size_t kMaxAnswers = 1024;
// Candidates opened per lookup before giving up: a file that fails is remembered by FontLibrary.
constexpr int kMaxOpenTries = 8;

struct Preference {
    UScriptCode script;
    const char* language;  // primary subtag of the set's language; "" for any
    std::array<const char*, 2> families;
};

// Urdu is read in Nastaliq; Naskh is the common book hand of the other Arabic-script languages.
constexpr Preference kPreferences[] = {
    {USCRIPT_ARABIC, "ur", {"Noto Nastaliq Urdu", "Noto Naskh Arabic"}},
    {USCRIPT_ARABIC, "", {"Noto Naskh Arabic", nullptr}},
};

int PreferenceRow(UScriptCode script, std::string_view language) {
    const std::string_view primary = language.substr(0, language.find_first_of("-_"));
    for (std::size_t i = 0; i < std::size(kPreferences); ++i) {
        const Preference& p = kPreferences[i];
        if (p.script != script) continue;
        const std::string_view want = p.language;
        if (want.empty() || (primary.size() == want.size() && strncasecmp(primary.data(), want.data(), want.size()) == 0))
            return static_cast<int>(i);
    }
    return -1;
}

// Noto Sans of the script first (the kiosk's look), then other Noto, then anything.
int Tier(std::string_view family) {
    if (family.starts_with("Noto Sans") && family.find(" Mono") == std::string_view::npos) return 0;
    if (family.starts_with("Noto")) return 1;
    return 2;
}

}  // namespace

CoverageFallback::~CoverageFallback() {
    if (m_system) FcCharSetDestroy(m_system);
}

FontFace* CoverageFallback::Find(char32_t cp, std::string_view language) {
    const auto c = static_cast<UChar32>(cp);
    const auto type = static_cast<UCharCategory>(u_charType(c));
    if (type == U_PRIVATE_USE_CHAR || type == U_UNASSIGNED || type == U_SURROGATE) return nullptr;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(c, &err);
    if (U_FAILURE(err)) script = USCRIPT_UNKNOWN;
    const int row = PreferenceRow(script, language);

    auto [group, fresh] = m_groups.try_emplace(std::make_pair(static_cast<int>(script), row));
    std::vector<FontFace*>& faces = group->second;
    if (fresh && row >= 0) {
        for (const char* family : kPreferences[static_cast<std::size_t>(row)].families) {
            if (!family) continue;
            ++m_lookups;
            const std::optional<FamilyMatch> match = m_fonts.FindFamily(family);
            if (!match) continue;
            if (FontFace* face = m_fonts.Open(match->file, match->index, match->family, nullptr)) faces.push_back(face);
        }
    }
    for (FontFace* face : faces)
        if (face->Covers(cp)) return face;

    FontFace* face = nullptr;
    if (auto it = m_answers.find(cp); it != m_answers.end()) {
        face = it->second;
    } else {
        if (!SystemHas(cp)) return nullptr;
        face = Ask(cp, script);
        if (m_answers.size() >= kMaxAnswers) m_answers.clear();
        m_answers.emplace(cp, face);
    }
    if (face && std::find(faces.begin(), faces.end(), face) == faces.end()) faces.push_back(face);
    return face;
}

bool CoverageFallback::SystemHas(char32_t cp) {
    if (!m_system_tried) {
        m_system_tried = true;
        ++m_lookups;
        // Only fonts Ask() would take, so that a code point only a colour emoji font has costs no sort.
        // Listing just the charset folds fonts with equal coverage into one entry (~200 here).
        FcPattern* usable = FcPatternCreate();
        if (usable) {
            FcPatternAddBool(usable, FC_SCALABLE, FcTrue);
            FcPatternAddBool(usable, FC_COLOR, FcFalse);
        }
        FcObjectSet* objects = FcObjectSetBuild(FC_CHARSET, nullptr);
        FcFontSet* list = usable && objects ? FcFontList(nullptr, usable, objects) : nullptr;
        if (list) {
            m_system = FcCharSetCreate();
            for (int i = 0; m_system && i < list->nfont; ++i) {
                FcCharSet* cs = nullptr;
                if (FcPatternGetCharSet(list->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch)
                    FcCharSetMerge(m_system, cs, nullptr);
            }
            FcFontSetDestroy(list);
        }
        if (objects) FcObjectSetDestroy(objects);
        if (usable) FcPatternDestroy(usable);
    }
    // Without the merged set, ask fontconfig every time: slower, never wrong.
    return !m_system || FcCharSetHasChar(m_system, cp);
}

const std::string& CoverageFallback::LikelyLanguage(int script) {
    if (auto it = m_languages.find(script); it != m_languages.end()) return it->second;
    std::string lang;
    const auto sc = static_cast<UScriptCode>(script);
    const char* code = uscript_getShortName(sc);
    if (code && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED && sc != USCRIPT_UNKNOWN) {
        const std::string und = std::string("und_") + code;
        char full[ULOC_FULLNAME_CAPACITY] = {};
        char language[ULOC_LANG_CAPACITY] = {};
        char country[ULOC_COUNTRY_CAPACITY] = {};
        UErrorCode err = U_ZERO_ERROR;
        uloc_addLikelySubtags(und.c_str(), full, sizeof full, &err);
        if (U_SUCCESS(err)) uloc_getLanguage(full, language, sizeof language, &err);
        if (U_SUCCESS(err)) uloc_getCountry(full, country, sizeof country, &err);
        if (U_SUCCESS(err) && language[0] && std::string_view(language) != "und") {
            lang = language;
            // fontconfig tells Chinese fonts apart by territory (zh-cn, zh-tw, zh-hk).
            if (country[0]) {
                lang += '-';
                for (const char* p = country; *p; ++p) lang += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
            }
        }
    }
    return m_languages.emplace(script, std::move(lang)).first->second;
}

FontFace* CoverageFallback::Ask(char32_t cp, int script) {
    ++m_lookups;
    FcPattern* pat = FcPatternCreate();
    FcCharSet* want = FcCharSetCreate();
    if (!pat || !want || !FcCharSetAddChar(want, cp)) {
        if (want) FcCharSetDestroy(want);
        if (pat) FcPatternDestroy(pat);
        return nullptr;
    }
    FcPatternAddCharSet(pat, FC_CHARSET, want);
    FcCharSetDestroy(want);
    const std::string& lang = LikelyLanguage(script);
    if (!lang.empty()) FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>(lang.c_str()));
    FcPatternAddInteger(pat, FC_WEIGHT, FC_WEIGHT_REGULAR);
    FcPatternAddString(pat, FC_STYLE, reinterpret_cast<const FcChar8*>("Regular"));
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcPatternAddBool(pat, FC_COLOR, FcFalse);
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result = FcResultNoMatch;
    // Untrimmed: trimming would drop a Noto font whose coverage an earlier DejaVu already gives.
    FcFontSet* sorted = FcFontSort(nullptr, pat, FcFalse, nullptr, &result);
    FcPatternDestroy(pat);
    if (!sorted) return nullptr;

    struct Candidate {
        int tier;
        FcPattern* font;
        const char* family;
    };
    std::vector<Candidate> candidates;
    for (int i = 0; i < sorted->nfont; ++i) {
        FcPattern* font = sorted->fonts[i];
        FcCharSet* has = nullptr;
        if (FcPatternGetCharSet(font, FC_CHARSET, 0, &has) != FcResultMatch || !FcCharSetHasChar(has, cp)) continue;
        // The glyph cache rasterises outlines to coverage: no colour bitmaps, no variation instances.
        FcBool flag = FcFalse;
        if (FcPatternGetBool(font, FC_COLOR, 0, &flag) == FcResultMatch && flag) continue;
        if (FcPatternGetBool(font, FC_VARIABLE, 0, &flag) == FcResultMatch && flag) continue;
        int index = 0;
        if (FcPatternGetInteger(font, FC_INDEX, 0, &index) == FcResultMatch && (index < 0 || index > 0xFFFF)) continue;
        // HarfBuzz shapes OpenType only (TrueType or CFF outlines), not Type 1 or bitmap formats.
        FcChar8* format = nullptr;
        if (FcPatternGetString(font, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
            strcmp(reinterpret_cast<const char*>(format), "TrueType") != 0 &&
            strcmp(reinterpret_cast<const char*>(format), "CFF") != 0)
            continue;
        FcChar8* family = nullptr;
        if (FcPatternGetString(font, FC_FAMILY, 0, &family) != FcResultMatch) continue;
        const char* name = reinterpret_cast<const char*>(family);
        candidates.push_back(Candidate{Tier(name), font, name});
        if (candidates.back().tier == 0) break;
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.tier < b.tier; });

    FontFace* face = nullptr;
    int tries = 0;
    for (const Candidate& c : candidates) {
        if (++tries > kMaxOpenTries) break;
        FcChar8* file = nullptr;
        int index = 0;
        if (FcPatternGetString(c.font, FC_FILE, 0, &file) != FcResultMatch) continue;
        FcPatternGetInteger(c.font, FC_INDEX, 0, &index);
        face = m_fonts.Open(reinterpret_cast<const char*>(file), index, c.family, nullptr);
        // A face fontconfig believes covers cp but whose cmap disagrees is of no use either.
        if (face && face->Covers(cp)) break;
        face = nullptr;
    }
    FcFontSetDestroy(sorted);
    return face;
}

}  // namespace htk::text::detail
