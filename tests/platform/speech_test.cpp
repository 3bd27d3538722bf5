// Read aloud on the real espeak-ng and SDL's "dummy" audio driver, which needs no sound card and
// takes samples off the queue in real time, so Speaking() behaves as on a kiosk.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "platform/speech.h"
#include "tests/temp_dir.h"
#include "tests/env_var.h"

using namespace htk;
using platform::SpeechSource;

namespace {

using Clock = std::chrono::steady_clock;

using htk::test::EnvVar;

// A kiosk whose sound goes to SDL's dummy driver.
struct DummyAudio {
    EnvVar driver{"SDL_AUDIODRIVER", "dummy"};
    std::unique_ptr<platform::Speech> speech = platform::Speech::Open();
};

template <class Pred>
bool WaitUntil(Pred done, double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (Clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// What the whole process (every thread, SDL's audio thread too) has used so far.
struct Usage {
    double cpu_seconds;  // user + system
    long wakeups;        // voluntary context switches: a thread went to sleep
};

Usage UsageNow() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return {seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_nvcsw};
}

// What the process used while it slept for `seconds`.
Usage IdleUsage(double seconds) {
    const Usage before = UsageNow();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const Usage after = UsageNow();
    return {after.cpu_seconds - before.cpu_seconds, after.wakeups - before.wakeups};
}

// SDL's audio threads in this process ("SDLAudioP2"): one per open playback device.
int SdlAudioThreads() {
    int count = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::string name;
        std::getline(std::ifstream(task.path() / "comm"), name);
        if (name.starts_with("SDLAudio")) ++count;
    }
    return count;
}

platform::ReadReport Finished(const platform::Speech& speech) {
    REQUIRE(WaitUntil([&] { return speech.LastRead().has_value(); }, 5.0));
    return *speech.LastRead();
}

// A 440 Hz tone as 16-bit PCM WAV, like a recorded prompt (44.1 kHz stereo: not the device's format).
void WriteWav(const std::filesystem::path& file, double seconds, int rate = 44100, int channels = 2) {
    const auto frames = static_cast<std::uint32_t>(seconds * rate);
    const std::uint32_t data_bytes = frames * static_cast<std::uint32_t>(channels) * 2;
    std::ofstream out(file, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xFF)); };
    auto u16 = [&](std::uint32_t v) { for (int i = 0; i < 2; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xFF)); };
    out << "RIFF";
    u32(36 + data_bytes);
    out << "WAVEfmt ";
    u32(16);
    u16(1);  // PCM
    u16(static_cast<std::uint32_t>(channels));
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate * channels * 2));
    u16(static_cast<std::uint32_t>(channels * 2));
    u16(16);
    out << "data";
    u32(data_bytes);
    for (std::uint32_t i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / rate;
        const auto s = static_cast<std::int16_t>(8000 * std::sin(2 * std::numbers::pi * 440 * t));
        for (int c = 0; c < channels; ++c) u16(static_cast<std::uint16_t>(s));
    }
}

const std::map<std::string, std::string> kSentences = {
    {"tr", "Sağlık danışmanı sizi arayacak. Lütfen telefon numaranızı yazın ve sonra da İleri düğmesine dokunun."},
    {"ur", "ہیلتھ ٹرینر آپ کو فون کرے گا۔ براہ کرم اپنا فون نمبر لکھیں اور پھر اگلا بٹن دبائیں۔ ہم جلد بات کریں۔"},
    {"bn", "একজন স্বাস্থ্য প্রশিক্ষক আপনাকে ফোন করবেন। অনুগ্রহ করে আপনার ফোন নম্বর লিখুন।"},
    {"so", "Tababaraha caafimaadka ayaa ku soo wici doona."},
};

}  // namespace

TEST_CASE("every shipped language pack gets the espeak-ng voice it should, and Somali, Tigrinya, Sorani get none") {
    // Checked against espeak_ListVoices in Debian 12's espeak-ng-data 1.51; a new pack must be added here.
    const std::map<std::string, std::optional<std::string>> expected = {
        {"en-GB", "English (Great Britain)"}, {"tr", "Turkish"}, {"pl", "Polish"}, {"ro", "Romanian"},
        {"pt", "Portuguese (Portugal)"}, {"lt", "Lithuanian"}, {"pa", "Punjabi"}, {"ur", "Urdu"},
        {"bn", "Bengali"}, {"ar", "Arabic"}, {"fa", "Persian"}, {"zh-Hans", "Chinese (Mandarin, latin as English)"},
        {"so", std::nullopt}, {"ti", std::nullopt}, {"ckb", std::nullopt},
    };
    int packs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(HTK_SOURCE_LOCALES)) {
        if (!std::filesystem::exists(entry.path() / "manifest.ini")) continue;
        const std::string tag = entry.path().filename().string();
        CAPTURE(tag);
        ++packs;
        REQUIRE(expected.contains(tag));
        const auto voice = platform::Speech::VoiceFor(tag);
        CHECK(voice.has_value() == expected.at(tag).has_value());
        if (voice && expected.at(tag)) CHECK(voice->name == *expected.at(tag));
    }
    CHECK(packs == static_cast<int>(expected.size()));

    CHECK(platform::Speech::VoiceFor("pt-BR")->name == "Portuguese (Brazil)");
    CHECK(platform::Speech::VoiceFor("tr-TR")->name == "Turkish");
    CHECK_FALSE(platform::Speech::VoiceFor("pa-Arab"));  // Shahmukhi: the Gurmukhi voice cannot read it
    CHECK_FALSE(platform::Speech::VoiceFor(""));
}

TEST_CASE("a sentence in Turkish, Urdu and Bengali becomes audible speech, and in Somali nothing") {
    const int rate = platform::Speech::SampleRate();
    REQUIRE(rate > 0);
    for (const char* tag : {"tr", "ur", "bn"}) {
        CAPTURE(tag);
        const auto pcm = platform::Speech::Synthesize(tag, kSentences.at(tag));
        CHECK(pcm.size() > static_cast<std::size_t>(rate) * 3 / 10);  // more than 0.3 s
        const auto loud = std::count_if(pcm.begin(), pcm.end(), [](std::int16_t s) { return std::abs(s) > 1000; });
        CHECK(loud > rate / 10);  // at least 0.1 s of it well above silence
    }
    CHECK(platform::Speech::Synthesize("so", kSentences.at("so")).empty());
    CHECK(platform::Speech::Synthesize("tr", "").size() < static_cast<std::size_t>(rate) / 10);
}

TEST_CASE("Read, then Stop: Speaking goes true, then false at once") {
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    REQUIRE(speech.HasAudio());
    CHECK(speech.CanRead("tr", {}));
    CHECK_FALSE(speech.Speaking());

    speech.Read("tr", kSentences.at("tr"), {});
    CHECK(speech.Speaking());
    const auto report = Finished(speech);
    CHECK(report.source == SpeechSource::Synthesis);
    CHECK(report.audio_seconds > 2.0);
    CHECK(speech.Speaking());  // the dummy driver plays it in real time

    speech.Stop();
    CHECK_FALSE(speech.Speaking());
    speech.Stop();  // twice is harmless
    CHECK_FALSE(speech.Speaking());
}

TEST_CASE("a short prompt plays to its end and Speaking turns false by itself") {
    test::TempDir dir;
    WriteWav(dir.File("short.wav"), 0.2);
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    speech.Read("tr", kSentences.at("tr"), dir.File("short.wav"));
    CHECK(speech.Speaking());
    CHECK(WaitUntil([&] { return !speech.Speaking(); }, 3.0));
}

TEST_CASE("the audio device opens for a Read, closes within the grace period after it, and reopens for the next") {
    const double grace = platform::Speech::kIdleCloseSeconds;
    test::TempDir dir;
    const auto wav = dir.File("short.wav");
    WriteWav(wav, 0.2);
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    REQUIRE(speech.HasAudio());
    CHECK_FALSE(speech.DeviceOpen());  // Open() only probed it
    CHECK(SdlAudioThreads() == 0);
    CHECK(speech.CanRead("tr", {}));

    speech.Read("so", {}, wav);
    CHECK(speech.Speaking());
    CHECK(Finished(speech).source == SpeechSource::Recording);
    CHECK(speech.DeviceOpen());
    CHECK(WaitUntil([] { return SdlAudioThreads() == 1; }, 0.5));  // it names itself once started
    REQUIRE(WaitUntil([&] { return !speech.Speaking(); }, 3.0));
    const auto ended = Clock::now();
    // Kept through the grace period, so that the next Read reuses it...
    std::this_thread::sleep_for(std::chrono::duration<double>(grace / 2));
    CHECK(speech.DeviceOpen());
    // ...then closed.
    CHECK(WaitUntil([&] { return !speech.DeviceOpen(); }, grace));
    CHECK(std::chrono::duration<double>(Clock::now() - ended).count() > grace - 0.5);
    CHECK_FALSE(speech.Speaking());
    // The thread that wakes every ~21 ms while a device is open is gone (joined just after DeviceOpen
    // turns false).
    CHECK(WaitUntil([] { return SdlAudioThreads() == 0; }, 0.5));

    // A Read reopens it and plays in real time to the end, twice in a row on the same opening.
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        speech.Read("so", {}, wav);
        CHECK(speech.Speaking());
        const auto report = Finished(speech);
        CHECK(report.source == SpeechSource::Recording);
        CHECK(report.audio_seconds == doctest::Approx(0.2).epsilon(0.05));
        CHECK(speech.DeviceOpen());
        CHECK(WaitUntil([&] { return !speech.Speaking(); }, 3.0));
        CHECK(speech.DeviceOpen());
    }
    CHECK(WaitUntil([&] { return !speech.DeviceOpen(); }, grace + 1.0));
}

TEST_CASE("Stop silences at once and closes the device after the grace period, not after what was queued") {
    const double grace = platform::Speech::kIdleCloseSeconds;
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    speech.Read("tr", kSentences.at("tr"), {});
    const auto report = Finished(speech);
    REQUIRE(report.source == SpeechSource::Synthesis);
    REQUIRE(report.audio_seconds > grace + 2.0);  // it would keep the device busy well past the grace
    CHECK(speech.DeviceOpen());
    CHECK(speech.Speaking());

    speech.Stop();
    const auto stopped = Clock::now();
    CHECK_FALSE(speech.Speaking());
    CHECK(speech.DeviceOpen());
    CHECK(WaitUntil([&] { return !speech.DeviceOpen(); }, grace + 1.0));
    CHECK(std::chrono::duration<double>(Clock::now() - stopped).count() > grace - 0.5);
    CHECK_FALSE(speech.Speaking());

    // Closing the kiosk with the device open and idle also returns at once.
    speech.Read("tr", kSentences.at("tr"), {});
    Finished(speech);
    speech.Stop();
    REQUIRE(speech.DeviceOpen());
    const auto start = Clock::now();
    kiosk.speech.reset();
    CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 0.5);
}

TEST_CASE("a recording beats synthesis, and plays even for Somali, which has no voice") {
    test::TempDir dir;
    const auto wav = dir.File("home.wav");
    WriteWav(wav, 0.4);
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;

    CHECK(speech.CanRead("so", wav));
    CHECK_FALSE(speech.CanRead("so", {}));
    CHECK_FALSE(speech.CanRead("so", dir.File("missing.wav")));
    CHECK_FALSE(speech.CanRead("ti", {}));
    CHECK_FALSE(speech.CanRead("ckb", {}));

    speech.Read("tr", kSentences.at("tr"), wav);
    auto report = Finished(speech);
    CHECK(report.source == SpeechSource::Recording);
    CHECK(report.audio_seconds == doctest::Approx(0.4).epsilon(0.05));  // resampled to the device, same length

    speech.Read("so", kSentences.at("so"), wav);
    report = Finished(speech);
    CHECK(report.source == SpeechSource::Recording);
    CHECK(speech.Speaking());
    CHECK(WaitUntil([&] { return !speech.Speaking(); }, 3.0));
}

TEST_CASE("reading while reading replaces what was playing") {
    test::TempDir dir;
    const auto wav = dir.File("short.wav");
    WriteWav(wav, 0.3, 22050, 1);
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;

    speech.Read("tr", kSentences.at("tr"), {});
    REQUIRE(Finished(speech).audio_seconds > 2.0);  // several seconds queued
    speech.Read("so", kSentences.at("so"), wav);
    const auto report = Finished(speech);
    CHECK(report.source == SpeechSource::Recording);
    CHECK(report.audio_seconds == doctest::Approx(0.3).epsilon(0.05));
    CHECK(WaitUntil([&] { return !speech.Speaking(); }, 1.5));  // the Turkish would have taken seconds

    // Two taps in a row: only the second is heard.
    speech.Read("ur", kSentences.at("ur"), {});
    speech.Read("so", kSentences.at("so"), wav);
    CHECK(Finished(speech).source == SpeechSource::Recording);
    CHECK(WaitUntil([&] { return !speech.Speaking(); }, 1.5));
}

TEST_CASE("a corrupt or missing recording falls back to synthesis, or to nothing for Somali") {
    test::TempDir dir;
    const auto corrupt = dir.File("corrupt.wav");
    std::ofstream(corrupt, std::ios::binary) << "RIFF\x7f\x7f\x7f\x7fWAVEfmt this is not a wave file";
    const auto empty = dir.File("empty.wav");
    std::ofstream{empty};
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;

    for (const auto& bad : {corrupt, empty, dir.File("missing.wav")}) {
        CAPTURE(bad.filename().string());
        speech.Read("so", kSentences.at("so"), bad);
        const auto report = Finished(speech);
        CHECK(report.source == SpeechSource::None);
        CHECK(report.audio_seconds == 0);
        CHECK_FALSE(speech.Speaking());
        // Once it failed to load it is not offered again; a voice still is.
        CHECK_FALSE(speech.CanRead("so", bad));
        CHECK(speech.CanRead("tr", bad));

        speech.Read("tr", kSentences.at("tr"), bad);
        CHECK(Finished(speech).source == SpeechSource::Synthesis);
        CHECK(speech.Speaking());
        speech.Stop();
    }
}

TEST_CASE("without an audio device nothing is offered and nothing breaks") {
    EnvVar driver("SDL_AUDIODRIVER", "htk-no-such-driver");
    test::TempDir dir;
    WriteWav(dir.File("home.wav"), 0.2);
    auto speech = platform::Speech::Open();
    REQUIRE(speech);
    CHECK_FALSE(speech->HasAudio());
    CHECK_FALSE(speech->DeviceOpen());
    CHECK_FALSE(speech->CanRead("tr", {}));
    CHECK_FALSE(speech->CanRead("so", dir.File("home.wav")));
    speech->Read("tr", kSentences.at("tr"), dir.File("home.wav"));
    CHECK_FALSE(speech->Speaking());
    CHECK_FALSE(speech->DeviceOpen());
    CHECK_FALSE(speech->LastRead());
    speech->Stop();
    CHECK_FALSE(platform::Speech::Synthesize("tr", kSentences.at("tr")).empty());  // synthesis needs no device

    auto through_interface = platform::OpenSpeech();
    REQUIRE(through_interface);
    CHECK_FALSE(through_interface->CanRead("tr", {}));
}

TEST_CASE("closing the kiosk while it reads returns at once") {
    DummyAudio kiosk;
    kiosk.speech->Read("ur", kSentences.at("ur"), {});
    const auto start = Clock::now();
    kiosk.speech.reset();
    CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 0.5);
}

// Figures for the report, not assertions: run with -tc="*first audio*" -s.
TEST_CASE("time to first audio for a 100-character sentence in Turkish and Urdu") {
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    for (const char* tag : {"tr", "ur"}) {
        std::vector<double> ms;
        for (int i = 0; i < 21; ++i) {
            speech.Read(tag, kSentences.at(tag), {});
            const auto report = Finished(speech);
            REQUIRE(report.source == SpeechSource::Synthesis);
            ms.push_back(report.first_audio_seconds * 1000);
        }
        const double first = ms.front();  // run alone, the first in the process: includes loading the voice
        std::sort(ms.begin() + 1, ms.end());
        MESSAGE(std::string(tag) << ": first read " << first << " ms; then median " << ms[10] << " ms, max " << ms.back() << " ms");
        speech.Stop();

        std::vector<double> whole;  // the whole sentence, for comparison
        double seconds = 0;
        for (int i = 0; i < 21; ++i) {
            const auto start = Clock::now();
            seconds = static_cast<double>(platform::Speech::Synthesize(tag, kSentences.at(tag)).size()) / platform::Speech::SampleRate();
            whole.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        std::sort(whole.begin(), whole.end());
        MESSAGE(std::string(tag) << ": whole sentence (" << seconds << " s of speech) median " << whole[10] << " ms, max " << whole.back() << " ms");
    }
}

// Figures for the report, not assertions, and 7 s long: run with --no-skip -tc="*idle*" -s.
TEST_CASE("CPU time of an idle kiosk over 3 s after a prompt finished" * doctest::skip()) {
    test::TempDir dir;
    WriteWav(dir.File("short.wav"), 0.2);
    DummyAudio kiosk;
    auto& speech = *kiosk.speech;
    speech.Read("so", {}, dir.File("short.wav"));
    REQUIRE(WaitUntil([&] { return !speech.Speaking(); }, 3.0));
    const Usage from_end = IdleUsage(3.0);  // includes the device's grace period
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const Usage later = IdleUsage(3.0);     // the grace period is long over
    CHECK_FALSE(speech.DeviceOpen());
    MESSAGE("idle over 3 s from the end of playback: " << from_end.cpu_seconds << " CPU s, " << from_end.wakeups
            << " sleeps; from 4 s after it: " << later.cpu_seconds << " CPU s, " << later.wakeups << " sleeps");
}
