// ui/text.h over kiosk/text: a pack's faces in three weights, right-to-left alignment, and glyphs
// drawn from the engine's own texture pages.
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <string>

#include "i18n/catalog.h"
#include "tests/support/kiosk.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "ui/gui_context.h"
#include "ui/text.h"

using namespace htk;

namespace {

bool FirstFileHas(text::Engine& engine, text::FontSetId set, const std::string& part) {
    const auto info = engine.Describe(set);
    return !info.fonts.empty() && info.fonts.front().file.find(part) != std::string::npos;
}

// Horizontal extent of every vertex drawn with a texture other than ImGui's own atlas: the glyphs.
std::pair<float, float> GlyphExtent(const ImDrawData& dd) {
    float lo = FLT_MAX;
    float hi = -FLT_MAX;
    const ImTextureID atlas = ImGui::GetIO().Fonts->TexID;
    for (int n = 0; n < dd.CmdListsCount; ++n) {
        const ImDrawList* list = dd.CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.GetTexID() == atlas) continue;
            for (unsigned i = 0; i < cmd.ElemCount; ++i) {
                const ImDrawVert& v = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + i)])];
                lo = std::min(lo, v.pos.x);
                hi = std::max(hi, v.pos.x);
            }
        }
    }
    return {lo, hi};
}

}  // namespace

TEST_CASE("a pack's faces are its families in regular and their own semibold and bold files") {
    ui::GuiContext gui;
    text::MemoryTextureBackend glyphs;
    text::Engine engine(glyphs);
    auto english = i18n::Catalog::Load(i18n::DefaultLocalesDir(), "en-GB");
    auto urdu = i18n::Catalog::Load(i18n::DefaultLocalesDir(), "ur");
    REQUIRE(english.ok());
    REQUIRE(urdu.ok());

    const ui::Faces en = ui::AddFaces(engine, english.value());
    CHECK(FirstFileHas(engine, en.regular, "NotoSans-Regular"));
    CHECK(FirstFileHas(engine, en.semibold, "NotoSans-SemiBold"));
    CHECK(FirstFileHas(engine, en.bold, "NotoSans-Bold"));
    CHECK(en.For(ui::Weight::Bold) == en.bold);
    CHECK(ui::AddFaces(engine, english.value()) == en);  // the same sets, not new ones

    const ui::Faces ur = ui::AddFaces(engine, urdu.value());
    CHECK_FALSE(ur.regular == en.regular);
    const auto info = engine.Describe(ur.regular);
    REQUIRE_FALSE(info.fonts.empty());
    CHECK(info.fonts.front().family == "Noto Nastaliq Urdu");
    CHECK(engine.Uncovered(ur.bold, "آج ہم آپ کی کیسے مدد کر سکتے ہیں؟ 0123 ABC").empty());
}

TEST_CASE("Start is the right edge in a right-to-left language and the left edge in English") {
    test::KioskOptions options;
    options.locales = i18n::DefaultLocalesDir();
    options.languages = {"en-GB", "ur"};
    for (const char* lang : {"ur", "en-GB"}) {
        CAPTURE(lang);
        options.lang = lang;
        test::Kiosk k(options);
        const ui::Rect rect{{100, 100}, {1100, 200}};
        k.DrawInstead([&](const ui::Ctx& ctx) {
            ui::DrawText(ctx, ctx.Text("home.title"), rect, ui::Align::Start, ui::TextSize::Body, ui::theme::kInk);
        });
        REQUIRE(k.LastDrawData() != nullptr);
        const auto [lo, hi] = GlyphExtent(*k.LastDrawData());
        REQUIRE(lo < hi);
        if (std::string(lang) == "ur") {
            CHECK(hi > 1090.0f);
            CHECK(hi < 1115.0f);  // a Nastaliq swash may reach past the edge
            CHECK(lo > 400.0f);
        } else {
            CHECK(lo >= 100.0f);
            CHECK(lo < 110.0f);  // the first glyph's side bearing
            CHECK(hi < 800.0f);
        }
        CHECK(k.GlyphTextures().Count() > 0);  // glyphs come from the engine's pages
    }
}
