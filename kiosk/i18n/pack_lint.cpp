// Lint over the pack's source with ICU's MessagePattern and PluralRules (CLDR data of Debian's ICU).
#include "i18n/pack_lint.h"

#include "i18n/keyboard.h"

#include <unicode/messagepattern.h>
#include <unicode/plurrule.h>
#include <unicode/strenum.h>

#include <algorithm>
#include <memory>
#include <set>

namespace htk::i18n {

std::string ToString(const Finding& f) {
    std::string out = f.file;
    if (f.line > 0) out += ":" + std::to_string(f.line);
    out += ": ";
    if (!f.key.empty()) out += f.key + ": ";
    return out + "[" + f.kind + "] " + f.message;
}

PatternInfo AnalysePattern(const std::string& pattern) {
    PatternInfo info;
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse{};
    icu::MessagePattern mp(icu::UnicodeString::fromUTF8(pattern), &parse, status);
    if (U_FAILURE(status)) {
        info.error = std::string("MessageFormat syntax error (") + u_errorName(status) + ") at character " +
                     std::to_string(parse.offset);
        return info;
    }
    std::set<std::string> names;
    const int32_t count = mp.countParts();
    for (int32_t i = 0; i < count; ++i) {
        const auto& part = mp.getPart(i);
        if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME || part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
            std::string name;
            mp.getSubstring(part).toUTF8String(name);
            names.insert(name);
        }
        if (part.getType() == UMSGPAT_PART_TYPE_ARG_START && UMSGPAT_ARG_TYPE_HAS_PLURAL_STYLE(part.getArgType())) {
            std::vector<std::string> keywords;
            const int32_t limit = mp.getLimitPartIndex(i);
            for (int32_t j = i + 1; j < limit; ++j) {
                const auto& sub = mp.getPart(j);
                if (sub.getType() == UMSGPAT_PART_TYPE_ARG_SELECTOR) {
                    std::string keyword;
                    mp.getSubstring(sub).toUTF8String(keyword);
                    keywords.push_back(keyword);
                    j = mp.getLimitPartIndex(j + 1 < limit && mp.getPart(j + 1).getType() == UMSGPAT_PART_TYPE_ARG_INT ? j + 2 : j + 1);
                }
            }
            info.plurals.push_back(std::move(keywords));
        }
    }
    info.arguments.assign(names.begin(), names.end());
    return info;
}

std::vector<std::string> PluralCategories(const std::string& icu_locale) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(icu::Locale(icu_locale.c_str()), status));
    std::vector<std::string> out;
    if (U_FAILURE(status)) return out;
    std::unique_ptr<icu::StringEnumeration> keywords(rules->getKeywords(status));
    if (U_FAILURE(status)) return out;
    while (const char* k = keywords->next(nullptr, status)) out.emplace_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

std::vector<std::string> UncoveredDescriptions(const std::vector<char32_t>& cps) {
    std::vector<std::string> out;
    for (char32_t c : cps) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
        out.emplace_back(buf);
    }
    return out;
}

void CheckManifest(const std::filesystem::path& pack_dir, const LintHooks& hooks, std::vector<Finding>& out) {
    const std::string file = (pack_dir / "manifest.ini").string();
    auto m = LoadManifest(pack_dir);
    if (!m) {
        out.push_back({file, 0, "", "manifest", m.error().detail});
        return;
    }
    if (m->tag != pack_dir.filename().string())
        out.push_back({file, 0, "", "manifest", "tag " + m->tag + " differs from the folder name"});
    if (m->english_name.empty()) out.push_back({file, 0, "", "manifest", "name is missing"});
    if (m->version.empty()) out.push_back({file, 0, "", "manifest", "version is missing"});
    if (m->status != "draft" && m->status != "reviewed")
        out.push_back({file, 0, "", "manifest", "status must be draft or reviewed"});
    if (m->status == "reviewed" && (m->reviewer.empty() || m->reviewed_on.empty()))
        out.push_back({file, 0, "", "manifest", "a reviewed pack names its reviewer and reviewed_on date"});
    for (const auto& id : m->keyboards) {
        const auto kb_file = pack_dir / "keyboards" / (id + ".txt");
        auto kb = LoadKeyboard(kb_file);
        if (!kb) {
            out.push_back({kb_file.string(), 0, "", "keyboard", kb.error().detail});
            continue;
        }
        if (!hooks.uncovered) continue;
        std::string keys = kb->label;
        for (const auto* layer : {&kb->rows, &kb->shifted})
            for (const auto& row : *layer)
                for (const auto& key : row) keys += key;
        if (const auto missing = hooks.uncovered(m->fonts, keys); !missing.empty()) {
            std::string list;
            for (const auto& d : UncoveredDescriptions(missing)) list += (list.empty() ? "" : " ") + d;
            out.push_back({kb_file.string(), 0, "", "coverage", "no font of the pack covers " + list});
        }
    }
}

}  // namespace

std::vector<Finding> LintPack(const std::filesystem::path& pack_dir, const std::filesystem::path& english_dir,
                              const LintHooks& hooks) {
    std::vector<Finding> out;
    CheckManifest(pack_dir, hooks, out);
    const auto file = (pack_dir / "strings.txt").string();
    auto pack = ReadBundleSource(pack_dir / "strings.txt");
    if (!pack) {
        out.push_back({file, 0, "", "syntax", pack.error().detail});
        return out;
    }
    auto english = ReadBundleSource(english_dir / "strings.txt");
    if (!english) {
        out.push_back({(english_dir / "strings.txt").string(), 0, "", "syntax", english.error().detail});
        return out;
    }
    auto manifest = LoadManifest(pack_dir);
    const std::string locale = manifest ? manifest->icu_locale : pack->name;
    if (manifest && pack->name != manifest->icu_locale)
        out.push_back({file, 1, "", "manifest",
                       "the bundle is named " + pack->name + " but the manifest's tag needs " + manifest->icu_locale});
    const auto categories = PluralCategories(locale);

    for (const auto& en : english->entries) {
        const auto* tr = pack->Find(en.key);
        if (!tr) {
            out.push_back({file, 0, en.key, "missing",
                           "not translated (English at " + (english_dir / "strings.txt").string() + ":" +
                               std::to_string(en.line) + ")"});
            continue;
        }
        if (tr->value.empty() && !en.value.empty()) {
            out.push_back({file, tr->line, tr->key, "empty", "the translation is empty"});
            continue;
        }
        const auto want = AnalysePattern(en.value);
        const auto have = AnalysePattern(tr->value);
        if (!have.error.empty()) {
            out.push_back({file, tr->line, tr->key, "syntax", have.error});
            continue;
        }
        if (want.error.empty() && have.arguments != want.arguments) {
            std::string w, h;
            for (const auto& a : want.arguments) w += (w.empty() ? "" : ", ") + a;
            for (const auto& a : have.arguments) h += (h.empty() ? "" : ", ") + a;
            out.push_back({file, tr->line, tr->key, "arguments", "uses {" + h + "}; English uses {" + w + "}"});
        }
        for (const auto& keywords : have.plurals) {
            for (const auto& k : keywords) {
                if (!k.empty() && k[0] == '=') continue;  // explicit values (=0) are always allowed
                if (std::find(categories.begin(), categories.end(), k) == categories.end())
                    out.push_back({file, tr->line, tr->key, "plural", "'" + k + "' is not a plural category of " + locale});
            }
            for (const auto& c : categories)
                if (std::find(keywords.begin(), keywords.end(), c) == keywords.end())
                    out.push_back({file, tr->line, tr->key, "plural", "no '" + c + "' case (" + locale + " needs it)"});
        }
        if (hooks.uncovered && manifest) {
            const auto missing = hooks.uncovered(manifest->fonts, tr->value);
            if (!missing.empty()) {
                std::string list;
                for (const auto& d : UncoveredDescriptions(missing)) list += (list.empty() ? "" : " ") + d;
                out.push_back({file, tr->line, tr->key, "coverage", "no font of the pack covers " + list});
            }
        }
        if (hooks.misfit && manifest)
            if (auto why = hooks.misfit(manifest->tag, tr->key, tr->value); !why.empty())
                out.push_back({file, tr->line, tr->key, "fit", why});
    }
    for (const auto& tr : pack->entries)
        if (!english->Find(tr.key)) out.push_back({file, tr.line, tr.key, "extra", "not a key of the English pack"});
    if (manifest && !english->entries.empty()) {
        std::size_t translated = 0;
        for (const auto& en : english->entries)
            if (const auto* tr = pack->Find(en.key); tr && !tr->value.empty()) ++translated;
        const int percent = static_cast<int>(100 * translated / english->entries.size());
        if (manifest->completeness != percent)
            out.push_back({(pack_dir / "manifest.ini").string(), 0, "", "manifest",
                           "completeness should say " + std::to_string(percent) + " (" + std::to_string(translated) + " of " +
                               std::to_string(english->entries.size()) + " strings translated)"});
    }
    return out;
}

}  // namespace htk::i18n
