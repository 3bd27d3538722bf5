// The text field's caret and editing, the on-screen keyboard of every shipped pack and the number
// pad: keys big enough and apart, and a patient's name typed on them key by key.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "i18n/catalog.h"
#include "i18n/keyboard.h"
#include "soft_raster.h"
#include "tests/support/kiosk.h"
#include "ui/keyboard.h"
#include "ui/text.h"
#include "ui/widgets.h"

using htk::test::Kiosk;
using htk::test::KioskOptions;
using namespace htk::ui;

namespace {

std::vector<htk::i18n::Keyboard> PackKeyboards(const std::string& tag) {
    const auto dir = htk::i18n::DefaultLocalesDir() / tag;
    auto manifest = htk::i18n::LoadManifest(dir);
    REQUIRE_MESSAGE(manifest, manifest.error().detail);
    auto keyboards = htk::i18n::LoadPackKeyboards(dir, manifest->keyboards);
    REQUIRE_MESSAGE(keyboards, keyboards.error().detail);
    return std::move(keyboards.value());
}

KioskOptions Options(const std::string& tag, ImVec2 display) {
    KioskOptions options;
    options.lang = tag;
    options.display = display;
    return options;
}

// A screen with a name field and the keyboard under it, laid out as a keyboard screen would.
struct KeyboardScreen {
    explicit KeyboardScreen(const std::string& tag) : layouts(PackKeyboards(tag)) {}

    std::vector<htk::i18n::Keyboard> layouts;
    TextFieldView field;
    KeyboardView kb;
    Rect keyboard_rect;

    void Draw(const Ctx& ctx) {
        DrawBackground(ctx, theme::kBackgroundTop, theme::kBackgroundBottom);
        const float width = std::min(ctx.display.x - 2.0f * theme::kMargin, 1500.0f);
        const float height = KeyboardHeight(ctx, layouts, width);
        keyboard_rect = Rect::FromSize({(ctx.display.x - width) * 0.5f, ctx.display.y - theme::kMargin - height}, {width, height});
        TextField(ctx, "name.field", field, Rect::FromSize({theme::kMargin, theme::kMargin}, {ctx.display.x - 2.0f * theme::kMargin, 120.0f}));
        DrawKeyboard(ctx, layouts, kb, field, keyboard_rect);
    }
};

bool Overlap(const Rect& a, const Rect& b) {
    return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

// Every key drawn in the last frame is a full touch target, on the display, clear of the others.
void CheckKeys(const Kiosk& k, ImVec2 display, std::string_view prefix) {
    std::vector<std::pair<std::string, Rect>> keys;
    std::set<std::string> seen;
    for (const auto& name : k.Keys()) {
        if (!name.starts_with(prefix)) continue;
        CHECK_MESSAGE(seen.insert(name).second, name << " is drawn twice");
        keys.emplace_back(name, *k.RectOf(name));
    }
    REQUIRE_FALSE(keys.empty());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto& [name, r] = keys[i];
        CAPTURE(name);
        CHECK(r.Width() >= theme::kMinTouchTarget);
        CHECK(r.Height() >= theme::kMinTouchTarget);
        CHECK(r.min.x >= 0.0f);
        CHECK(r.min.y >= 0.0f);
        CHECK(r.max.x <= display.x);
        CHECK(r.max.y <= display.y);
        for (std::size_t j = i + 1; j < keys.size(); ++j)
            CHECK_MESSAGE(!Overlap(r, keys[j].second), name << " overlaps " << keys[j].first);
    }
}

std::size_t KeyCount(const htk::i18n::Keyboard& layout) {
    std::size_t n = 0;
    for (const auto& row : layout.rows) n += row.size();
    return n;
}

std::size_t Drawn(const Kiosk& k, std::string_view prefix) {
    const auto keys = k.Keys();
    return static_cast<std::size_t>(std::count_if(keys.begin(), keys.end(), [&](const std::string& key) { return key.starts_with(prefix); }));
}

// A name in each pack's own script, written only with its keyboard's keys; packs whose only layout
// is Latin have a Latin name.
const std::map<std::string, std::string>& OwnScriptNames() {
    static const std::map<std::string, std::string> names{
        {"ar", "فاطمة الزهراء"},     {"bn", "রহিম উদ্দিন"},    {"ckb", "ڕێبوار"},
        {"en-GB", "Mary O'Neill"},   {"fa", "زهرا احمدی"},    {"lt", "Rūta Žukauskienė"},
        {"pa", "ਗੁਰਪ੍ਰੀਤ ਕੌਰ"},         {"pl", "Łucja Wróbel"},   {"pt", "João Conceição"},
        {"ro", "Ștefan Mureșan"},    {"so", "Cabdi Xasan"},    {"ti", "ሰመረ ተኽለ"},
        {"tr", "Ayşe Yılmaz"},       {"ur", "عائشہ خان"},       {"zh-Hans", "Wang Xiuying"},
    };
    return names;
}

}  // namespace

TEST_CASE("InsertAtCaret puts text where the caret is and moves the caret past it") {
    TextFieldView f{.text = "Ay Khan", .caret = 2};
    CHECK(InsertAtCaret(f, "şe"));
    CHECK(f.text == "Ayşe Khan");
    CHECK(f.caret == 5);
    CHECK(InsertAtCaret(f, "\xC3"));  // ill-formed input goes in as U+FFFD, never as a broken byte
    CHECK(f.text == "Ayşe\uFFFD Khan");
    CHECK(f.caret == 8);
}

TEST_CASE("Backspace takes a Bengali conjunct apart one code point at a time") {
    TextFieldView f{.text = "রক্ত"};  // র ক ্ ত
    f.caret = f.text.size();
    CHECK(DeleteBeforeCaret(f));
    CHECK(f.text == "রক্");
    CHECK(f.caret == f.text.size());
    CHECK(DeleteBeforeCaret(f));
    CHECK(f.text == "রক");  // the hasanta goes on its own: the patient can type another consonant
    CHECK(DeleteBeforeCaret(f));
    CHECK(f.text == "র");
    CHECK(DeleteBeforeCaret(f));
    CHECK(f.text.empty());
    CHECK(f.caret == 0);
    CHECK_FALSE(DeleteBeforeCaret(f));

    TextFieldView mid{.text = "কিখ", .caret = 6};  // after কি: the vowel sign goes, the letter stays
    CHECK(DeleteBeforeCaret(mid));
    CHECK(mid.text == "কখ");
    CHECK(mid.caret == 3);
}

TEST_CASE("the caret moves by whole grapheme clusters: a Devanagari cluster, an emoji ZWJ sequence") {
    TextFieldView hindi{.text = "हिंदी"};  // हिं | दी: a consonant with its vowel sign and anusvara is one stop
    MoveCaret(hindi, +1);
    CHECK(hindi.caret == 9);
    MoveCaret(hindi, +1);
    CHECK(hindi.caret == 15);
    MoveCaret(hindi, +1);
    CHECK(hindi.caret == 15);
    MoveCaret(hindi, -1);
    CHECK(hindi.caret == 9);
    MoveCaret(hindi, -5);
    CHECK(hindi.caret == 0);

    TextFieldView emoji{.text = "a\U0001F469\u200D\u2695\uFE0Fb"};  // a, woman health worker (13 bytes), b
    MoveCaret(emoji, +2);
    CHECK(emoji.caret == 14);
    MoveCaret(emoji, -1);
    CHECK(emoji.caret == 1);
    CHECK(InsertAtCaret(emoji, "x"));
    CHECK(emoji.text == "ax\U0001F469\u200D\u2695\uFE0Fb");
}

TEST_CASE("a field never passes kMaxFieldBytes, and a refused insert changes nothing") {
    TextFieldView f{.text = std::string(kMaxFieldBytes - 2, 'a')};
    f.caret = f.text.size();
    CHECK_FALSE(InsertAtCaret(f, "ক"));  // 3 bytes: one too many
    CHECK(f.text.size() == kMaxFieldBytes - 2);
    CHECK(InsertAtCaret(f, "bc"));
    CHECK(f.text.size() == kMaxFieldBytes);
    CHECK_FALSE(InsertAtCaret(f, "d"));
    CHECK(f.text.size() == kMaxFieldBytes);
    CHECK(f.caret == kMaxFieldBytes);
}

TEST_CASE("an invalid caret is clamped to the text and back to the start of its cluster") {
    const std::string ki = "কি";  // one cluster of 6 bytes
    CHECK(ClampCaret(ki, 3) == 0);   // between the letter and its vowel sign
    CHECK(ClampCaret(ki, 4) == 0);   // inside a code point
    CHECK(ClampCaret(ki, 99) == 6);
    CHECK(ClampCaret("", 5) == 0);
    TextFieldView f{.text = ki, .caret = 4};
    CHECK_FALSE(DeleteBeforeCaret(f));
    CHECK(f.text == ki);
    f.caret = 99;
    CHECK(InsertAtCaret(f, "খ"));
    CHECK(f.text == "কিখ");
    MoveCaret(f, 0);
    CHECK(f.caret == f.text.size());
}

TEST_CASE("tapping an Urdu and English name puts the caret at the stop under the finger") {
    Kiosk k(Options("ur", {1080, 1920}));
    const std::string name = "عائشہ Khan";  // ع ا ئ ش ہ (2 bytes each), space, K h a n
    TextFieldView field{.text = name};
    const Rect rect = Rect::FromSize({100, 100}, {880, 120});
    const Rect inner = rect.Inset(24.0f, 0.0f);  // where TextField lays its text out
    std::map<std::size_t, ImVec2> at;             // stop -> where its caret is drawn
    std::map<std::size_t, std::size_t> round_trip;
    const std::vector<std::size_t> stops{2, 4, 6, 8, 12, 13, 14};  // inside the Urdu word and inside "Khan"
    k.DrawInstead([&](const Ctx& ctx) {
        TextField(ctx, "name.field", field, rect);
        for (std::size_t i : stops) {
            const CaretPos c = CaretAt(ctx, name, inner, TextSize::Body, i);
            at[i] = {c.top.x, c.top.y + c.height * 0.5f};
            round_trip[i] = IndexAt(ctx, name, inner, TextSize::Body, at[i]);
        }
    });
    for (std::size_t i : stops) {
        CAPTURE(i);
        CHECK(round_trip[i] == i);
    }
    // Right to left: the Urdu word is at the right end, "Khan" to its left reading left to right.
    CHECK(at[2].x > at[8].x);
    CHECK(at[8].x > at[14].x);
    CHECK(at[12].x < at[14].x);

    k.TapAt(at[12]);  // between K and h
    CHECK(field.focused);
    CHECK(field.caret == 12);
    k.TapAt(at[4]);  // after عا
    CHECK(field.caret == 4);
    k.PressKey(ImGuiKey_Backspace);
    CHECK(field.text == "عئشہ Khan");
    CHECK(field.caret == 2);
    k.PressKey(ImGuiKey_RightArrow);  // logical order: towards the end of the text, leftwards on screen
    CHECK(field.caret == 4);
    k.PressKey(ImGuiKey_LeftArrow);
    k.PressKey(ImGuiKey_LeftArrow);
    CHECK(field.caret == 0);
    k.PressKey(ImGuiKey_LeftArrow);
    CHECK(field.caret == 0);
}

TEST_CASE("every shipped pack's keyboards load in manifest order and fit portrait and landscape screens") {
    const auto tags = htk::test::ShippedPacks();
    REQUIRE(tags.size() >= 15);
    for (const auto& tag : tags) {
        CAPTURE(tag);
        KeyboardScreen screen(tag);
        const auto manifest = htk::i18n::LoadManifest(htk::i18n::DefaultLocalesDir() / tag);
        REQUIRE(screen.layouts.size() == manifest->keyboards.size());
        for (std::size_t i = 0; i < screen.layouts.size(); ++i) CHECK(screen.layouts[i].id == manifest->keyboards[i]);
        CHECK(screen.layouts.back().id == "latin");  // every pack can write a name as the clinical system holds it

        for (const ImVec2 display : {ImVec2{1080, 1920}, ImVec2{1920, 1080}}) {
            CAPTURE(display.x);
            Kiosk k(Options(tag, display));
            k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
            for (std::size_t layout = 0; layout < screen.layouts.size(); ++layout) {
                for (const bool shifted : {false, true}) {
                    CAPTURE(screen.layouts[layout].id);
                    CAPTURE(shifted);
                    screen.kb = {.layout = layout, .shifted = shifted};
                    k.Frame();
                    CheckKeys(k, display, "keyboard.");
                    CHECK(Drawn(k, "keyboard.key.") == KeyCount(screen.layouts[layout]));
                    CHECK(Drawn(k, "keyboard.layout.") == screen.layouts.size() - 1);
                    CHECK(k.Shows("keyboard.shift") == !screen.layouts[layout].shifted.empty());
                    CHECK(k.Shows("keyboard.space"));
                    CHECK(k.Shows("keyboard.backspace"));
                    for (const auto& key : k.Keys()) {  // KeyboardHeight was enough for every layout
                        if (!key.starts_with("keyboard.")) continue;
                        const Rect r = *k.RectOf(key);
                        CHECK(r.min.y >= screen.keyboard_rect.min.y);
                        CHECK(r.max.y <= screen.keyboard_rect.max.y + 0.5f);
                    }
                    // No key label is a placeholder box in the pack's own fonts or an installed fallback.
                    for (const auto& t : k.Texts())
                        if (t.box.min.y >= screen.keyboard_rect.min.y) {
                            CAPTURE(t.text);
                            CHECK(k.Engine().Undrawable(t.font_set, t.text).empty());
                        }
                }
            }
        }
    }
}

TEST_CASE("a patient types a name in their own script and in Latin letters on the keyboard") {
    for (const auto& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        REQUIRE(OwnScriptNames().contains(tag));
        const std::string text = OwnScriptNames().at(tag) + " Mary O'Neill";
        for (const ImVec2 display : {ImVec2{1080, 1920}, ImVec2{1920, 1080}}) {
            CAPTURE(display.x);
            KeyboardScreen screen(tag);
            Kiosk k(Options(tag, display));
            k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
            k.TypeOnScreen(text);
            CHECK(screen.field.text == text);
            CHECK(screen.field.caret == text.size());
            CHECK_FALSE(screen.kb.shifted);  // one shifted letter, then shift is off again
        }
    }
}

TEST_CASE("Shift gives one capital, then the keyboard is back to small letters") {
    KeyboardScreen screen("tr");
    Kiosk k(Options("tr", {1080, 1920}));
    k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
    CHECK(k.Shows("keyboard.key.ı"));
    k.Tap("keyboard.shift");
    CHECK(screen.kb.shifted);
    CHECK(k.Shows("keyboard.key.I"));
    CHECK_FALSE(k.Shows("keyboard.key.ı"));
    k.Tap("keyboard.key.I");
    CHECK_FALSE(screen.kb.shifted);
    k.Tap("keyboard.key.ş");
    CHECK(screen.field.text == "Iş");
    k.Tap("keyboard.layout.latin");
    CHECK(screen.kb.layout == 1);
    CHECK(k.Shows("keyboard.layout.turkish-q"));
    k.Tap("keyboard.backspace");
    CHECK(screen.field.text == "I");
    k.Tap("keyboard.space");
    CHECK(screen.field.text == "I ");
    CHECK_THROWS_WITH_AS(k.TypeOnScreen("Ж"), doctest::Contains("U+0416"), std::runtime_error);
}

TEST_CASE("nothing on the keyboard stays pressed after the finger lifts") {
    KeyboardScreen screen("bn");
    Kiosk k(Options("bn", {1080, 1920}));
    k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
    auto pressed_look = [&] {
        const ImDrawData* data = k.LastDrawData();
        for (int i = 0; i < data->CmdListsCount; ++i)
            for (const ImDrawVert& v : data->CmdLists[i]->VtxBuffer)
                if (v.col == theme::kStandard.blue_pressed) return true;
        return false;
    };
    CHECK_FALSE(pressed_look());
    k.Tap("keyboard.key.ক");
    k.Tap("keyboard.key.ি");
    k.Tap("keyboard.backspace");
    k.Tap("keyboard.key.া");
    CHECK(screen.field.text == "কা");
    CHECK_FALSE(pressed_look());
}

TEST_CASE("a vowel sign alone on a key sits on a dotted circle and types the sign alone") {
    KeyboardScreen screen("bn");
    Kiosk k(Options("bn", {1080, 1920}));
    k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
    std::set<std::string> texts;
    for (const auto& t : k.Texts()) texts.insert(t.text);
    CHECK(texts.contains("\u25CC\u09BF"));  // ি
    CHECK(texts.contains("\u25CC\u09CD"));  // ্ (hasanta)
    CHECK(texts.contains("\u0995"));        // ক as it is
    CHECK(texts.contains("ABC"));           // the key to the Latin letters
    k.Tap("keyboard.key.ি");
    CHECK(screen.field.text == "\u09BF");  // the key types the sign alone, never the circle
}

TEST_CASE("right to left: the letters keep their file order, the function keys follow the language") {
    KeyboardScreen screen("ur");
    Kiosk k(Options("ur", {1920, 1080}));
    k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
    CHECK(k.RectOf("keyboard.key.ق")->min.x < k.RectOf("keyboard.key.و")->min.x);  // q w: as printed on the keys
    CHECK(k.RectOf("keyboard.backspace")->min.x < k.RectOf("keyboard.space")->min.x);
    CHECK(k.RectOf("keyboard.space")->min.x < k.RectOf("keyboard.layout.latin")->min.x);
    k.Tap("keyboard.layout.latin");
    CHECK(k.RectOf("keyboard.key.q")->min.x < k.RectOf("keyboard.key.w")->min.x);
    CHECK(k.RectOf("keyboard.layout.urdu")->max.x <= k.RectOf("keyboard.shift")->min.x);
}

TEST_CASE("the number pad types ASCII digits, a leading plus, and stops at max_digits") {
    for (const ImVec2 display : {ImVec2{1080, 1920}, ImVec2{1920, 1080}}) {
        Kiosk k(Options("ar", display));
        TextFieldView phone;
        std::size_t max_digits = 11;
        k.DrawInstead([&](const Ctx& ctx) {
            TextField(ctx, "phone.field", phone, Rect::FromSize({48, 48}, {800, 120}));
            const float w = 3.0f * 150.0f + 2.0f * 10.0f;
            DrawNumberPad(ctx, phone, Rect::FromSize({(ctx.display.x - w) * 0.5f, ctx.display.y - 48.0f - 600.0f}, {w, 600.0f}),
                          max_digits, true);
        });
        CheckKeys(k, display, "numpad.");
        CHECK(Drawn(k, "numpad.") == 12);
        k.TypeOnScreen("07700900123");  // 07700 900123, as a patient reads it off their phone
        CHECK(phone.text == "07700900123");
        k.Tap("numpad.4");  // the twelfth digit: refused
        CHECK(phone.text == "07700900123");
        k.Tap("numpad.plus");  // a plus only at the start
        CHECK(phone.text == "07700900123");
        for (int i = 0; i < 11; ++i) k.Tap("numpad.backspace");
        CHECK(phone.text.empty());
        max_digits = 15;
        k.TypeOnScreen("+447700900123");
        CHECK(phone.text == "+447700900123");
    }
    Kiosk k(Options("en-GB", {1080, 1920}));
    TextFieldView day;
    k.DrawInstead([&](const Ctx& ctx) { DrawNumberPad(ctx, day, Rect::FromSize({100, 1000}, {600, NumberPadHeight()}), 2); });
    CHECK_FALSE(k.Shows("numpad.plus"));
    CheckKeys(k, {1080, 1920}, "numpad.");
}

// Not a check: writes what the keyboards look like when HTK_KEYBOARD_SHOTS names a folder.
TEST_CASE("keyboard screenshots") {
    const char* out = std::getenv("HTK_KEYBOARD_SHOTS");
    if (!out) return;
    std::filesystem::create_directories(out);
    struct Shot {
        std::string tag;
        std::size_t layout;
        bool shifted;
        std::string typed;
        std::string file;
    };
    const std::vector<Shot> shots{
        {"ur", 0, false, "عائشہ خان", "ur-urdu"},  {"ur", 1, true, "", "ur-latin-shifted"},
        {"bn", 0, false, "রহিম উদ্দিন", "bn-bengali"}, {"bn", 1, false, "", "bn-latin"},
        {"tr", 0, false, "Ayşe Yılmaz", "tr-turkish-q"}, {"tr", 0, true, "", "tr-turkish-q-shifted"},
        {"pa", 0, false, "", "pa-gurmukhi"}, {"ti", 0, false, "", "ti-ethiopic"},
    };
    for (const ImVec2 display : {ImVec2{1080, 1920}, ImVec2{1920, 1080}}) {
        for (const Shot& shot : shots) {
            KeyboardScreen screen(shot.tag);
            Kiosk k(Options(shot.tag, display));
            k.DrawInstead([&](const Ctx& ctx) { screen.Draw(ctx); });
            if (!shot.typed.empty()) k.TypeOnScreen(shot.typed);
            screen.kb = {.layout = shot.layout, .shifted = shot.shifted};
            k.Frame();
            htk::test::Image image = htk::test::MakeImage(static_cast<int>(display.x), static_cast<int>(display.y),
                                                          theme::kBackgroundTop);
            htk::test::Rasterise(*k.LastDrawData(),
                                 [&](ImTextureID id) -> htk::test::TextureView {
                                     if (const auto* t = k.GlyphTextures().Find(id)) return {t->width, t->height, t->rgba.data()};
                                     return {};
                                 },
                                 image);
            const std::string name = shot.file + (display.x < display.y ? "-portrait" : "-landscape") + ".png";
            CHECK(htk::test::WritePng(image, (std::filesystem::path(out) / name).string()));
        }
    }
    Kiosk k(Options("en-GB", {1080, 1920}));
    TextFieldView phone;
    k.DrawInstead([&](const Ctx& ctx) {
        DrawBackground(ctx, theme::kBackgroundTop, theme::kBackgroundBottom);
        TextField(ctx, "phone.field", phone, Rect::FromSize({48, 48}, {984, 120}));
        DrawNumberPad(ctx, phone, Rect::FromSize({300, 1300}, {480, 572}), 11, true);
    });
    k.TypeOnScreen("0770090012");
    htk::test::Image image = htk::test::MakeImage(1080, 1920, theme::kBackgroundTop);
    htk::test::Rasterise(*k.LastDrawData(),
                         [&](ImTextureID id) -> htk::test::TextureView {
                             if (const auto* t = k.GlyphTextures().Find(id)) return {t->width, t->height, t->rgba.data()};
                             return {};
                         },
                         image);
    CHECK(htk::test::WritePng(image, (std::filesystem::path(out) / "numpad-portrait.png").string()));
}
