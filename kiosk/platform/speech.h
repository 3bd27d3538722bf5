// Read aloud: a language pack's recorded prompt if it has one, else espeak-ng's voice for the
// language, played through SDL audio. Never logs the text it reads (a patient may have typed it).
// SDL and espeak-ng types stay out of this header.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace htk::platform {

// What the App calls; main passes the real one (OpenSpeech), tests a fake.
class ReadAloud {
public:
    virtual ~ReadAloud() = default;
    // True when this language can be read: there is audio output, and a recorded prompt exists at
    // `recording` (empty: none) or espeak-ng has a voice for `bcp47`. A stat(), no audio work.
    virtual bool CanRead(std::string_view bcp47, const std::filesystem::path& recording) const = 0;
    // Starts reading `text` in `bcp47` (the recording instead, when it exists and loads), replacing
    // anything still playing. Returns at once: loading and synthesis run on a worker thread.
    virtual void Read(std::string_view bcp47, std::string_view text, const std::filesystem::path& recording) = 0;
    virtual void Stop() = 0;
    // True from Read() until the last sample has left SDL's queue (or Stop). Nothing wakes an idle
    // kiosk when reading ends, so poll it to redraw the button: a few times a second (every 100 to
    // 250 ms) while it is true, to show the "Stop" state, and not at all once it is false. Cheap: a
    // lock and a queue-size read, no audio work.
    virtual bool Speaking() const = 0;
};

// An espeak-ng voice chosen for a BCP 47 tag.
struct Voice {
    std::string language;    // as espeak-ng lists it: "en-gb", "tr", "cmn"
    std::string name;        // "Portuguese (Portugal)"
    std::string identifier;  // its file under espeak-ng-data: "roa/pt"
};

enum class SpeechSource { None, Recording, Synthesis };

// What one Read did, for tests and measurements.
struct ReadReport {
    SpeechSource source = SpeechSource::None;
    double first_audio_seconds = 0;  // from Read() to its first samples queued on the device
    double audio_seconds = 0;        // how much sound it queued
};

// espeak-ng (one process-wide instance, every call under one lock) and an SDL audio device fed by a
// worker thread of its own. The worker opens the device only when a Read has sound to play and closes
// it once nothing has been queued for kIdleCloseSeconds (after playback ends or a Stop): an open
// device's SDL thread wakes every ~21 ms to write silence, which an idle kiosk must not pay for.
// Destroy it before the Window: the Window's SDL_Quit closes all audio.
class Speech final : public ReadAloud {
public:
    // Never null. Opens and closes the audio device once to learn whether there is output at all;
    // without one it logs one line and CanRead says false; Synthesize still works. Takes about 20 ms
    // the first time in a process (espeak-ng loads its voice list), plus the device probe.
    static std::unique_ptr<Speech> Open();
    ~Speech() override;
    Speech(const Speech&) = delete;
    Speech& operator=(const Speech&) = delete;

    bool CanRead(std::string_view bcp47, const std::filesystem::path& recording) const override;
    void Read(std::string_view bcp47, std::string_view text, const std::filesystem::path& recording) override;
    void Stop() override;
    bool Speaking() const override;

    // How long the device stays open with nothing to play, so that consecutive reads reuse it.
    static constexpr double kIdleCloseSeconds = 2.0;

    bool HasAudio() const;    // Open() found an output device: Read plays (the device opens on demand)
    bool DeviceOpen() const;  // the device is open right now (for tests)
    // The report of the latest Read once it has queued all its sound (or given up); nullopt while
    // it is still working, or if nothing was read yet.
    std::optional<ReadReport> LastRead() const;

    // The voice espeak-ng reads `bcp47` with; nullopt when it has none (Somali, Tigrinya, Sorani in
    // Debian 12) or its data could not be loaded.
    static std::optional<Voice> VoiceFor(std::string_view bcp47);
    // Mono 16-bit PCM at SampleRate(), not played; empty without a voice. Waits for the worker's
    // synthesis, if any: the two share espeak-ng's lock.
    static std::vector<std::int16_t> Synthesize(std::string_view bcp47, std::string_view text);
    static int SampleRate();  // espeak-ng's (22050 Hz); 0 without its data

private:
    struct Impl;
    explicit Speech(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The kiosk's ReadAloud: Speech::Open().
std::unique_ptr<ReadAloud> OpenSpeech();

}  // namespace htk::platform
