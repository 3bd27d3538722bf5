// ht-kiosk --bench: every screen in every language through the real window and renderer, each frame
// timed, figures printed as name<TAB>value<TAB>unit lines for tests/bench/run. Never sends a request:
// opening screens only reads (free slots, the retention period).
#pragma once
#include <cstdio>

#include "app/app.h"
#include "app/config.h"
#include "platform/window.h"

namespace htk::app {

// Draws config.frames frames of each screen of ui::AllScreens() in each of config.languages, after
// one cold frame of Home in each language that is not the start language (lang_switch_ms). Prints
// the figures to `out`, progress and problems to stderr. Returns the exit code: 0, or 1 when the
// window quit or a screen did not stay open for its frames.
int RunBench(App& app, platform::Window& window, const Config& config, std::FILE* out);

}  // namespace htk::app
