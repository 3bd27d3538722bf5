// tests/bench/text_bench.cpp: the text engine's figures from issue 3: shaping and laying out a new
// 80-character string, drawing a cached one, a kiosk screen, glyph cache memory, a language switch,
// and the bidi step alone.
// Reports per-iteration medians as counters (median_us); asserts nothing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "samples.h"
#include "text/detail/bidi.h"
#include "text/detail/utf.h"
#include "text/engine.h"

namespace {

using namespace htk::text;
using Clock = std::chrono::steady_clock;

// One ImGui context for the whole program: ImDrawList needs its shared data.
ImDrawList* SharedDrawList() {
    static ImDrawList* list = [] {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1920, 1080);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        auto* l = new ImDrawList(ImGui::GetDrawListSharedData());
        l->_ResetForNewFrame();
        l->PushClipRectFullScreen();
        return l;
    }();
    return list;
}

void ResetList(ImDrawList* l) {
    l->_ResetForNewFrame();
    l->PushClipRectFullScreen();
}

// The sample sentence repeated and cut to exactly n code points (cut at a code point boundary).
std::string CodePoints(const std::string& text, std::size_t n) {
    std::string out;
    std::size_t count = 0, i = 0;
    while (count < n) {
        if (i >= text.size()) {
            i = 0;
            out += ' ';
            ++count;
            continue;
        }
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        out.append(text, i, len);
        i += len;
        ++count;
    }
    return out;
}

// Variants of one text that differ in a few characters, so every layout is new to the cache.
std::vector<std::string> Variants(const std::string& base, int count) {
    std::vector<std::string> v;
    v.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const std::string tag = std::to_string(1000 + i);
        v.push_back(CodePoints(base, 80 - tag.size() - 1) + " " + tag);
    }
    return v;
}

// Per-iteration samples: wall time and this thread's CPU time (the build machine is shared, so CPU
// time is the steadier figure, though reading it costs a system call, ~1.4 us on the machine of
// RESULTS.md); medians and 90th percentiles become counters.
struct Samples {
    std::vector<double> wall, cpu;
    Clock::time_point t0;
    double c0 = 0;
    static double ThreadCpuUs() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
    }
    void Start() {
        c0 = ThreadCpuUs();
        t0 = Clock::now();
    }
    void Stop() {
        const auto t1 = Clock::now();
        cpu.push_back(ThreadCpuUs() - c0);
        wall.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    void Report(benchmark::State& state) {
        if (wall.empty()) return;
        std::sort(wall.begin(), wall.end());
        std::sort(cpu.begin(), cpu.end());
        state.counters["median_us"] = wall[wall.size() / 2];
        state.counters["p90_us"] = wall[wall.size() * 9 / 10];
        state.counters["median_cpu_us"] = cpu[cpu.size() / 2];
    }
};

const std::vector<std::string> kLanguages = {"en-GB", "tr", "ar", "ur", "fa", "ckb", "bn", "pa", "hi", "ta", "am", "zh-Hans"};

struct EngineFor {
    MemoryTextureBackend textures;
    std::unique_ptr<Engine> engine;
    explicit EngineFor(EngineOptions o = {}) {
        o.warn = [](std::string_view) {};
        engine = std::make_unique<Engine>(textures, o);
    }
};

// A new 80-character string: never laid out before. With cold_words no word of it has been shaped
// before either (the shaped-word cache is off: every word goes through HarfBuzz); otherwise its words
// were seen before, as they are for kiosk strings and for a name being typed.
void BM_ShapeLayoutNew80(benchmark::State& state, const std::string& tag, bool cold_words) {
    EngineOptions options;
    if (cold_words) options.max_shaped_words = 0;
    EngineFor e(options);
    const auto& sample = htk::test::SampleFor(tag);
    const Style st{.font_set = e.engine->AddFontSet(htk::test::SpecOf(sample)), .size = 32.0f};
    // More variants than the layout cache holds: every call misses it.
    const auto texts = Variants(sample.text, 4096);
    std::size_t i = 0;
    Samples samples;
    for (auto _ : state) {
        samples.Start();
        benchmark::DoNotOptimize(e.engine->Measure(texts[i++ % texts.size()], st, 900.0f));
        samples.Stop();
    }
    samples.Report(state);
    state.counters["misses"] = static_cast<double>(e.engine->Stats().layout_misses);
}

// Drawing an 80-character string whose layout and glyphs are cached: what every widget pays each
// frame. Timed in batches of 64 draws so the clock calls do not dominate a sub-microsecond figure.
void BM_DrawCached80(benchmark::State& state, const std::string& tag) {
    constexpr int kBatch = 64;
    EngineFor e;
    const auto& sample = htk::test::SampleFor(tag);
    const Style st{.font_set = e.engine->AddFontSet(htk::test::SpecOf(sample)), .size = 32.0f};
    const std::string text = CodePoints(sample.text, 80);
    ImDrawList* list = SharedDrawList();
    const Box box{ImVec2(10, 10), ImVec2(1900, 10)};
    e.engine->Draw(list, box, text, st);  // lay out and rasterise once
    std::vector<double> per_draw;
    for (auto _ : state) {
        ResetList(list);
        const auto t0 = Clock::now();
        for (int k = 0; k < kBatch; ++k) benchmark::DoNotOptimize(e.engine->Draw(list, box, text, st));
        per_draw.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kBatch);
    }
    ResetList(list);
    std::sort(per_draw.begin(), per_draw.end());
    if (!per_draw.empty()) {
        state.counters["median_us"] = per_draw[per_draw.size() / 2];
        state.counters["p90_us"] = per_draw[per_draw.size() * 9 / 10];
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}

// A kiosk screen's worth of text: a title, a paragraph, eight choice buttons, two navigation buttons
// and a footer, built from the language's own sample words.
struct Screen {
    std::vector<std::pair<std::string, float>> texts;  // text, size
};

Screen ScreenFor(const std::string& sample) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : sample + " ") {
        if (c == ' ') {
            if (!cur.empty()) words.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    auto pick = [&](std::size_t from, std::size_t count) {
        std::string s;
        for (std::size_t k = 0; k < count; ++k) s += (k ? " " : "") + words[(from + k) % words.size()];
        return s;
    };
    Screen s;
    s.texts.push_back({pick(0, 3), 48.0f});
    s.texts.push_back({sample + " " + sample, 30.0f});
    for (std::size_t b = 0; b < 8; ++b) s.texts.push_back({pick(b, 2), 34.0f});
    s.texts.push_back({pick(1, 1), 34.0f});
    s.texts.push_back({pick(2, 1), 34.0f});
    s.texts.push_back({pick(3, 4) + " 0113 496 0000", 22.0f});
    return s;
}

void DrawScreen(Engine& engine, FontSetId set, const Screen& screen, ImDrawList* list) {
    float y = 10;
    for (const auto& [text, size] : screen.texts) {
        const Style st{.font_set = set, .size = size};
        const DrawResult r = engine.Draw(list, Box{ImVec2(40, y), ImVec2(1040, y)}, text, st,
                                         DrawOptions{.ellipsize = true, .max_lines = 4});
        y += r.size.y + 8;
    }
}

void BM_ScreenCached(benchmark::State& state, const std::string& tag) {
    EngineFor e;
    const auto& sample = htk::test::SampleFor(tag);
    const FontSetId set = e.engine->AddFontSet(htk::test::SpecOf(sample));
    const Screen screen = ScreenFor(sample.text);
    ImDrawList* list = SharedDrawList();
    DrawScreen(*e.engine, set, screen, list);
    Samples samples;
    for (auto _ : state) {
        ResetList(list);
        e.engine->NewFrame();
        samples.Start();
        DrawScreen(*e.engine, set, screen, list);
        samples.Stop();
    }
    samples.Report(state);
    state.counters["strings"] = static_cast<double>(screen.texts.size());
}

// Switching the kiosk to a language: its font set resolved and opened, then the first frame of a
// screen with nothing of that language cached yet (layouts, glyphs). "first": fresh engine, the
// fonts opened for the first time; "again": font set and glyphs known, layouts dropped.
void BM_LanguageSwitch(benchmark::State& state, const std::string& tag, bool first) {
    const auto& sample = htk::test::SampleFor(tag);
    const auto& english = htk::test::SampleFor("en-GB");
    const Screen screen = ScreenFor(sample.text);
    const Screen start = ScreenFor(english.text);
    ImDrawList* list = SharedDrawList();
    Samples samples;
    std::unique_ptr<EngineFor> warm;
    if (!first) {
        warm = std::make_unique<EngineFor>();
        DrawScreen(*warm->engine, warm->engine->AddFontSet(htk::test::SpecOf(sample)), screen, list);
    }
    for (auto _ : state) {
        state.PauseTiming();
        std::unique_ptr<EngineFor> fresh;
        Engine* engine = nullptr;
        if (first) {
            fresh = std::make_unique<EngineFor>();
            engine = fresh->engine.get();
            DrawScreen(*engine, engine->AddFontSet(htk::test::SpecOf(english)), start, list);
        } else {
            engine = warm->engine.get();
            engine->ClearLayoutCache();
        }
        ResetList(list);
        engine->NewFrame();
        state.ResumeTiming();
        samples.Start();
        DrawScreen(*engine, engine->AddFontSet(htk::test::SpecOf(sample)), screen, list);
        samples.Stop();
    }
    samples.Report(state);
}

// Glyph cache memory after drawing every language (and the mixed samples) at two sizes.
void BM_GlyphCacheAllLanguages(benchmark::State& state) {
    std::vector<htk::test::Sample> all = htk::test::LanguageSamples();
    all.insert(all.end(), htk::test::MixedSamples().begin(), htk::test::MixedSamples().end());
    ImDrawList* list = SharedDrawList();
    EngineStats stats;
    for (auto _ : state) {
        EngineFor e;
        for (float size : {28.0f, 48.0f})
            for (const auto& s : all) {
                ResetList(list);
                e.engine->NewFrame();
                const Screen screen = ScreenFor(s.text);
                for (const auto& [text, unused] : screen.texts)
                    e.engine->Draw(list, Box{ImVec2(0, 0), ImVec2(1000, 0)}, text,
                                   Style{.font_set = e.engine->AddFontSet(htk::test::SpecOf(s)), .size = size});
            }
        stats = e.engine->Stats();
    }
    ResetList(list);
    state.counters["texture_MB"] = static_cast<double>(stats.glyph_texture_bytes) / (1024.0 * 1024.0);
    state.counters["glyphs"] = static_cast<double>(stats.glyphs_cached);
    state.counters["pages"] = stats.glyph_pages;
    state.counters["evictions"] = static_cast<double>(stats.glyph_evictions);
    state.counters["layout_MB"] = static_cast<double>(stats.layout_bytes) / (1024.0 * 1024.0);
}

// The bidi step alone on the 80-character sample, as layout runs it: the paragraph's levels (auto
// direction), then L1 and the visual runs of one line holding it all.
void BM_Bidi80(benchmark::State& state, const std::string& tag) {
    detail::DecodedText text;
    detail::DecodeUtf8(htk::test::SampleFor(tag).text, text, 1000);
    detail::BidiText bidi;
    std::vector<detail::VisualRun> runs;
    Samples samples;
    for (auto _ : state) {
        samples.Start();
        benchmark::DoNotOptimize(bidi.Set(text.u16, -1));
        benchmark::DoNotOptimize(bidi.ReorderLine(0, text.u16.size(), runs));
        samples.Stop();
    }
    samples.Report(state);
    state.counters["runs"] = static_cast<double>(runs.size());
}

const int kRegistered = [] {
    for (const std::string& tag : kLanguages) {
        benchmark::RegisterBenchmark(("ShapeLayoutNew80/" + tag).c_str(), BM_ShapeLayoutNew80, tag, false)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("ShapeLayoutNew80ColdWords/" + tag).c_str(), BM_ShapeLayoutNew80, tag, true)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("DrawCached80/" + tag).c_str(), BM_DrawCached80, tag)->Unit(benchmark::kMicrosecond);
    }
    for (const std::string tag : {"ar", "ur", "bn", "zh-Hans"}) {
        benchmark::RegisterBenchmark(("ScreenCached/" + tag).c_str(), BM_ScreenCached, tag)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("LanguageSwitchFirst/" + tag).c_str(), BM_LanguageSwitch, tag, true)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("LanguageSwitchAgain/" + tag).c_str(), BM_LanguageSwitch, tag, false)->Unit(benchmark::kMillisecond);
    }
    for (const std::string tag : {"en-GB", "ar", "ur", "bn"})
        benchmark::RegisterBenchmark(("Bidi80/" + tag).c_str(), BM_Bidi80, tag)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("GlyphCacheAllLanguagesTwoSizes", BM_GlyphCacheAllLanguages)->Unit(benchmark::kMillisecond)->Iterations(1);
    return 0;
}();

}  // namespace

BENCHMARK_MAIN();
