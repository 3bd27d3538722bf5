// tests/text/panel.cpp: what each golden panel shows. Draws only through htk::text::Engine, plus
// ImGui rectangles and lines for box outlines and caret marks.
#include "panel.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>

#include "samples.h"
#include "text/engine.h"

namespace htk::test {

namespace {

using namespace htk::text;

constexpr int kWidth = 1200;
constexpr float kMargin = 16.0f;
constexpr float kLabelWidth = 230.0f;
const ImU32 kInk = IM_COL32(20, 20, 20, 255);
const ImU32 kLabel = IM_COL32(90, 90, 110, 255);
const ImU32 kOutline = IM_COL32(200, 205, 220, 255);
const ImU32 kCaret = IM_COL32(220, 30, 30, 255);

struct Ctx {
    Engine& engine;
    ImDrawList* dl;
    FontSetId latin;
    float y = kMargin;
};

void Heading(Ctx& c, const std::string& text) {
    Style st{.font_set = c.latin, .size = 22.0f, .colour = kLabel};
    const DrawResult r = c.engine.Draw(c.dl, Box{ImVec2(kMargin, c.y), ImVec2(kWidth - kMargin, c.y)}, text, st);
    c.y += r.size.y + 6.0f;
}

// A label on the left, the text in an outlined box on the right.
void Row(Ctx& c, const std::string& label, const std::string& text, FontSetId set, float size = 32.0f,
         DrawOptions opts = {}, float box_width = kWidth - 2 * kMargin - kLabelWidth) {
    const Style label_style{.font_set = c.latin, .size = 18.0f, .colour = kLabel};
    const Style st{.font_set = set, .size = size, .colour = kInk};
    const float x = kMargin + kLabelWidth;
    const float y = c.y;
    const DrawResult lr =
        c.engine.Draw(c.dl, Box{ImVec2(kMargin, y + 4), ImVec2(x - 12, y + 4)}, label, label_style);
    const Box probe{ImVec2(x, y), ImVec2(x + box_width, y)};
    const DrawResult measured = c.engine.Draw(nullptr, probe, text, st, opts);
    const Box box{ImVec2(x, y), ImVec2(x + box_width, y + measured.size.y)};
    c.dl->AddRect(box.min, box.max, kOutline);
    c.engine.Draw(c.dl, box, text, st, opts);
    c.y += std::max(lr.size.y + 8.0f, measured.size.y) + 12.0f;
}

void LanguagePanel(Ctx& c, const std::vector<Sample>& samples, const std::string& title) {
    Heading(c, title);
    for (const Sample& s : samples) Row(c, s.name + " (" + s.tag + ")", s.text, c.engine.AddFontSet(SpecOf(s)));
}

void LayoutPanel(Ctx& c) {
    const FontSetId ur = c.engine.AddFontSet(SpecOf(SampleFor("ur")));
    const FontSetId ar = c.engine.AddFontSet(SpecOf(SampleFor("ar")));
    const FontSetId bn = c.engine.AddFontSet(SpecOf(SampleFor("bn")));
    const FontSetId mixed = c.engine.AddFontSet({.families = {"Noto Sans", "Noto Naskh Arabic"}, .language = "en-GB", .direction = Direction::Ltr});

    Heading(c, "Wrapping before reordering: the first line holds the first words");
    Row(c, "Urdu, wrapped, Start", "پہلا لفظ یہاں ہے اور یہ جملہ کئی سطروں میں ٹوٹتا ہے تاکہ ترتیب دیکھی جا سکے۔ آخری لفظ", ur,
        30.0f, {}, 460.0f);
    Row(c, "English, wrapped, Start", "First words come first, and this sentence wraps over several lines so the order shows. Last",
        c.latin, 26.0f, {}, 460.0f);

    Heading(c, "Alignment in logical terms (Start is right in RTL)");
    const char* arabic = "مرحبا بك";
    Row(c, "Arabic, Start", arabic, ar, 30.0f, {.align = Align::Start}, 460.0f);
    Row(c, "Arabic, Centre", arabic, ar, 30.0f, {.align = Align::Centre}, 460.0f);
    Row(c, "Arabic, End", arabic, ar, 30.0f, {.align = Align::End}, 460.0f);
    Row(c, "English, Start", "Welcome", c.latin, 30.0f, {.align = Align::Start}, 460.0f);
    Row(c, "English, End", "Welcome", c.latin, 30.0f, {.align = Align::End}, 460.0f);

    Heading(c, "Ellipsis at the logical end");
    DrawOptions one_line;
    one_line.wrap = false;
    one_line.ellipsize = true;
    Row(c, "English, 1 line", "Please show this reference at the reception desk when you arrive", c.latin, 28.0f,
        one_line, 420.0f);
    Row(c, "Arabic, 1 line", "يرجى إظهار هذا الرقم المرجعي في مكتب الاستقبال عند وصولك", ar, 28.0f, one_line, 420.0f);
    DrawOptions two_lines;
    two_lines.ellipsize = true;
    two_lines.max_lines = 2;
    Row(c, "Bengali, 2 lines", "আপনার স্বাস্থ্য প্রশিক্ষক আপনাকে ফোন করবেন এবং আপনার জন্য একটি সুবিধাজনক সময় ঠিক করবেন, তারপর আপনি অভ্যর্থনায় আসবেন।",
        bn, 28.0f, two_lines, 420.0f);

    Heading(c, "Bad input");
    // Code points no installed font may draw: an unassigned one and a private-use one.
    Row(c, "Uncovered: placeholder", "Unassigned \u0378 and private use \uE000 have no font", c.latin, 28.0f);
    Row(c, "Invalid UTF-8: U+FFFD", std::string("caf\xC3 (\xFF\xFE) na\xEF\xBF"), c.latin, 28.0f);

    Heading(c, "Caret stops (red) in mixed text, every grapheme boundary");
    const std::string mixed_text = "Call صحة now";
    const Style st{.font_set = mixed, .size = 36.0f, .colour = kInk};
    const float x = kMargin + kLabelWidth, y = c.y;
    const Box box{ImVec2(x, y), ImVec2(x + 460.0f, y + 60.0f)};
    c.engine.Draw(c.dl, Box{ImVec2(kMargin, y + 4), ImVec2(x - 12, y + 4)}, "English + Arabic", Style{.font_set = c.latin, .size = 18.0f, .colour = kLabel});
    c.dl->AddRect(box.min, box.max, kOutline);
    c.engine.Draw(c.dl, box, mixed_text, st);
    for (std::size_t i = 0; i <= mixed_text.size(); ++i) {
        if (i < mixed_text.size() && (static_cast<unsigned char>(mixed_text[i]) & 0xC0) == 0x80) continue;
        const Caret caret = c.engine.CaretAt(box, mixed_text, st, {}, i);
        c.dl->AddLine(ImVec2(caret.top.x + 0.5f, caret.top.y), ImVec2(caret.top.x + 0.5f, caret.top.y + caret.height), kCaret);
    }
    c.y += 72.0f;
}

}  // namespace

std::vector<std::string> PanelNames() { return {"latin", "rtl", "indic", "ethiopic_cjk", "mixed", "layout"}; }

std::optional<Image> RenderPanel(const std::string& name) {
    const auto names = PanelNames();
    if (std::find(names.begin(), names.end(), name) == names.end()) return std::nullopt;

    MemoryTextureBackend textures;
    Engine engine(textures);
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(kWidth, 4000);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* font_px = nullptr;
    int font_w = 0, font_h = 0;
    io.Fonts->GetTexDataAsRGBA32(&font_px, &font_w, &font_h);
    static int font_tag = 0;  // its address is the ImGui font atlas' texture id
    io.Fonts->SetTexID(&font_tag);
    ImGui::NewFrame();
    engine.NewFrame();

    Ctx c{engine, ImGui::GetBackgroundDrawList(), engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB", .direction = Direction::Ltr})};
    const auto& langs = LanguageSamples();
    auto slice = [&](std::size_t a, std::size_t b) { return std::vector<Sample>(langs.begin() + a, langs.begin() + b); };
    if (name == "latin") LanguagePanel(c, slice(0, 7), "Latin script: English, Turkish, Polish, Romanian, Somali, Portuguese, Lithuanian");
    if (name == "rtl") LanguagePanel(c, slice(7, 12), "Right to left: Urdu (Nastaliq), Arabic, Farsi, Kurdish Sorani, Pashto");
    if (name == "indic") LanguagePanel(c, slice(12, 18), "Indic: Bengali, Punjabi (Gurmukhi), Gujarati, Hindi, Nepali, Tamil");
    if (name == "ethiopic_cjk") LanguagePanel(c, slice(18, 22), "Ethiopic and Chinese: Tigrinya, Amharic, Simplified, Traditional");
    if (name == "mixed") LanguagePanel(c, MixedSamples(), "Mixed directions and scripts");
    if (name == "layout") LayoutPanel(c);

    ImGui::Render();
    const int height = static_cast<int>(c.y + kMargin);
    Image img = MakeImage(kWidth, height, IM_COL32(255, 255, 255, 255));
    Rasterise(*ImGui::GetDrawData(),
              [&](ImTextureID id) -> TextureView {
                  if (id == &font_tag) return {font_w, font_h, font_px};
                  if (const auto* t = textures.Find(id)) return {t->width, t->height, t->rgba.data()};
                  return {};
              },
              img);
    ImGui::DestroyContext(ctx);
    return img;
}

}  // namespace htk::test
