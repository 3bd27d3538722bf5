// htk_admin: the commands of ht-admin as a library, so tests and the desk app call what the
// command line calls. Writes to the streams it is given; never prints a passphrase it did not make.
#pragma once
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "store/sealing.h"

namespace htk::admin {

using ZoneFactory = std::function<std::unique_ptr<core::TimeZone>(std::string_view iana_id)>;  // nullptr: unknown
using Clock = std::function<core::UnixSeconds()>;

struct Env {
    std::ostream& out;      // results: text or --json
    std::ostream& err;      // one-line errors and prompts' context
    Clock now;              // default: the system clock
    ZoneFactory make_zone;  // default: i18n::MakeTimeZone (ICU)
    std::istream* in = nullptr;  // a patient's details and staff notes for the desk verbs; nullptr: std::cin
    Env(std::ostream& out_stream, std::ostream& err_stream);
};

// The whole command line (argv without argv[0]). Returns the exit code: 0 ok, 1 failure (a wrong
// passphrase included), 2 usage or bad input (bad database file, newer schema, read-only file).
int Run(std::span<const std::string> args, Env& env);
int ExitCode(core::Errc code);
std::string Usage();  // the top-level --help text

// $XDG_DATA_HOME/ht-kiosk/kiosk.db, else ~/.local/share/ht-kiosk/kiosk.db; empty without HOME.
std::filesystem::path DefaultDatabasePath();

struct InitOptions {
    std::filesystem::path database;
    std::string practice_name;
    std::string time_zone = "Europe/London";
    std::string staff_name;                           // the first member of staff, a manager
    std::optional<std::filesystem::path> kiosk_config;  // also write the kiosk's config file here
    std::string kiosk_id = "kiosk-1";
    std::filesystem::path locales;  // the kiosk config's [kiosk] locales; empty: not written
};

// Creates the database if needed, the practice and its key pair, the secret key wrapped under the
// passphrase. Refused when the practice already has keys; a database it created is removed on failure.
core::Result<store::PublicKey> Init(const InitOptions& options, std::string_view passphrase, const Env& env);

inline constexpr std::string_view kDemoPractice = "Chapeltown Health Centre";
inline constexpr std::string_view kDemoStaff = "Demo Manager";

struct DemoResult {
    std::filesystem::path database;         // DIR/kiosk.db
    std::filesystem::path config;           // DIR/kiosk.conf
    std::filesystem::path passphrase_file;  // DIR/demo-passphrase, 0600
    std::string staff_name;
    std::string passphrase;                 // random; demo only
    store::PublicKey public_key{};
};

// A demo practice in data_dir (created 0700): trainers with community languages, four weeks of
// plans with breaks, an exception and a blocked day, requests and bookings in every status.
// Refused when data_dir/kiosk.db exists; the database appears last and whole.
core::Result<DemoResult> CreateDemo(const std::filesystem::path& data_dir, const Env& env);

}  // namespace htk::admin
