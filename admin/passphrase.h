// Reading a staff passphrase: from the terminal with echo off, or one line from a file descriptor
// (--passphrase-fd N) for scripts. Never from argv or the environment; callers wipe what they get.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace htk::admin {

class PassphraseSource {
public:
    explicit PassphraseSource(std::optional<int> fd) : m_fd(fd) {}
    // One passphrase. From a descriptor, each call reads the next line, so a script can feed
    // "current passphrase\nnew passphrase\n" for verbs that need two.
    core::Result<std::string> Read(std::string_view prompt) const;
    // A new passphrase: asked twice on a terminal (a typo would lock the key away), once from a fd.
    core::Result<std::string> ReadNew(std::string_view prompt) const;
    bool FromTerminal() const { return !m_fd.has_value(); }

private:
    std::optional<int> m_fd;
};

}  // namespace htk::admin
