// The --bench loop (bench.h). One timed frame is PollFrame (input, display size), App::Frame and
// Window::Present: the main loop's work minus its sleep. App::Frame builds the whole screen whenever
// it is called (m_redraw only tells the main loop when to wake, never what Frame draws) and Present
// has the renderer draw every vertex and swap, so every timed frame is a full build and present.
#include "app/bench.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ui/screens/screen.h"

namespace htk::app {
namespace {

// Frames of Home in the start language before anything is timed: the process's one-time costs
// (ImGui's font atlas, the renderer's shaders and first uploads) belong to first_frame_ms, not here.
constexpr int kWarmUpFrames = 3;

struct Sample {
    double cpu_ms = 0;    // the process's CPU time: llvmpipe's and SDL's threads count too
    double wall_ms = 0;
    double build_ms = 0;  // of cpu_ms, App::Frame alone (ImGui, text, the App): the rest is the renderer's
};

double ProcessCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double WallMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Nearest rank: the smallest value with at least p of the samples at or below it.
double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

std::optional<Sample> TimedFrame(App& app, platform::Window& window) {
    const double c0 = ProcessCpuMs();
    const double w0 = WallMs();
    if (!window.PollFrame()) return std::nullopt;
    const double b0 = ProcessCpuMs();
    ImDrawData* draw = app.Frame();
    const double b1 = ProcessCpuMs();
    window.Present(draw);
    return Sample{ProcessCpuMs() - c0, WallMs() - w0, b1 - b0};
}

// A line of /proc/<pid>/smaps_rollup ("Pss:", "Pss_Anon:", "Pss_File:") in kB; 0 when the process
// has gone or the kernel does not split it.
double RollupKb(const std::string& pid, std::string_view field) {
    std::ifstream in("/proc/" + pid + "/smaps_rollup");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(field)) return std::stod(line.substr(field.size()));
    return 0;
}

// This process and every process it started (the read-aloud player, should one run), in MB.
double PssMbWithChildren(std::string_view field) {
    double kb = 0;
    std::vector<std::string> pids{std::to_string(::getpid())};
    for (std::size_t i = 0; i < pids.size(); ++i) {
        kb += RollupKb(pids[i], field);
        std::error_code ec;
        for (const auto& task : std::filesystem::directory_iterator("/proc/" + pids[i] + "/task", ec)) {
            std::ifstream children(task.path() / "children");
            for (std::string child; children >> child;) pids.push_back(child);
        }
    }
    return kb / 1024.0;
}

void Print(std::FILE* out, std::string_view name, double value, const char* unit) {
    std::fprintf(out, "%.*s\t%.3f\t%s\n", static_cast<int>(name.size()), name.data(), value, unit);
}

int Quit() {
    std::fprintf(stderr, "ht-kiosk: bench: the window was closed before the bench ended\n");
    return 1;
}

}  // namespace

int RunBench(App& app, platform::Window& window, const Config& config, std::FILE* out) {
    // The App opens in the start language; its first frames carry the process's one-time costs.
    const std::string start = app.Language().Tag();
    app.Open(ui::Screen::Home);
    for (int i = 0; i < kWarmUpFrames; ++i)
        if (!TimedFrame(app, window)) return Quit();

    // The frame in which the language changes, the first time it does: every string of Home shaped
    // and every glyph rasterised and uploaded. The fonts themselves were opened with the App (one
    // font set per pack, ui::AddFaces), which first_frame_ms counts. The start language has no such
    // frame: it is drawn from the first frame on.
    std::vector<std::string> languages{start};
    std::vector<std::pair<std::string, Sample>> switches;
    for (const std::string& tag : config.languages) {
        if (tag == start) continue;
        if (!app.UseLanguageTag(tag)) {
            std::fprintf(stderr, "ht-kiosk: bench: %s: no such pack loaded; left out\n", tag.c_str());
            continue;
        }
        const auto s = TimedFrame(app, window);
        if (!s) return Quit();
        switches.emplace_back(tag, *s);
        languages.push_back(tag);
    }

    // Every screen in every language. A visit's first frame is the one a tap leads to (its strings
    // new to the layout cache); it counts in the figures and is also reported on its own. Store
    // reads on opening (free slots, the retention period) happen in App::Open, outside the timing.
    const auto screens = ui::AllScreens();
    std::vector<std::vector<double>> per_screen(screens.size());
    std::vector<double> cpu, wall, build, opening;
    for (const std::string& tag : languages) {
        std::vector<double> in_language;
        for (std::size_t k = 0; k < screens.size(); ++k) {
            app.Open(screens[k]);     // may start a session, which resets the language...
            app.UseLanguageTag(tag);  // ...so the language is chosen after it
            for (int f = 0; f < config.frames; ++f) {
                const auto s = TimedFrame(app, window);
                if (!s) return Quit();
                cpu.push_back(s->cpu_ms);
                wall.push_back(s->wall_ms);
                build.push_back(s->build_ms);
                per_screen[k].push_back(s->cpu_ms);
                in_language.push_back(s->cpu_ms);
                if (f == 0) opening.push_back(s->cpu_ms);
            }
            // Nothing taps and no timeout is near, so a screen that moved on is a bug in this loop.
            if (app.Current() != screens[k] || app.Language().Tag() != tag) {
                std::fprintf(stderr, "ht-kiosk: bench: %s in %s did not stay open (now %s in %s)\n",
                             std::string(ui::ScreenName(screens[k])).c_str(), tag.c_str(),
                             std::string(ui::ScreenName(app.Current())).c_str(), app.Language().Tag().c_str());
                return 1;
            }
        }
        std::fprintf(stderr, "ht-kiosk: bench: %-8s %zu screens x %d frames, CPU p50 %.2f ms, p99 %.2f ms\n",
                     tag.c_str(), screens.size(), config.frames, Percentile(in_language, 0.5),
                     Percentile(in_language, 0.99));
    }

    Print(out, "frame_p50_ms", Percentile(cpu, 0.5), "ms");
    Print(out, "frame_p99_ms", Percentile(cpu, 0.99), "ms");
    Print(out, "frame_wall_p99_ms", Percentile(wall, 0.99), "ms");
    Print(out, "frame_build_p50_ms", Percentile(build, 0.5), "ms");
    Print(out, "frame_build_p99_ms", Percentile(build, 0.99), "ms");
    Print(out, "frame_open_p99_ms", Percentile(opening, 0.99), "ms");
    for (std::size_t k = 0; k < screens.size(); ++k)
        Print(out, "frame_p99_ms." + std::string(ui::ScreenName(screens[k])), Percentile(per_screen[k], 0.99), "ms");
    Sample worst;
    for (const auto& [tag, s] : switches)
        worst = {std::max(worst.cpu_ms, s.cpu_ms), std::max(worst.wall_ms, s.wall_ms), std::max(worst.build_ms, s.build_ms)};
    if (!switches.empty()) {
        Print(out, "lang_switch_ms", worst.cpu_ms, "ms");
        Print(out, "lang_switch_wall_ms", worst.wall_ms, "ms");
        Print(out, "lang_switch_build_ms", worst.build_ms, "ms");  // the text engine's cold work is here
    }
    for (const auto& [tag, s] : switches) Print(out, "lang_switch_ms." + tag, s.cpu_ms, "ms");
    // After every screen in every language: the most this kiosk holds (tests/bench/RESULTS.md).
    // Anonymous (heap, glyph pages, the renderer's buffers) and file-backed (libraries, the pages
    // of font files touched) apart, as the kernel splits it.
    Print(out, "pss_mb", PssMbWithChildren("Pss:"), "MB");
    Print(out, "pss_anon_mb", PssMbWithChildren("Pss_Anon:"), "MB");
    Print(out, "pss_file_mb", PssMbWithChildren("Pss_File:"), "MB");
    std::fflush(out);
    return 0;
}

}  // namespace htk::app
