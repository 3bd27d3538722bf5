// Read aloud on espeak-ng and SDL's queued audio. espeak-ng is one global, non-thread-safe engine:
// every call to it is made under Espeak's lock. Never log the text being read, nor its length.
// The SDL audio device is open only around playback: an open device's SDL thread wakes every buffer
// (about 21 ms) to write silence, which an idle kiosk must not pay for. Only the worker thread opens,
// feeds and closes it; other threads touch it only under Impl::mutex while it is published.
#include "platform/speech.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

namespace htk::platform {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration Seconds(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Consumes one chunk of mono PCM; false stops the synthesis.
using PcmSink = std::function<bool(const std::int16_t* samples, std::size_t count)>;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c == '_') c = '-';
    }
    return out;
}

// The espeak-ng language names to try for a BCP 47 tag, best first.
std::vector<std::string> Candidates(std::string_view bcp47) {
    // Pack tags that espeak-ng names otherwise. Sorani (ckb) is deliberately absent: espeak-ng's
    // "ku" is Kurmanji in Latin script and would read Sorani's Arabic script as nonsense.
    static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
        {"zh-hans", "cmn"},
    };
    const std::string tag = Lower(bcp47);
    std::vector<std::string> out;
    for (const auto& [from, to] : kAliases)
        if (tag == from) out.emplace_back(to);
    out.push_back(tag);
    // "tr-TR" may fall back to "tr"; "pa-Arab" may not fall back to the Gurmukhi voice.
    const auto dash = tag.find('-');
    if (dash != std::string::npos) {
        const std::string_view rest = std::string_view(tag).substr(dash + 1);
        const std::string_view second = rest.substr(0, rest.find('-'));
        const bool script = second.size() == 4;
        if (!script) out.push_back(tag.substr(0, dash));
    }
    return out;
}

// The process's one espeak-ng: loaded on first use, never unloaded (espeak-ng cannot be loaded
// twice in a process), every call under m_mutex.
class Espeak {
public:
    static Espeak& Get() {
        static Espeak instance;
        return instance;
    }

    bool Ready() const { return m_ready; }
    int SampleRate() const { return m_rate; }

    // Reads only the voice list taken at load time: no espeak-ng call, no lock.
    std::optional<Voice> VoiceFor(std::string_view bcp47) const {
        for (const std::string& language : Candidates(bcp47)) {
            const Listed* best = nullptr;
            for (const Listed& v : m_voices)
                if (v.voice.language == language && (!best || v.priority < best->priority)) best = &v;
            if (best) return best->voice;
        }
        return std::nullopt;
    }

    // Feeds `sink` each chunk as espeak-ng makes it; false if the voice cannot be selected.
    bool Synthesize(const Voice& voice, std::string_view text, const PcmSink& sink) {
        const std::lock_guard lock(m_mutex);
        if (!m_ready) return false;
        if (m_current != voice.identifier) {
            if (espeak_SetVoiceByName(voice.identifier.c_str()) != EE_OK) return false;
            m_current = voice.identifier;
        }
        const std::string terminated(text);
        m_sink = &sink;
        const espeak_ERROR e = espeak_Synth(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0,
                                            espeakCHARS_UTF8, nullptr, nullptr);
        m_sink = nullptr;
        return e == EE_OK;
    }

private:
    struct Listed {
        Voice voice;
        int priority;  // espeak-ng's: lower is the better match for that language
    };

    Espeak() {
        espeak_ng_InitializePath(nullptr);
        espeak_ng_ERROR_CONTEXT context = nullptr;
        espeak_ng_STATUS status = espeak_ng_Initialize(&context);
        if (status == ENS_OK) status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
        if (status != ENS_OK) {
            char message[256] = {};
            espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
            espeak_ng_ClearErrorContext(&context);
            std::fprintf(stderr, "speech: espeak-ng cannot start (%s): only recorded prompts can be read\n", message);
            return;
        }
        espeak_SetSynthCallback(&Espeak::Callback);
        m_rate = espeak_ng_GetSampleRate();
        for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v && *v; ++v) {
            // `languages` is a list of (priority byte, NUL-terminated name), ended by a zero byte.
            for (const char* l = (*v)->languages; l && *l;) {
                const int priority = static_cast<unsigned char>(*l++);
                const std::string language = l;
                l += language.size() + 1;
                m_voices.push_back({{language, (*v)->name, (*v)->identifier}, priority});
            }
        }
        m_ready = true;
    }

    static int Callback(short* wav, int count, espeak_EVENT*) {
        const PcmSink* sink = Get().m_sink;  // set under m_mutex by the thread that is in espeak_Synth
        if (!wav || count <= 0 || !sink) return 0;
        try {
            return (*sink)(wav, static_cast<std::size_t>(count)) ? 0 : 1;  // 1: espeak-ng stops
        } catch (...) {
            return 1;  // an exception must not unwind through espeak-ng's C frames
        }
    }

    std::mutex m_mutex;
    bool m_ready = false;
    int m_rate = 0;
    std::vector<Listed> m_voices;
    std::string m_current;  // identifier of the selected voice
    const PcmSink* m_sink = nullptr;
};

// Blocks asynchronous signals in this thread while it lives, so threads started meanwhile (ours,
// SDL's audio thread) never take SIGINT/SIGTERM meant for QuitSignals' sigwait().
class SignalsBlocked {
public:
    SignalsBlocked() {
        sigset_t all;
        sigfillset(&all);
        for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP}) sigdelset(&all, fault);
        pthread_sigmask(SIG_BLOCK, &all, &m_previous);
    }
    ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &m_previous, nullptr); }
    SignalsBlocked(const SignalsBlocked&) = delete;
    SignalsBlocked& operator=(const SignalsBlocked&) = delete;

private:
    sigset_t m_previous;
};

// An SDL_AudioStream from one PCM format to the device's.
class Converter {
public:
    Converter(SDL_AudioFormat format, Uint8 channels, int rate, const SDL_AudioSpec& out)
        : m_stream(SDL_NewAudioStream(format, channels, rate, out.format, out.channels, out.freq)) {}
    ~Converter() {
        if (m_stream) SDL_FreeAudioStream(m_stream);
    }
    Converter(const Converter&) = delete;
    Converter& operator=(const Converter&) = delete;

    bool Ok() const { return m_stream != nullptr; }
    bool Put(const void* data, std::size_t bytes) {
        return SDL_AudioStreamPut(m_stream, data, static_cast<int>(bytes)) == 0;
    }
    void Flush() { SDL_AudioStreamFlush(m_stream); }
    std::vector<Uint8> Take() {  // whatever is converted so far
        std::vector<Uint8> out(static_cast<std::size_t>(std::max(0, SDL_AudioStreamAvailable(m_stream))));
        if (out.empty()) return out;
        const int got = SDL_AudioStreamGet(m_stream, out.data(), static_cast<int>(out.size()));
        out.resize(static_cast<std::size_t>(std::max(0, got)));
        return out;
    }

private:
    SDL_AudioStream* m_stream;
};

// The kiosk's output format request; SDL may change the rate and channel count to the device's.
SDL_AudioDeviceID OpenOutput(SDL_AudioSpec& obtained) {
    SDL_AudioSpec want{};
    want.freq = 48000;  // a common native rate; recordings keep their quality, SDL resamples espeak-ng's
    want.format = AUDIO_S16SYS;
    want.channels = 2;
    want.samples = 1024;
    return SDL_OpenAudioDevice(nullptr, 0, &want, &obtained,
                               SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE);
}

bool IsFile(const std::filesystem::path& path) {
    std::error_code ec;
    return !path.empty() && std::filesystem::is_regular_file(path, ec);
}

}  // namespace

struct Speech::Impl {
    struct Job {
        std::uint64_t generation = 0;
        std::string bcp47;
        std::string text;
        std::filesystem::path recording;
        Clock::time_point asked;
    };

    bool audio = false;      // Open() could open an output device: set before the worker starts, then constant
    bool sdl_audio = false;  // SDL's audio subsystem is ours to quit
    // The worker's alone:
    SDL_AudioSpec spec{};      // the open device's format: everything is converted to it
    bool open_failed = false;  // the latest attempt to reopen the device failed (logged once)

    std::mutex mutex;  // guards what follows, and orders queueing on `device` against clearing it
    std::condition_variable wake;
    // 0 while closed. Opened and closed only by the worker, always written under `mutex`; other threads
    // use it only under `mutex`, so never while it is being closed.
    SDL_AudioDeviceID device = 0;
    std::uint64_t generation = 0;  // bumped by Read and Stop: an older job stops queueing
    std::optional<Job> pending;
    bool stopping = false;
    std::uint64_t last_read = 0;  // generation of the latest Read
    std::uint64_t reported = 0;   // generation `report` belongs to
    ReadReport report;
    std::set<std::filesystem::path> bad_recordings;  // failed to load: logged once, not offered again
    std::atomic<std::uint64_t> busy{0};              // generation of the Read still being worked on
    std::thread worker;

    void Work() {
        std::unique_lock lock(mutex);
        std::optional<Clock::time_point> idle_since;  // when the open device was first seen with nothing to play
        while (!stopping) {
            if (pending) {
                Job job = std::move(*pending);
                pending.reset();
                idle_since.reset();
                lock.unlock();
                ReadReport done;
                try {
                    if (OpenDevice()) done = Play(job);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "speech: reading failed (%s)\n", e.what());
                }
                lock.lock();
                if (job.generation == last_read) {
                    report = done;
                    reported = job.generation;
                }
                std::uint64_t expected = job.generation;
                busy.compare_exchange_strong(expected, 0);
                continue;
            }
            // Nothing to read: sleep until a Read, a Stop (it may have emptied the queue), the expected
            // end of what is queued, or the end of the grace period that closes the device.
            const std::uint64_t seen = generation;
            const auto woken = [&] { return stopping || pending.has_value() || generation != seen; };
            if (!device) {
                wake.wait(lock, woken);
                continue;
            }
            const auto now = Clock::now();
            Clock::time_point check;
            if (const Uint32 queued = SDL_GetQueuedAudioSize(device); queued > 0) {
                idle_since.reset();
                check = now + Seconds(queued / BytesPerSecond()) + std::chrono::milliseconds(10);
            } else {
                if (!idle_since) idle_since = now;
                if (now - *idle_since >= Seconds(kIdleCloseSeconds)) {
                    CloseDevice(lock);
                    idle_since.reset();
                    continue;
                }
                check = *idle_since + Seconds(kIdleCloseSeconds);
            }
            wake.wait_until(lock, check, woken);
        }
        if (device) CloseDevice(lock);
        lock.unlock();
        SDL_TLSCleanup();  // SDL_GetError's buffer for this thread: SDL frees it only for its own threads
    }

    // Worker only, `mutex` not held. Opens the device unless it is open; false (logged once until it
    // opens again) when it cannot be: a sound card unplugged since Open().
    bool OpenDevice() {
        if (device) return true;  // only this thread writes it
        SDL_AudioSpec obtained{};
        const SDL_AudioDeviceID opened = OpenOutput(obtained);  // SDL's audio thread inherits our blocked signals
        if (!opened) {
            if (!open_failed)
                std::fprintf(stderr, "speech: cannot open the audio output (%s): nothing is read aloud\n", SDL_GetError());
            open_failed = true;
            return false;
        }
        open_failed = false;
        spec = obtained;
        SDL_PauseAudioDevice(opened, 0);
        const std::lock_guard lock(mutex);
        device = opened;
        return true;
    }

    // Worker only, `mutex` held by `lock`. Unpublishes the device, then closes it without the lock:
    // closing joins SDL's audio thread, and Speaking() must not wait for that.
    void CloseDevice(std::unique_lock<std::mutex>& lock) {
        const SDL_AudioDeviceID closing = device;
        device = 0;
        lock.unlock();
        SDL_CloseAudioDevice(closing);
        lock.lock();
    }

    double BytesPerSecond() const {
        return static_cast<double>(spec.freq) * spec.channels * SDL_AUDIO_BITSIZE(spec.format) / 8;
    }

    bool Playable(const std::filesystem::path& recording) {
        if (!IsFile(recording)) return false;
        const std::lock_guard lock(mutex);
        return !bad_recordings.contains(recording);
    }

    ReadReport Play(const Job& job) {
        ReadReport r;
        if (Playable(job.recording)) {
            if (const auto failed = PlayRecording(job, r); !failed) {
                r.source = SpeechSource::Recording;
                return r;
            } else {
                const std::lock_guard lock(mutex);
                if (bad_recordings.insert(job.recording).second)
                    std::fprintf(stderr, "speech: cannot play %s (%s)\n", job.recording.c_str(), failed->c_str());
            }
        }
        auto& espeak = Espeak::Get();
        const auto voice = espeak.VoiceFor(job.bcp47);
        if (!voice || job.text.empty()) return r;
        Converter convert(AUDIO_S16SYS, 1, espeak.SampleRate(), spec);
        if (!convert.Ok()) return r;
        r.source = SpeechSource::Synthesis;
        bool current = true;
        espeak.Synthesize(*voice, job.text, [&](const std::int16_t* samples, std::size_t count) {
            current = convert.Put(samples, count * sizeof(std::int16_t)) && Queue(job, convert.Take(), r);
            return current;
        });
        if (current) {
            convert.Flush();
            Queue(job, convert.Take(), r);
        }
        return r;
    }

    // nullopt when it played; else why not (SDL's words, for the log).
    std::optional<std::string> PlayRecording(const Job& job, ReadReport& r) {
        SDL_AudioSpec wav{};
        Uint8* data = nullptr;
        Uint32 bytes = 0;
        if (!SDL_LoadWAV(job.recording.c_str(), &wav, &data, &bytes)) return std::string(SDL_GetError());
        const std::unique_ptr<Uint8, void (*)(Uint8*)> owned(data, SDL_FreeWAV);
        Converter convert(wav.format, wav.channels, wav.freq, spec);
        if (!convert.Ok() || !convert.Put(data, bytes)) return std::string(SDL_GetError());
        convert.Flush();
        const std::vector<Uint8> pcm = convert.Take();
        if (pcm.empty()) return std::string("no samples");
        Queue(job, pcm, r);
        return std::nullopt;
    }

    // Queues `pcm` unless a newer Read or a Stop came since `job`; false then.
    bool Queue(const Job& job, const std::vector<Uint8>& pcm, ReadReport& r) {
        const std::lock_guard lock(mutex);
        if (generation != job.generation || stopping) return false;
        if (pcm.empty()) return true;
        if (r.audio_seconds == 0)
            r.first_audio_seconds = std::chrono::duration<double>(Clock::now() - job.asked).count();
        SDL_QueueAudio(device, pcm.data(), static_cast<Uint32>(pcm.size()));
        r.audio_seconds += static_cast<double>(pcm.size()) / BytesPerSecond();
        return true;
    }
};

std::unique_ptr<Speech> Speech::Open() {
    auto impl = std::make_unique<Impl>();
    Espeak::Get();  // loads espeak-ng's voice list now rather than on the first Read
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        std::fprintf(stderr, "speech: no audio output (%s): read aloud is off\n", SDL_GetError());
        return std::unique_ptr<Speech>(new Speech(std::move(impl)));
    }
    const SignalsBlocked blocked;  // the probe's audio thread and our worker (so the SDL threads it starts) block them
    // Probe: is there an output at all? The worker opens it again for each spell of playback.
    SDL_AudioSpec obtained{};
    const SDL_AudioDeviceID probe = OpenOutput(obtained);
    if (!probe) {
        std::fprintf(stderr, "speech: no audio output (%s): read aloud is off\n", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);  // nothing will use it: no backend thread of its should linger
        return std::unique_ptr<Speech>(new Speech(std::move(impl)));
    }
    SDL_CloseAudioDevice(probe);
    impl->audio = true;
    impl->sdl_audio = true;
    try {
        impl->worker = std::thread(&Impl::Work, impl.get());
    } catch (const std::system_error& e) {
        std::fprintf(stderr, "speech: no worker thread (%s): read aloud is off\n", e.what());
        impl->audio = false;
        impl->sdl_audio = false;
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    return std::unique_ptr<Speech>(new Speech(std::move(impl)));
}

Speech::Speech(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Speech::~Speech() {
    if (m_impl->worker.joinable()) {
        {
            const std::lock_guard lock(m_impl->mutex);
            m_impl->stopping = true;
            ++m_impl->generation;  // a synthesis in progress stops at its next chunk
        }
        m_impl->wake.notify_one();
        m_impl->worker.join();  // it closes the device, if open, on its way out
    }
    if (m_impl->sdl_audio) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool Speech::CanRead(std::string_view bcp47, const std::filesystem::path& recording) const {
    return m_impl->audio && (m_impl->Playable(recording) || VoiceFor(bcp47).has_value());
}

void Speech::Read(std::string_view bcp47, std::string_view text, const std::filesystem::path& recording) {
    if (!m_impl->audio) return;
    const auto asked = Clock::now();
    // Nothing to play still silences what was playing, and is reported at once.
    const bool work = m_impl->Playable(recording) || (!text.empty() && VoiceFor(bcp47));
    {
        const std::lock_guard lock(m_impl->mutex);
        const std::uint64_t generation = ++m_impl->generation;
        if (m_impl->device) SDL_ClearQueuedAudio(m_impl->device);
        m_impl->last_read = generation;
        if (work) {
            m_impl->pending = Impl::Job{generation, std::string(bcp47), std::string(text), recording, asked};
            m_impl->busy = generation;
        } else {
            m_impl->pending.reset();
            m_impl->busy = 0;
            m_impl->report = ReadReport{};
            m_impl->reported = generation;
        }
    }
    m_impl->wake.notify_one();  // a job to do, or an emptied queue: the device's grace period starts now
}

void Speech::Stop() {
    if (!m_impl->audio) return;
    {
        const std::lock_guard lock(m_impl->mutex);
        ++m_impl->generation;
        m_impl->pending.reset();
        m_impl->busy = 0;
        if (m_impl->device) SDL_ClearQueuedAudio(m_impl->device);
    }
    m_impl->wake.notify_one();  // the device closes kIdleCloseSeconds from now, not after what was queued
}

bool Speech::Speaking() const {
    if (!m_impl->audio) return false;
    if (m_impl->busy != 0) return true;
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->device && SDL_GetQueuedAudioSize(m_impl->device) > 0;
}

bool Speech::HasAudio() const { return m_impl->audio; }

bool Speech::DeviceOpen() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->device != 0;
}

std::optional<ReadReport> Speech::LastRead() const {
    const std::lock_guard lock(m_impl->mutex);
    if (m_impl->last_read == 0 || m_impl->reported != m_impl->last_read) return std::nullopt;
    return m_impl->report;
}

std::optional<Voice> Speech::VoiceFor(std::string_view bcp47) { return Espeak::Get().VoiceFor(bcp47); }

std::vector<std::int16_t> Speech::Synthesize(std::string_view bcp47, std::string_view text) {
    std::vector<std::int16_t> out;
    auto& espeak = Espeak::Get();
    if (const auto voice = espeak.VoiceFor(bcp47)) {
        espeak.Synthesize(*voice, text, [&out](const std::int16_t* samples, std::size_t count) {
            out.insert(out.end(), samples, samples + count);
            return true;
        });
    }
    return out;
}

int Speech::SampleRate() { return Espeak::Get().SampleRate(); }

std::unique_ptr<ReadAloud> OpenSpeech() { return Speech::Open(); }

}  // namespace htk::platform
