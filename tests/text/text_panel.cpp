// tests/text/text_panel.cpp: writes the golden panels as PNG files (text_panel OUT_DIR [NAME...]).
// Used to refresh tests/text/golden/ after a change that was looked at and found right.
#include <cstdio>
#include <string>
#include <vector>

#include "panel.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: text_panel OUT_DIR [PANEL...]\n");
        return 2;
    }
    const std::string dir = argv[1];
    std::vector<std::string> names(argv + 2, argv + argc);
    if (names.empty()) names = htk::test::PanelNames();
    for (const std::string& name : names) {
        const auto img = htk::test::RenderPanel(name);
        if (!img) {
            std::fprintf(stderr, "unknown panel %s\n", name.c_str());
            return 2;
        }
        const std::string path = dir + "/" + name + ".png";
        if (!htk::test::WritePng(*img, path)) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("%s (%dx%d)\n", path.c_str(), img->width, img->height);
    }
    return 0;
}
