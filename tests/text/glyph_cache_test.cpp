// tests/text/glyph_cache_test.cpp: the glyph cache rasterises on demand into pages that grow, stays
// within its page budget by resetting least recently used pages, and redraws correctly afterwards.
#include <doctest/doctest.h>

#include <string>

#include "panel.h"
#include "samples.h"
#include "soft_raster.h"
#include "test_util.h"
#include "text/engine.h"

using namespace htk::text;
using htk::test::StyleOf;

namespace {

// Draws one text in a fresh frame and rasterises it, so what the texture pages hold is checked.
htk::test::Image Render(Engine& engine, MemoryTextureBackend& textures, const std::string& text, FontSetId set,
                        float size) {
    htk::test::DrawScope scope;
    engine.NewFrame();
    engine.Draw(scope.List(), Box{ImVec2(4, 4), ImVec2(636, 4)}, text, StyleOf(set, size));
    ImDrawData data;
    data.Valid = true;
    ImDrawList* lists[] = {scope.List()};
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = ImVec2(640, 200);
    htk::test::Image img = htk::test::MakeImage(640, 200, IM_COL32(255, 255, 255, 255));
    htk::test::Rasterise(data, [&](ImTextureID id) -> htk::test::TextureView {
        const auto* t = textures.Find(id);
        return t ? htk::test::TextureView{t->width, t->height, t->rgba.data()} : htk::test::TextureView{};
    }, img);
    return img;
}

std::size_t DarkPixels(const htk::test::Image& img) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < img.rgba.size(); i += 4) n += img.rgba[i] < 128;
    return n;
}

}  // namespace

TEST_CASE("nothing is rasterised before it is drawn, and measuring rasterises nothing") {
    MemoryTextureBackend textures;
    Engine engine(textures);
    CHECK(engine.Stats().glyph_pages == 0);
    const FontSetId cjk = engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("zh-Hans")));
    engine.Measure(htk::test::SampleFor("zh-Hans").text, StyleOf(cjk));
    CHECK(engine.Stats().glyphs_cached == 0);
    CHECK(textures.Count() == 0);
    htk::test::DrawScope scope;
    engine.Draw(scope.List(), Box{}, "与健康", StyleOf(cjk));
    CHECK(engine.Stats().glyph_pages == 1);
    CHECK(engine.Stats().glyphs_cached == 3);
    CHECK(textures.Count() == 1);
}

TEST_CASE("glyph pixels land in the texture and on screen where the text was drawn") {
    MemoryTextureBackend textures;
    Engine engine(textures);
    const FontSetId set = engine.AddFontSet({.families = {"Noto Sans"}});
    const auto img = Render(engine, textures, "Health", set, 40.0f);
    CHECK(DarkPixels(img) > 200);
    REQUIRE(textures.Count() == 1);
    CHECK(textures.Bytes() == engine.Stats().glyph_texture_bytes);
    CHECK(textures.UpdateCount() >= 6);  // the white block, then one upload per new glyph
    // Ink sits only where text was drawn: the top-left quarter of the 640x200 image.
    std::size_t outside = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x)
            if ((x > 320 || y > 100) && img.rgba[(static_cast<std::size_t>(y) * 640u + static_cast<std::size_t>(x)) * 4u] < 250) ++outside;
    CHECK(outside == 0);
}

TEST_CASE("pages grow on demand up to the budget, least recently used pages are reset, redraws stay right") {
    MemoryTextureBackend textures;
    htk::test::Warnings warnings;
    EngineOptions options = warnings.Options();
    options.page_size = 256;
    options.max_pages = 2;
    Engine engine(textures, options);
    const FontSetId cjk = engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("zh-Hans")));
    const FontSetId latin = engine.AddFontSet({.families = {"Noto Sans"}});
    const std::string english = "Book a free appointment";
    const auto before = Render(engine, textures, english, latin, 32.0f);
    // Many distinct large glyphs, one frame each, push the English glyphs out of the cache.
    const std::string hanzi = "与健康教练预约免费咨询请在前台出示编号我们会给您打电话时间地点医生护士";
    const std::size_t count = hanzi.size() / 3;  // all three-byte characters
    std::size_t cp = 0;
    for (int frame = 0; frame < 12; ++frame) {
        std::string chunk;
        for (int k = 0; k < 4; ++k) {
            const std::size_t at = (cp++ % count) * 3;
            chunk += hanzi.substr(at, 3);
        }
        Render(engine, textures, chunk, cjk, 64.0f + static_cast<float>(frame));
        CHECK(engine.Stats().glyph_pages <= 2);
        CHECK(textures.Count() == engine.Stats().glyph_pages);
    }
    CHECK(engine.Stats().glyph_evictions > 0);
    CHECK(engine.Stats().glyph_texture_bytes <= 2u * 256u * 256u * 4u);
    // The cached English layout still draws the same pixels after its glyphs were evicted.
    const auto after = Render(engine, textures, english, latin, 32.0f);
    const auto diff = htk::test::Compare(before, after, 0);
    CHECK(diff.same_size);
    CHECK(diff.differing == 0);
    CHECK(warnings.lines.empty());
}

TEST_CASE("one frame needing more than the budget overflows for that frame only") {
    MemoryTextureBackend textures;
    EngineOptions options;
    options.page_size = 128;
    options.max_pages = 1;
    Engine engine(textures, options);
    const FontSetId cjk = engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("zh-Hans")));
    htk::test::DrawScope scope;
    engine.NewFrame();
    engine.Draw(scope.List(), Box{}, "与健康教练预约免费", StyleOf(cjk, 60.0f));
    CHECK(engine.Stats().glyph_pages == 2);  // every glyph of this frame is queued: nothing may be reset
    engine.NewFrame();
    CHECK(engine.Stats().glyph_pages == 1);
    CHECK(textures.Count() == 1);
}

TEST_CASE("glyph cache memory after every language at two sizes stays within 16 MB") {
    MemoryTextureBackend textures;
    htk::test::Warnings warnings;
    Engine engine(textures, warnings.Options());
    htk::test::DrawScope scope;
    std::vector<htk::test::Sample> all = htk::test::LanguageSamples();
    all.insert(all.end(), htk::test::MixedSamples().begin(), htk::test::MixedSamples().end());
    for (float size : {28.0f, 48.0f})
        for (const auto& s : all) {
            engine.NewFrame();
            scope.Reset();
            engine.Draw(scope.List(), Box{ImVec2(0, 0), ImVec2(900, 0)}, s.text, StyleOf(engine.AddFontSet(htk::test::SpecOf(s)), size));
        }
    const EngineStats stats = engine.Stats();
    MESSAGE("glyph cache after all languages at 28 and 48 px: " << stats.glyphs_cached << " glyphs, " << stats.glyph_pages
            << " pages, " << static_cast<double>(stats.glyph_texture_bytes) / (1024.0 * 1024.0) << " MB, " << stats.glyph_evictions << " evictions");
    CHECK(stats.glyph_texture_bytes <= 16u << 20);
    CHECK(stats.glyph_evictions == 0);  // and everything still fits: no thrashing
    CHECK(textures.Bytes() == stats.glyph_texture_bytes);
    CHECK(warnings.lines.empty());
}
