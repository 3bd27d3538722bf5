// tests/text/panel.h: golden-screenshot panels: sentences in every language drawn by the real engine
// into an ImGui draw list, rasterised on the CPU. Shared by text_panel (writes PNGs) and golden_test.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "soft_raster.h"

namespace htk::test {

std::vector<std::string> PanelNames();                    // latin, rtl, indic, ethiopic_cjk, mixed, layout
std::optional<Image> RenderPanel(const std::string& name);  // nullopt for an unknown name

}  // namespace htk::test
