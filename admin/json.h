// A minimal JSON writer for `ht-admin --json`: objects and arrays built as strings, UTF-8 passed
// through, control characters escaped. Output only; ht-admin never parses JSON.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace htk::admin {

std::string JsonQuote(std::string_view text);

class JsonObject {
public:
    JsonObject& Add(std::string_view key, std::string_view value);
    JsonObject& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
    JsonObject& Add(std::string_view key, const std::string& value) { return Add(key, std::string_view(value)); }
    JsonObject& Add(std::string_view key, std::int64_t value);
    JsonObject& Add(std::string_view key, int value) { return Add(key, static_cast<std::int64_t>(value)); }
    JsonObject& Add(std::string_view key, bool value);
    JsonObject& AddNull(std::string_view key);
    JsonObject& AddRaw(std::string_view key, std::string_view json);  // an already-encoded value
    std::string Str() const { return "{" + m_body + "}"; }

private:
    void Key(std::string_view key);
    std::string m_body;
};

std::string JsonArray(const std::vector<std::string>& encoded_items);
std::string JsonStringArray(const std::vector<std::string>& items);

}  // namespace htk::admin
