// ht-admin packs: lint, build, list, install, rollback, keygen, sign, verify, export, import.
// The health trainer service updates language packs with these, without a new release.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>

#include "admin/files.h"
#include "admin/json.h"
#include "admin/verbs.h"
#include "app/fit_check.h"
#include "i18n/catalog.h"
#include "i18n/pack_csv.h"
#include "i18n/pack_install.h"
#include "i18n/pack_lint.h"
#include "text/engine.h"
#include "text/glyph_texture.h"

extern char** environ;

namespace htk::admin {

namespace fs = std::filesystem;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

fs::path SourceDir(const Session& s) {
    if (auto v = s.args.Option("source")) return *v;
    return HTK_SOURCE_LOCALES_DIR;
}

fs::path LocalesDir(const Session& s) {
    if (auto v = s.args.Option("locales")) return *v;
    return i18n::DefaultLocalesDir();
}

Result<std::string> Word(const Session& s, std::size_t index, std::string_view what) {
    if (s.args.words.size() <= index) return Fail(Errc::InvalidInput, "missing " + std::string(what));
    return s.args.words[index];
}

std::vector<std::string> SourcePacks(const fs::path& source) {
    std::vector<std::string> tags;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(source, ec))
        if (e.is_directory() && fs::exists(e.path() / "manifest.ini")) tags.push_back(e.path().filename().string());
    std::sort(tags.begin(), tags.end());
    return tags;
}

Result<std::string> ReadSmallFile(const fs::path& file, std::size_t limit) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) return Fail(Errc::NotFound, file.string() + ": cannot read");
    if (size > limit) return Fail(Errc::InvalidInput, file.string() + ": larger than " + std::to_string(limit) + " bytes");
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// genrb compiles `input` (a pack's strings.txt) into `out_dir`.
Result<void> Genrb(const fs::path& input, const fs::path& out_dir) {
    const std::string genrb = "genrb", dir = out_dir.string(), in = input.string();
    std::vector<char*> argv{const_cast<char*>(genrb.c_str()), const_cast<char*>("-q"), const_cast<char*>("-e"),
                            const_cast<char*>("UTF-8"), const_cast<char*>("-d"), const_cast<char*>(dir.c_str()),
                            const_cast<char*>(in.c_str()), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, "genrb", nullptr, nullptr, argv.data(), environ) != 0)
        return Fail(Errc::NotFound, "genrb not found: install Debian's icu-devtools to build packs");
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Fail(Errc::InvalidInput, "genrb refused " + in);
    return {};
}

// A temp folder removed with its contents when it goes.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "ht-admin-XXXXXX").string();
        if (mkdtemp(pattern.data())) m_path = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        if (!m_path.empty()) fs::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& Path() const { return m_path; }

private:
    fs::path m_path;
};

// key -> why it does not fit, per pack tag.
using FitFindings = std::map<std::string, std::map<std::string, std::string>>;

// The fit check needs compiled bundles while the lint reads sources, so every source pack is compiled
// afresh into a temp folder (the build tree's copies may be older than the sources being linted).
// A pack genrb refuses is left out; its syntax is the lint's own finding.
Result<FitFindings> CheckFit(const fs::path& source, const std::vector<std::string>& tags) {
    ScratchDir compiled;
    if (compiled.Path().empty()) return Fail(Errc::Io, "cannot create a temp folder to compile the packs in");
    std::error_code ec;
    for (const auto& tag : SourcePacks(source)) {
        const fs::path out = compiled.Path() / tag;
        fs::create_directories(out, ec);
        if (!Genrb(source / tag / "strings.txt", out)) continue;
        fs::copy_file(source / tag / "manifest.ini", out / "manifest.ini", ec);
        if (ec) return Fail(Errc::Io, (out / "manifest.ini").string() + ": " + ec.message());
        // The keyboard screens are laid out around the pack's own layouts.
        if (fs::is_directory(source / tag / "keyboards")) fs::copy(source / tag / "keyboards", out / "keyboards", ec);
    }
    app::FitChecker checker(compiled.Path());
    FitFindings findings;
    for (const auto& tag : tags) {
        if (!fs::exists(compiled.Path() / tag / "manifest.ini")) continue;
        auto misfits = checker.Check(tag);
        if (!misfits) return misfits.error();
        auto& by_key = findings[tag];
        for (const auto& m : *misfits) {
            auto& why = by_key[m.key];
            why += (why.empty() ? "" : "; ") + m.Describe();
        }
    }
    return findings;
}

Result<i18n::SignPublicKey> ParsePublicKey(std::string_view text) {
    const auto bytes = i18n::FromBase64(text);
    i18n::SignPublicKey key{};
    if (!bytes || bytes->size() != key.size())
        return Fail(Errc::InvalidInput, "--service-key must be the base64 of a 32-byte ed25519 public key");
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

}  // namespace

Result<void> VerbPacksLint(Session& s) {
    const fs::path source = SourceDir(s);
    std::vector<std::string> tags(s.args.words.begin() + std::min<std::size_t>(2, s.args.words.size()), s.args.words.end());
    if (tags.empty()) tags = SourcePacks(source);
    if (tags.empty()) return Fail(Errc::NotFound, source.string() + ": no language packs found");

    text::MemoryTextureBackend texture;  // coverage needs fonts, not pixels
    text::Engine engine(texture, {.warn = [](std::string_view) {}});
    i18n::LintHooks hooks;
    hooks.uncovered = [&](const std::vector<std::string>& fonts, const std::string& text) {
        return engine.Uncovered(engine.AddFontSet({.families = fonts}), text);
    };
    auto fit = CheckFit(source, tags);
    if (fit) {
        hooks.misfit = [&](const std::string& tag, const std::string& key, const std::string&) -> std::string {
            const auto pack = fit->find(tag);
            if (pack == fit->end()) return {};
            const auto why = pack->second.find(key);
            return why == pack->second.end() ? std::string() : "does not fit: " + why->second;
        };
    }
    std::size_t total = 0;
    std::vector<std::string> json;
    for (const auto& tag : tags) {
        auto findings = i18n::LintPack(source / tag, source / "en-GB", hooks);
        if (!fit) findings.push_back({(source / tag / "strings.txt").string(), 0, "", "fit", "not checked: " + fit.error().detail});
        total += findings.size();
        for (const auto& f : findings) {
            if (s.json)
                json.push_back(JsonObject().Add("file", f.file).Add("line", f.line).Add("key", f.key).Add("kind", f.kind)
                                   .Add("message", f.message).Str());
            else
                s.env.out << i18n::ToString(f) << "\n";
        }
    }
    if (s.json) s.env.out << JsonArray(json) << "\n";
    else s.env.out << tags.size() << " pack(s), " << total << " finding(s)\n";

    if (total) return Fail(Errc::InvalidInput, std::to_string(total) + " lint finding(s)");
    return {};
}

// Compiles a source pack (strings.txt, manifest.ini, keyboards/, audio/) into an installable folder.
Result<void> VerbPacksBuild(Session& s) {
    auto tag = Word(s, 2, "the pack's tag");
    if (!tag) return tag.error();
    auto out = s.args.Option("out");
    if (!out) return Fail(Errc::InvalidInput, "--out DIR is required (where the installable pack is written)");
    const fs::path src = SourceDir(s) / *tag;
    auto manifest = i18n::LoadManifest(src);
    if (!manifest) return manifest.error();
    if (auto bundle = i18n::ReadBundleSource(src / "strings.txt"); !bundle) return bundle.error();
    const fs::path dest = fs::path(*out) / *tag;
    std::error_code ec;
    if (fs::exists(dest, ec)) return Fail(Errc::InvalidInput, dest.string() + " exists already");
    fs::create_directories(dest, ec);
    if (ec) return Fail(Errc::Io, dest.string() + ": " + ec.message());
    for (const auto& e : fs::recursive_directory_iterator(src, ec)) {
        const auto rel = fs::relative(e.path(), src);
        if (e.is_directory()) fs::create_directories(dest / rel, ec);
        else if (e.is_regular_file()) fs::copy_file(e.path(), dest / rel, ec);
        if (ec) return Fail(Errc::Io, (dest / rel).string() + ": " + ec.message());
    }
    if (auto compiled = Genrb(src / "strings.txt", dest); !compiled) return compiled.error();
    auto checked = i18n::CheckPack(dest);
    if (!checked) return checked.error();
    s.env.out << "Built " << *tag << " version " << checked->version << " in " << dest.string() << "\n";
    return {};
}

Result<void> VerbPacksList(Session& s) {
    const fs::path dir = LocalesDir(s);
    std::vector<std::string> json;
    for (const auto& tag : i18n::InstalledPacks(dir)) {
        auto m = i18n::LoadManifest(dir / tag);
        if (!m) continue;
        const bool kept = fs::exists(dir / (".previous-" + tag));
        if (s.json) {
            json.push_back(JsonObject().Add("tag", m->tag).Add("name", m->english_name).Add("endonym", i18n::Endonym(*m))
                               .Add("version", m->version).Add("completeness", m->completeness).Add("status", m->status).Add("reviewer", m->reviewer)
                               .Add("rollback_available", kept).Str());
        } else {
            s.env.out << m->tag << "  " << m->english_name << " (" << i18n::Endonym(*m) << ")  version " << m->version
                      << "  " << m->completeness << "% translated"
                      << "  " << (m->status == "draft" ? "draft: needs review by a native speaker"
                                                       : "reviewed by " + m->reviewer + " on " + m->reviewed_on)
                      << (kept ? "  [previous version kept]" : "") << "\n";
        }
    }
    if (s.json) s.env.out << JsonArray(json) << "\n";
    return {};
}

Result<void> VerbPacksInstall(Session& s) {
    auto pack = Word(s, 2, "the folder of the pack to install");
    if (!pack) return pack.error();
    std::optional<i18n::SignPublicKey> key;
    if (auto v = s.args.Option("service-key")) {
        auto k = ParsePublicKey(*v);
        if (!k) return k.error();
        key = *k;
    }
    auto report = i18n::InstallPack(LocalesDir(s), *pack, key);
    if (!report) return report.error();
    if (s.json) {
        s.env.out << JsonObject().Add("tag", report->installed.tag).Add("version", report->installed.version)
                         .Add("replaced_version", report->replaced_version.value_or(""))
                         .Add("signature_checked", report->signature_checked).Str() << "\n";
        return {};
    }
    s.env.out << "Installed " << report->installed.tag << " version " << report->installed.version;
    if (report->replaced_version) s.env.out << " (version " << *report->replaced_version << " kept for rollback)";
    s.env.out << "\n";
    if (!report->signature_checked)
        s.env.out << "Note: no --service-key given, so the pack's signature was not checked (demo use only).\n";
    return {};
}

Result<void> VerbPacksRollback(Session& s) {
    auto tag = Word(s, 2, "the pack's tag");
    if (!tag) return tag.error();
    auto m = i18n::RollbackPack(LocalesDir(s), *tag);
    if (!m) return m.error();
    s.env.out << (s.json ? JsonObject().Add("tag", m->tag).Add("version", m->version).Str()
                         : "Rolled " + m->tag + " back to version " + m->version)
              << "\n";
    return {};
}

Result<void> VerbPacksKeygen(Session& s) {
    auto out = s.args.Option("out");
    if (!out) return Fail(Errc::InvalidInput, "--out FILE is required (where the service's secret signing key goes)");
    const auto keys = i18n::MakeSigningKeys();
    const auto secret = i18n::ToBase64(keys.secret_key.data(), keys.secret_key.size()) + "\n";
    if (auto w = WriteFileAtomic(*out, secret, 0600, false); !w) return w;
    const auto pub = i18n::ToBase64(keys.public_key.data(), keys.public_key.size());
    s.env.out << (s.json ? JsonObject().Add("public_key", pub).Str()
                         : "Secret signing key written to " + *out + " (keep it off the kiosks).\nPublic key for kiosks' [packs] service_key: " + pub)
              << "\n";
    return {};
}

Result<void> VerbPacksSign(Session& s) {
    auto pack = Word(s, 2, "the folder of the pack to sign");
    if (!pack) return pack.error();
    auto key_file = s.args.Option("key");
    if (!key_file) return Fail(Errc::InvalidInput, "--key FILE is required (from ht-admin packs keygen)");
    auto text = ReadSmallFile(*key_file, 4096);
    if (!text) return text.error();
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
    const auto bytes = i18n::FromBase64(*text);
    i18n::SignSecretKey key{};
    if (!bytes || bytes->size() != key.size()) return Fail(Errc::InvalidInput, *key_file + ": not a signing key");
    std::copy(bytes->begin(), bytes->end(), key.begin());
    if (auto r = i18n::SignPack(*pack, key); !r) return r;
    s.env.out << "Signed " << *pack << "\n";
    return {};
}

Result<void> VerbPacksVerify(Session& s) {
    auto pack = Word(s, 2, "the folder of the pack to verify");
    if (!pack) return pack.error();
    auto v = s.args.Option("service-key");
    if (!v) return Fail(Errc::InvalidInput, "--service-key BASE64 is required");
    auto key = ParsePublicKey(*v);
    if (!key) return key.error();
    if (auto r = i18n::VerifyPack(*pack, *key); !r) return r;
    s.env.out << "The signature of " << *pack << " is good\n";
    return {};
}

Result<void> VerbPacksExport(Session& s) {
    auto tag = Word(s, 2, "the pack's tag");
    if (!tag) return tag.error();
    auto out = s.args.Option("csv");
    if (!out) return Fail(Errc::InvalidInput, "--csv FILE is required");
    const fs::path source = SourceDir(s);
    auto english = i18n::ReadBundleSource(source / "en-GB" / "strings.txt");
    if (!english) return english.error();
    auto pack = i18n::ReadBundleSource(source / *tag / "strings.txt");
    if (!pack) return pack.error();
    // max_length from English as the kiosk draws it now (the build's compiled packs, or --locales).
    std::map<std::string, int> lengths;
    {
        app::FitChecker checker(LocalesDir(s));
        if (auto fit = checker.FittingLengths("en-GB")) lengths = std::move(*fit);
        else s.env.err << "ht-admin: max_length left empty: " << fit.error().detail << "\n";
    }
    const auto csv = i18n::ExportCsv(*english, *pack, [&](const std::string& key) {
        const auto it = lengths.find(key);
        return it == lengths.end() ? 0 : it->second;
    });
    if (auto w = WriteFileAtomic(*out, csv, 0644); !w) return w;
    s.env.out << "Wrote " << english->entries.size() << " rows to " << *out << "\n";
    return {};
}

Result<void> VerbPacksImport(Session& s) {
    auto tag = Word(s, 2, "the pack's tag");
    if (!tag) return tag.error();
    auto file = Word(s, 3, "the CSV file");
    if (!file) return file.error();
    const fs::path source = SourceDir(s);
    auto manifest = i18n::LoadManifest(source / *tag);
    if (!manifest) return manifest.error();
    auto english = i18n::ReadBundleSource(source / "en-GB" / "strings.txt");
    if (!english) return english.error();
    auto pack = i18n::ReadBundleSource(source / *tag / "strings.txt");
    if (!pack) return pack.error();
    auto csv = ReadSmallFile(*file, 4u << 20);
    if (!csv) return csv.error();
    auto report = i18n::ImportCsv(*csv, *english, *pack, i18n::PluralCategories(manifest->icu_locale));
    if (!report) return Fail(report.error().code, *file + ": " + report.error().detail);
    for (const auto& p : report->invalid)
        s.env.out << *file << ": row " << p.row << ": " << p.key << ": " << p.reason << "\n";
    s.env.out << report->added.size() << " new, " << report->changed.size() << " changed, " << report->invalid.size()
              << " invalid\n";
    if (!report->invalid.empty()) return Fail(Errc::InvalidInput, *file + ": nothing applied: fix the invalid rows first");
    if (s.args.Flag("dry-run")) return {};
    const auto text = i18n::WriteBundleSource(
        report->result, manifest->english_name + " (" + *tag + "): imported from " + fs::path(*file).filename().string() +
                            "\nDraft until a native speaker reviews it.");
    return WriteFileAtomic(source / *tag / "strings.txt", text, 0644);
}

}  // namespace htk::admin
