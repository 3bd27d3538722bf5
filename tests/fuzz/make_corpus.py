#!/usr/bin/env python3
"""Writes the seed corpora of the structured fuzz targets (message_format, phone, dob, text_layout)
into tests/fuzz/corpus/<name>/. Their inputs start with choice bytes (see each *_fuzz.cpp), so the
seeds are made here from readable cases; run it again after changing how a target reads its input."""
import datetime
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def u8(s):
    return s.encode("utf-8")


# ---- message_format: [mode][locale] then the case (message_format_fuzz.cpp) -------------------------
LOCALES = ["en_GB", "ar", "bn", "ckb", "fa", "lt", "pa", "pl", "pt", "ro", "so", "ti", "tr", "ur", "zh_Hans",
           "ar_EG", "cy", "ru", "ja"]
NAMES = ["count", "n", "when", "name", "ref", "s", "0", "1", "language", "minutes"]
NOON = int(datetime.datetime(2026, 6, 21, 11, 0, tzinfo=datetime.timezone.utc).timestamp())


def arg_int(name, value):  # listed name, kind 0 (integer), an 8-byte value
    return bytes([1, NAMES.index(name), 0, 0]) + struct.pack("<q", value)


def arg_string(name, value):  # listed name, kind 2 (string)
    return bytes([1, NAMES.index(name), 2]) + u8(value) + b"\0"


def arg_instant(name, at):  # listed name, kind 3 (date)
    return bytes([1, NAMES.index(name), 3]) + struct.pack("<q", at)


def raw(locale, pattern, *args):
    return bytes([0, LOCALES.index(locale)]) + u8(pattern) + b"\0" + bytes([len(args)]) + b"".join(args)


mf = {
    "en-plural-one": raw("en_GB", "{count, plural, one {# free appointment} other {# free appointments}}",
                         arg_int("count", 1)),
    "ar-plural-few": raw("ar", "{count, plural, zero {لا مواعيد} one {موعد واحد} two {موعدان} few {# مواعيد} "
                               "many {# موعدًا} other {# موعد}}", arg_int("count", 3)),
    "fa-date-persian-digits": raw("fa", "{when, date, full} ساعت {when, time, short}", arg_instant("when", NOON)),
    "ur-isolated-reference": raw("ur", "آپ کا حوالہ {ref} ہے", arg_string("ref", "\u2066KMR-4TX7\u2069")),
    "bn-select-nested": raw("bn", "{s, select, a {{n, plural, one {# জন} other {# জন}}} other {কেউ না}}",
                            arg_string("s", "a"), arg_int("n", 21)),
    "pl-plural-many": raw("pl", "{n, plural, one {# wizyta} few {# wizyty} many {# wizyt} other {# wizyty}}",
                          arg_int("n", 22)),
    "zh-number-skeleton": raw("zh_Hans", "{n, number, ::compact-short} 人", arg_int("n", 12345)),
    "broken-pattern": raw("tr", "{count, plural, one {# randevu} other {# randevu}", arg_int("count", 2)),
    "apostrophes": raw("en_GB", "It''s '{'literal'}' and {name}", arg_string("name", "O'Brien-Smith")),
    "missing-argument": raw("ckb", "{minutes, plural, one {# خولەک} other {# خولەک}} {language}"),
    # built patterns: [mode 1][locale] before\0 after\0 x\0 y\0 z\0 [case] ...
    "built-select": bytes([1, LOCALES.index("ti")]) + u8("ሰላም \0!\0ሀ\0ለ\0ሐ\0") + bytes([1, 0]) + u8("b"),
    "built-plural": bytes([1, LOCALES.index("lt")]) + u8("Liko \0.\0nė vieno\0vienas\0daug\0") + bytes([2, 1, 1, 1]),
    "built-date": bytes([1, LOCALES.index("pa")]) + u8("ਤਾਰੀਖ: \0\0\0\0\0") + bytes([3, 1, 0]) + struct.pack("<q", NOON),
    # the shipped packs' own patterns: [mode 2][locale][pack][key] then argument bytes
    "shipped-0": bytes([2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
    "shipped-1": bytes([2, 0, 4, 3, 3]) + struct.pack("<q", NOON) + bytes([1, 3, 0]) + u8("A\0B\0C\0"),
    "shipped-2": bytes([2, 0, 13, 5, 0, 1, 2]) + u8("Türkçe"),
}
for name, data in mf.items():
    write("message_format", name, data)

# ---- phone: [script][native digits?] then what was typed (phone_fuzz.cpp) --------------------------
SCRIPTS = ["en_GB", "ar", "fa", "ur", "ckb", "bn", "pa", "zh_Hans", "tr", "so", "ti"]
phones = {
    "mobile-spaces": ("en_GB", 0, "07400 123456"),
    "mobile-plus44": ("en_GB", 0, "+44 7400 123456"),
    "london-brackets": ("tr", 0, "+44 (0)20 7946 0018"),
    "leeds-landline": ("so", 0, "0113 496 0000"),
    "turkish-mobile": ("tr", 0, "+90 532 123 45 67"),
    "jersey-mobile": ("en_GB", 0, "07797 123456"),
    "too-short": ("en_GB", 0, "12345"),
    "letters": ("en_GB", 0, "0800 FLOWERS"),
    "extension": ("en_GB", 0, "020 7946 0018 ext. 123"),
    "bengali-digits": ("bn", 1, "07400 123456"),
    "gurmukhi-digits": ("pa", 1, "+44 7400 123456"),
    "persian-digits": ("fa", 1, "07400 123456"),
    "arabic-indic-digits": ("ar", 1, "0113 496 0000"),
    "fullwidth-digits": ("zh_Hans", 1, "07400-123456"),
    "tabs-only": ("en_GB", 0, "\t \t"),
    "rtl-isolates": ("ur", 0, "\u206607400 123456\u2069"),
    "dots-dashes": ("ckb", 0, "07400.123-456"),
    "long-digits": ("ti", 0, "0" * 33),
}
for name, (script, native, typed) in phones.items():
    write("phone", name, bytes([SCRIPTS.index(script), native]) + u8(typed))

# ---- dob: [zone][5-byte clock][kind] then the date (dob_fuzz.cpp) -------------------------------------
ZONES = ["Europe/London", "Europe/Belfast", "UTC", "Pacific/Apia", "Pacific/Kiritimati", "Australia/Lord_Howe",
         "Asia/Kathmandu", "America/St_Johns", "Antarctica/Troll", "Africa/Casablanca", "Pacific/Chatham",
         "America/Godthab"]


def clock(y, mo, d, h=12, mi=0):
    t = int(datetime.datetime(y, mo, d, h, mi, tzinfo=datetime.timezone.utc).timestamp())
    return struct.pack("<Q", t)[:5]


dobs = {
    "typed-adult": ("Europe/London", clock(2026, 11, 23), 0, b"17/5/1980"),
    "typed-sixteen-today": ("Europe/London", clock(2026, 11, 23), 0, b"23/11/2010"),
    "typed-leapling": ("Europe/London", clock(2027, 3, 1, 0, 30), 0, b"29/02/2008"),
    "typed-31-april": ("Europe/London", clock(2026, 11, 23), 0, b"31/04/1990"),
    "typed-two-digit-year": ("Europe/London", clock(2026, 11, 23), 0, b"01/01/90"),
    "typed-future": ("Europe/London", clock(2026, 11, 23), 0, b"1/1/2030"),
    "typed-too-old": ("Europe/London", clock(2026, 11, 23), 0, b"1/1/1890"),
    "midnight-bst-end": ("Europe/London", clock(2026, 10, 25, 0, 59), 0, b"25/10/2010"),
    "apia-skipped-day": ("Pacific/Apia", clock(2011, 12, 30, 10), 0, b"30/12/1995"),
    "kiritimati-ahead": ("Pacific/Kiritimati", clock(2026, 11, 22, 11), 0, b"23/11/2010"),
    "iso-admin": ("Europe/London", clock(2026, 11, 23), 1, b"1971-04-23"),
    "iso-feb-30": ("Europe/London", clock(2026, 11, 23), 1, b"2000-02-30"),
    "ints-month-257": ("Europe/London", clock(2026, 11, 23), 2, struct.pack("<iii", 1990, 257, 1)),
    "ints-day-huge": ("UTC", clock(2106, 2, 7), 2, struct.pack("<iii", 100, 471604229, 471604252)),
    "ints-negative": ("Asia/Kathmandu", clock(2026, 11, 23), 2, struct.pack("<iii", -5, 12, 31)),
}
for name, (zone, now, kind, text) in dobs.items():
    write("dob", name, bytes([ZONES.index(zone)]) + now + bytes([kind]) + text)

# ---- text_layout: style, options, box, tap, then text as bytes (text_layout_fuzz.cpp) ----------------
SETS = {"ar": 0, "bn": 2, "ckb": 4, "en-GB": 6, "fa": 8, "lt": 10, "pa": 12, "pl": 14, "pt": 16, "ro": 18,
        "so": 20, "ti": 22, "tr": 24, "ur": 26, "zh-Hans": 28, "missing-fonts": 30}
SIZES = [12, 16, 24, 32, 40, 48, 64, 4, 300, -1, 0]


def layout(font_set, text, size=32, direction=0, spacing=2, wrap=True, ellipsize=False, max_lines=0, width=600,
           height=120, tap=(300, 70), bold=False):
    bits = (16 if wrap else 0) | (32 if ellipsize else 0) | (64 if max_lines else 0)
    head = bytes([SETS[font_set] + (1 if bold else 0), SIZES.index(size), direction, spacing, bits])
    if max_lines:
        head += bytes([max_lines])
    head += struct.pack("<H", width + 20) + bytes([height // 4]) + struct.pack("<HH", tap[0] + 100, tap[1])
    return head + b"\0" + u8(text)  # an even byte: the text as bytes


texts = {
    "en-attract": layout("en-GB", "Touch to start"),
    "ar-title-rtl": layout("ar", "كيف يمكننا مساعدتك اليوم؟", width=300),
    "ur-nastaliq": layout("ur", "ہیلتھ ٹرینر کے پاس خود کو ریفر کریں", size=40, width=420),
    "fa-zwnj": layout("fa", "امروز چطور می‌توانیم به شما کمک کنیم؟", ellipsize=True, width=250),
    "ckb-mixed-digits": layout("ckb", "ئەمڕۆ ١٢ کاتژمێر 07400 123456", width=200),
    "bn-conjuncts": layout("bn", "নিজেকে হেলথ ট্রেইনারের কাছে রেফার করুন", max_lines=2, ellipsize=True, width=260),
    "pa-gurmukhi": layout("pa", "ਹੈਲਥ ਟ੍ਰੇਨਰ ਕੋਲ ਆਪਣਾ ਨਾਮ ਭੇਜੋ", size=24, width=180, bold=True),
    "ti-ethiopic": layout("ti", "ናብ ኣሰልጣኒ ጥዕና ባዕለይ ክመሓላለፍ", width=230),
    "zh-no-spaces": layout("zh-Hans", "今天我们能为您做些什么？自行转介给健康教练", width=150),
    "tr-dotted-i": layout("tr", "Sağlık antrenörüne başvurmak İstiyorum", width=140, max_lines=1, ellipsize=True),
    "ro-commas": layout("ro", "Mă înscriu la un antrenor de sănătate", width=190),
    "pl-long-word": layout("pl", "Zbigniew Brzęczyszczykiewicz", width=90),
    "en-name-in-arabic": layout("ar", "مع Sarah اليوم", direction=0, wrap=False),
    "ar-name-in-english": layout("en-GB", "Appointment with محمد علی at 10:30", width=260),
    "isolated-reference": layout("fa", "کد شما \u2066KMR-4TX7\u2069 است", width=400),
    "bidi-overrides": layout("en-GB", "abc \u202Eedcba\u202C \u2067שלום\u2069 (1) [2]", direction=3),
    "newlines-crlf": layout("en-GB", "first line\r\nsecond\n\nfourth\u2028fifth\u2029", width=120, height=240),
    "trailing-spaces-rtl": layout("ar", "مرحبا" + " " * 30, size=48, direction=2, width=200),
    "invalid-utf8": layout("en-GB", "ok") + b"\xC3\x28\xE2\x82\xF0\x9F\x98\xED\xA0\x80\xFF\x80" + u8(" end"),
    "controls": layout("en-GB", "a\x01b\x1Cc\x7Fd\u0085e\tf"),
    "combining-pile": layout("en-GB", "e" + "\u0301" * 40 + " Z\u0335\u0336\u0337", size=64),
    "emoji-zwj": layout("en-GB", "Family 👨\u200D👩\u200D👧 ok 👍🏽", width=200),
    "private-use": layout("missing-fonts", "\uE000\uE001 \U0010FFFD text", size=16),
    "tiny-size": layout("en-GB", "'`# a b", size=4, wrap=False, width=-20),
    "huge-size": layout("bn", "ক্ষ", size=300, width=100),
    "empty": layout("ur", ""),
}
for name, data in texts.items():
    write("text_layout", name, data)
