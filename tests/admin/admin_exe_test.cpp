// The ht-admin executable as a script runs it: real processes, passphrases on a file descriptor,
// exit codes and stderr checked. HTK_ADMIN_EXE is the path of the built binary.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>

#include "admin_fixture.h"
#include "tests/env_var.h"

namespace {

struct Exe {
    int code = -1;
    std::string out;
    std::string err;
};

std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs ht-admin with `args` (already quoted) and any shell redirections in `redirect`.
Exe RunExe(const htk::test::TempDir& dir, const std::string& args, const std::string& redirect = "") {
    const auto err_file = dir.File("stderr.txt");
    const std::string command = Quote(HTK_ADMIN_EXE) + " " + args + " " + redirect + " 2>" + Quote(err_file.string());
    Exe r;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = htk::test::ReadText(err_file);
    return r;
}

}  // namespace

TEST_CASE("a script sets up a practice, adds a trainer and reads the requests with ht-admin") {
    htk::test::TempDir dir;
    const auto db = Quote(dir.File("kiosk.db").string());
    const auto pass = dir.File("pass.txt");
    htk::test::WriteText(pass, "a long enough passphrase\n");

    auto r = RunExe(dir, "--database " + db + " init --practice 'Chapeltown Health Centre' --staff Rukhsana "
                         "--passphrase-fd 3", "3<" + Quote(pass.string()));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("Public key for kiosk.conf: ") != std::string::npos);
    CHECK(r.err.empty());

    const auto fd3 = "3<" + Quote(pass.string());
    r = RunExe(dir, "--database " + db + " trainers add --name 'Hodan Warsame' --languages so,ar,en --passphrase-fd 3", fd3);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    r = RunExe(dir, "--database " + db + " trainers add --name 'Nobody' --passphrase-fd 0", "</dev/null");
    CHECK(r.code == 2);  // no passphrase, no change
    r = RunExe(dir, "--database " + db + " --json trainers list --passphrase-fd 3", fd3);
    CHECK(r.out == "[{\"id\":1,\"name\":\"Hodan Warsame\",\"languages\":[\"so\",\"ar\",\"en\"],\"active\":true}]\n");

    r = RunExe(dir, "--database " + db + " requests list --reveal --passphrase-fd 0", "<" + Quote(pass.string()));
    CHECK(r.code == 0);
    CHECK(r.out == "No requests.\n");
}

TEST_CASE("the demo from the executable unlocks with its own passphrase file") {
    htk::test::TempDir dir;
    const auto data = dir.File("data");
    auto r = RunExe(dir, "demo --data-dir " + Quote(data.string()));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto db = Quote((data / "kiosk.db").string());
    r = RunExe(dir, "--database " + db + " requests list --status closed --reveal --passphrase-fd 3",
               "3<" + Quote((data / "demo-passphrase").string()));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("name: ") != std::string::npos);
    CHECK(r.out.find("  closed  ") != std::string::npos);
    CHECK(r.out.find("  new  ") == std::string::npos);
    r = RunExe(dir, "--database " + db + " audit list --action sealed.reveal --passphrase-fd 3",
               "3<" + Quote((data / "demo-passphrase").string()));
    CHECK(htk::test::Lines(r.out) == 2);  // the two closed requests, one reveal each
}

TEST_CASE("the executable's exit codes: 1 for a wrong passphrase, 2 for bad input, one line each") {
    htk::test::TempDir dir;
    const auto data = dir.File("data");
    REQUIRE(RunExe(dir, "demo --data-dir " + Quote(data.string())).code == 0);
    const auto db = Quote((data / "kiosk.db").string());

    auto r = RunExe(dir, "--database " + db + " requests list --reveal --passphrase-fd 0", "</dev/null");
    CHECK(r.code == 2);
    htk::test::WriteText(dir.File("wrong.txt"), "definitely the wrong passphrase\n");
    r = RunExe(dir, "--database " + db + " requests list --reveal --passphrase-fd 0", "<" + Quote(dir.File("wrong.txt").string()));
    CHECK(r.code == 1);
    CHECK(htk::test::Lines(r.err) == 1);
    CHECK(r.out.empty());

    htk::test::WriteText(dir.File("junk.db"), "junk junk junk junk junk junk junk junk junk junk junk junk junk\n");
    r = RunExe(dir, "--database " + Quote(dir.File("junk.db").string()) + " trainers list");
    CHECK(r.code == 2);
    CHECK(htk::test::Lines(r.err) == 1);
    CHECK(r.err.find(dir.File("junk.db").string()) != std::string::npos);
    CHECK(htk::test::ReadText(dir.File("junk.db")) == "junk junk junk junk junk junk junk junk junk junk junk junk junk\n");

    r = RunExe(dir, "--database " + db + " init --practice X --staff Y --passphrase hunter2hunter2");
    CHECK(r.code == 2);
    CHECK(r.err.find("hunter2") == std::string::npos);

    r = RunExe(dir, "--database " + db + " plans set --trainer 1 --day mon --hours 9-5 --passphrase-fd 3",
               "3<" + Quote((data / "demo-passphrase").string()));
    CHECK(r.code == 2);
    CHECK(r.err.find("--hours") != std::string::npos);
    CHECK(htk::test::Lines(r.err) == 1);
    CHECK(RunExe(dir, "--help").code == 0);
    CHECK(RunExe(dir, "").code == 2);
}

TEST_CASE("ht-admin desk opens its window, unlocks from a script and saves a screenshot of the list") {
    htk::test::TempDir dir;
    const auto data = dir.File("data");
    REQUIRE(RunExe(dir, "demo --data-dir " + Quote(data.string())).code == 0);
    const auto db = Quote((data / "kiosk.db").string());
    const auto shot = dir.File("desk.png");
    // SDL's dummy video driver: no X server needed; the desk falls back to the software renderer.
    const htk::test::EnvVar driver("SDL_VIDEODRIVER", "dummy");
    auto r = RunExe(dir, "--database " + db + " desk --staff 'Demo Manager' --passphrase-fd 3 --window 1280x800 --screenshot " +
                             Quote(shot.string()),
                    "3<" + Quote((data / "demo-passphrase").string()));
    CHECK_MESSAGE(r.code == 0, r.err);
    const auto png = htk::test::ReadText(shot);
    REQUIRE(png.size() > 24);
    CHECK(png.substr(1, 3) == "PNG");
    CHECK(static_cast<unsigned char>(png[18]) * 256 + static_cast<unsigned char>(png[19]) == 1280);  // IHDR width

    htk::test::WriteText(dir.File("wrong.txt"), "not the demo passphrase\n");
    r = RunExe(dir, "--database " + db + " desk --staff 'Demo Manager' --passphrase-fd 3 --screenshot " + Quote(shot.string()),
               "3<" + Quote(dir.File("wrong.txt").string()));
    CHECK(r.code == 1);
    CHECK(r.err.find("ht-admin: wrong passphrase for 'Demo Manager'\n") != std::string::npos);
    CHECK(r.err.find("not the demo") == std::string::npos);
}
