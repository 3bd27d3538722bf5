// ui::Pictograms: every shipped pictogram rasterises, fits its rect, mirrors, is cached once per size,
// stays within its texture budget, and a missing or broken file is a warning that draws nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/referral.h"
#include "tests/env_var.h"
#include "tests/temp_dir.h"
#include "text/glyph_texture.h"
#include "ui/gui_context.h"
#include "ui/pictograms.h"

using namespace htk;

namespace {

const std::vector<std::string> kUiPictograms = {"read_aloud", "help",        "language", "larger_text",
                                                "phone",      "letter",      "reception", "interpreter",
                                                "back",       "crisis",      "check",     "backspace"};

std::vector<std::string> ExpectedNames() {
    std::vector<std::string> names;
    for (core::Reason r : core::AllReasons()) names.emplace_back(core::Key(r));  // one per reason, by its key
    names.insert(names.end(), kUiPictograms.begin(), kUiPictograms.end());
    return names;
}

std::filesystem::path ShippedDir() { return ui::DefaultAssetsDir() / "pictograms"; }

// One ImGui frame, drawing into the foreground list.
class Frame {
public:
    Frame() {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = {1280, 800};
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
    }
    ~Frame() { ImGui::EndFrame(); }
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    ImDrawList* List() const { return ImGui::GetForegroundDrawList(); }
};

struct Quad {
    ImTextureID tex = nullptr;
    ImVec2 p0, p1, uv0, uv1;  // top-left and bottom-right corners, and their texture coordinates
    float Width() const { return p1.x - p0.x; }
    float Height() const { return p1.y - p0.y; }
};

// The quad the last Draw added (AddImage: 4 vertices, top-left first, bottom-right third).
Quad LastQuad(const ImDrawList& list) {
    Quad q;
    REQUIRE(list.VtxBuffer.Size >= 4);
    const ImDrawVert* v = &list.VtxBuffer[list.VtxBuffer.Size - 4];
    q.p0 = v[0].pos;
    q.uv0 = v[0].uv;
    q.p1 = v[2].pos;
    q.uv1 = v[2].uv;
    for (const ImDrawCmd& cmd : list.CmdBuffer)
        if (cmd.ElemCount > 0 && cmd.GetTexID() != ImGui::GetIO().Fonts->TexID) q.tex = cmd.GetTexID();
    return q;
}

struct Coverage {
    int pixels = 0, inked = 0, solid = 0;  // in the quad's texels: all, alpha > 0, alpha == 255
    bool all_white = true;                 // RGB is white everywhere (ImGui's vertex colour tints it)
};

Coverage Measure(const text::MemoryTextureBackend& textures, const Quad& q) {
    Coverage c;
    const auto* t = textures.Find(q.tex);
    REQUIRE(t != nullptr);
    const int x0 = static_cast<int>(std::lround(std::min(q.uv0.x, q.uv1.x) * static_cast<float>(t->width)));
    const int x1 = static_cast<int>(std::lround(std::max(q.uv0.x, q.uv1.x) * static_cast<float>(t->width)));
    const int y0 = static_cast<int>(std::lround(q.uv0.y * static_cast<float>(t->height)));
    const int y1 = static_cast<int>(std::lround(q.uv1.y * static_cast<float>(t->height)));
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            const std::uint8_t* px = &t->rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(t->width) +
                                               static_cast<std::size_t>(x)) * 4u];
            ++c.pixels;
            c.inked += px[3] > 0;
            c.solid += px[3] == 255;
            c.all_white = c.all_white && px[0] == 255 && px[1] == 255 && px[2] == 255;
        }
    return c;
}

void Write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

const std::string kSquare =
    R"(<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="30"/></svg>)";

}  // namespace

TEST_CASE("the shipped pictograms are exactly the ones the kiosk uses") {
    std::set<std::string> shipped;
    for (const auto& entry : std::filesystem::directory_iterator(ShippedDir()))
        if (entry.path().extension() == ".svg") shipped.insert(entry.path().stem().string());
    const auto expected = ExpectedNames();
    CHECK(shipped == std::set<std::string>(expected.begin(), expected.end()));
}

TEST_CASE("every pictogram rasterises at 64 and 160 px with some ink and some clear space") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    std::vector<std::string> warnings;
    ui::Pictograms pictograms(textures, ShippedDir(), [&](const std::string& w) { warnings.push_back(w); });
    for (const auto& name : ExpectedNames()) {
        CAPTURE(name);
        CHECK(pictograms.Has(name));
        for (float px : {64.0f, 160.0f}) {
            CAPTURE(px);
            Frame frame;
            const int before = frame.List()->VtxBuffer.Size;
            pictograms.Draw(frame.List(), name, ui::Rect::FromSize({10, 10}, {px, px}), IM_COL32(0, 94, 184, 255));
            REQUIRE(frame.List()->VtxBuffer.Size == before + 4);
            const Quad q = LastQuad(*frame.List());
            CHECK(q.Width() == px);
            CHECK(q.Height() == px);
            const Coverage c = Measure(textures, q);
            CHECK(c.pixels == static_cast<int>(px * px));
            CHECK(c.all_white);
            // A pictogram, not a speck and not a filled square.
            CHECK(c.inked > c.pixels / 20);
            CHECK(c.solid < c.pixels * 2 / 3);
            CHECK(c.inked < c.pixels * 9 / 10);
        }
    }
    CHECK(warnings.empty());
}

TEST_CASE("a pictogram is fitted and centred in its rect with its aspect kept") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    test::TempDir dir;
    Write(dir.File("square.svg"), kSquare);
    Write(dir.File("wide.svg"),
          R"(<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48" viewBox="0 0 96 48"><rect x="4" y="4" width="88" height="40"/></svg>)");
    ui::Pictograms pictograms(textures, dir.Path());

    struct Case {
        const char* name;
        ui::Rect rect;
        ImVec2 size;  // expected, in pixels
    };
    const Case cases[] = {
        {"square", ui::Rect::FromSize({100, 50}, {300, 120}), {120, 120}},   // wide rect: height limits
        {"square", ui::Rect::FromSize({20.5f, 30}, {80, 200}), {80, 80}},    // tall rect: width limits
        {"wide", ui::Rect::FromSize({0, 0}, {100, 100}), {100, 50}},
        {"wide", ui::Rect::FromSize({640, 400}, {300, 60}), {120, 60}},
        {"square", ui::Rect::FromSize({10.25f, 10.75f}, {63.4f, 63.4f}), {63, 63}},  // whole pixels
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        CAPTURE(c.rect.min.x);
        Frame frame;
        pictograms.Draw(frame.List(), c.name, c.rect, IM_COL32_WHITE);
        const Quad q = LastQuad(*frame.List());
        CHECK(q.Width() == doctest::Approx(c.size.x));
        CHECK(q.Height() == doctest::Approx(c.size.y));
        CHECK(q.p0.x >= c.rect.min.x - 1.0f);
        CHECK(q.p1.x <= c.rect.max.x + 1.0f);
        CHECK(q.p0.y >= c.rect.min.y - 1.0f);
        CHECK(q.p1.y <= c.rect.max.y + 1.0f);
        CHECK(std::abs((q.p0.x + q.p1.x) * 0.5f - c.rect.Centre().x) <= 0.5f);
        CHECK(std::abs((q.p0.y + q.p1.y) * 0.5f - c.rect.Centre().y) <= 0.5f);
        CHECK(q.p0.x == std::floor(q.p0.x));  // on whole pixels, so the raster is not resampled
        CHECK(q.p0.y == std::floor(q.p0.y));
    }
}

TEST_CASE("mirroring flips the texture horizontally and reuses the same pixels") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    ui::Pictograms pictograms(textures, ShippedDir());
    const ui::Rect rect = ui::Rect::FromSize({200, 100}, {96, 96});
    Frame frame;
    pictograms.Draw(frame.List(), "back", rect, IM_COL32_WHITE);
    const Quad plain = LastQuad(*frame.List());
    const int updates = textures.UpdateCount();
    pictograms.Draw(frame.List(), "back", rect, IM_COL32_WHITE, true);
    const Quad mirrored = LastQuad(*frame.List());
    CHECK(textures.UpdateCount() == updates);
    CHECK(mirrored.p0.x == plain.p0.x);
    CHECK(mirrored.p1.x == plain.p1.x);
    CHECK(mirrored.uv0.x == plain.uv1.x);
    CHECK(mirrored.uv1.x == plain.uv0.x);
    CHECK(mirrored.uv0.y == plain.uv0.y);
    CHECK(mirrored.uv1.y == plain.uv1.y);

    // The arrow points left: more ink in the left half of the plain texture than in its right half.
    const auto* t = textures.Find(plain.tex);
    REQUIRE(t != nullptr);
    const int x0 = static_cast<int>(std::lround(plain.uv0.x * static_cast<float>(t->width)));
    const int y0 = static_cast<int>(std::lround(plain.uv0.y * static_cast<float>(t->height)));
    long left = 0, right = 0;
    for (int y = 0; y < 96; ++y)
        for (int x = 0; x < 96; ++x) {
            const int a = t->rgba[(static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(t->width) +
                                   static_cast<std::size_t>(x0 + x)) * 4u + 3u];
            if (x < 36) left += a;
            else if (x >= 60) right += a;
        }
    CHECK(left > right);
}

TEST_CASE("a pictogram is rasterised once per pixel size, in shared pages") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    ui::Pictograms pictograms(textures, ShippedDir());
    const ui::Rect rect = ui::Rect::FromSize({0, 0}, {120, 120});
    {
        Frame frame;
        pictograms.Draw(frame.List(), "smoking", rect, IM_COL32_WHITE);
    }
    CHECK(textures.UpdateCount() == 1);
    CHECK(textures.Count() == 1);
    for (int i = 0; i < 3; ++i) {
        Frame frame;
        pictograms.Draw(frame.List(), "smoking", ui::Rect::FromSize({float(i) * 300.5f, 7}, {120, 120}), IM_COL32_WHITE);
    }
    CHECK(textures.UpdateCount() == 1);  // the same size elsewhere on screen, in later frames
    {
        Frame frame;
        pictograms.Draw(frame.List(), "smoking", ui::Rect::FromSize({0, 0}, {64, 64}), IM_COL32_WHITE);
        pictograms.Draw(frame.List(), "drinking", rect, IM_COL32_WHITE);
    }
    CHECK(textures.UpdateCount() == 3);  // a new size and a new name: one each
    CHECK(textures.Count() == 1);        // all in one page
    CHECK(pictograms.TextureBytes() == textures.Bytes());
}

TEST_CASE("a missing or broken pictogram is one warning naming it, and draws nothing") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    test::TempDir dir;
    Write(dir.File("good.svg"), kSquare);
    Write(dir.File("truncated.svg"), R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><path d="M0 0L)");
    Write(dir.File("not_svg.svg"), "<?xml version=\"1.0\"?><html><body>hello</body></html>");
    Write(dir.File("garbage.svg"), std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
    Write(dir.File("empty.svg"), "");
    std::vector<std::string> warnings;
    ui::Pictograms pictograms(textures, dir.Path(), [&](const std::string& w) { warnings.push_back(w); });

    for (const char* name : {"absent", "truncated", "not_svg", "garbage", "empty", "../good", "Good", ""}) {
        CAPTURE(name);
        warnings.clear();
        for (int i = 0; i < 3; ++i) {
            Frame frame;
            const int before = frame.List()->VtxBuffer.Size;
            pictograms.Draw(frame.List(), name, ui::Rect::FromSize({0, 0}, {96, 96}), IM_COL32_WHITE);
            CHECK(frame.List()->VtxBuffer.Size == before);
        }
        CHECK_FALSE(pictograms.Has(name));
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("\"" + std::string(name) + "\"") != std::string::npos);
    }
    CHECK(textures.UpdateCount() == 0);

    // The others still draw.
    warnings.clear();
    Frame frame;
    const int before = frame.List()->VtxBuffer.Size;
    pictograms.Draw(frame.List(), "good", ui::Rect::FromSize({0, 0}, {96, 96}), IM_COL32_WHITE);
    CHECK(frame.List()->VtxBuffer.Size == before + 4);
    CHECK(warnings.empty());
}

TEST_CASE("pictogram textures stay within their budget however many sizes are drawn") {
    ui::GuiContext gui;
    text::MemoryTextureBackend textures;
    std::vector<std::string> warnings;
    ui::Pictograms pictograms(textures, ShippedDir(), [&](const std::string& w) { warnings.push_back(w); });
    constexpr std::size_t kBudget = std::size_t{ui::Pictograms::kMaxPages} * ui::Pictograms::kPageSize *
                                    ui::Pictograms::kPageSize * 4u;

    // Many sizes, a few a frame (a screen resized again and again): old pages are reused.
    const auto names = ExpectedNames();
    for (int i = 0; i < 400; ++i) {
        Frame frame;
        const float px = 100.0f + static_cast<float>(i);
        pictograms.Draw(frame.List(), names[static_cast<std::size_t>(i) % names.size()],
                        ui::Rect::FromSize({0, 0}, {px, px}), IM_COL32_WHITE);
        REQUIRE(frame.List()->VtxBuffer.Size >= 4);
        CHECK(pictograms.TextureBytes() <= kBudget);
    }
    CHECK(textures.UpdateCount() == 400);
    CHECK(textures.Count() == ui::Pictograms::kMaxPages);  // the budget was reached, and held
    CHECK(textures.Bytes() == pictograms.TextureBytes());
    CHECK(warnings.empty());

    // More than fits in one frame: the rest are skipped with one warning, never more memory.
    {
        Frame frame;
        for (int i = 0; i < 200; ++i)
            pictograms.Draw(frame.List(), "check", ui::Rect::FromSize({0, 0}, {300.0f + float(i), 300.0f + float(i)}),
                            IM_COL32_WHITE);
    }
    CHECK(textures.Count() <= ui::Pictograms::kMaxPages);
    CHECK(warnings.size() == 1);

    // Larger than a page: drawn at its size from a raster that fits in one.
    Frame frame;
    pictograms.Draw(frame.List(), "help", ui::Rect::FromSize({0, 0}, {2000, 2000}), IM_COL32_WHITE);
    const Quad q = LastQuad(*frame.List());
    CHECK(q.Width() == doctest::Approx(2000));
    CHECK(textures.Count() <= ui::Pictograms::kMaxPages);
}

TEST_CASE("the assets folder is the build tree's copy, unless HTK_ASSETS_DIR says otherwise") {
    CHECK(std::filesystem::is_regular_file(ui::DefaultAssetsDir() / "pictograms" / "help.svg"));
    test::TempDir dir;
    {
        const test::EnvVar assets("HTK_ASSETS_DIR", dir.Path().c_str());
        CHECK(ui::DefaultAssetsDir() == dir.Path());
    }
    const test::EnvVar none("HTK_ASSETS_DIR", nullptr);
    CHECK(ui::DefaultAssetsDir() != dir.Path());
}
