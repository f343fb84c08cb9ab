#pragma once

#include "sim/ndjsonlinewriter.h"
#include "sim/prng.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What the traffic simulator calls, as data: resources/sim/catalog.json (compiled in), described
// in resources/sim/README.md. The traffic model (demand, limits, incidents, clients and their
// retries) stays in sim/simulator.cpp; the catalog says which providers and tools exist, how
// they answer, and which providers each Scalekit client uses.

inline constexpr char kBuiltInSimCatalog[] = ":/sim/catalog.json";

// A text of the catalog with ${...} placeholders, written piece by piece. The random
// placeholders draw from the generator in the order they appear.
class SimTemplate
{
public:
    enum class Slot : std::uint8_t {
        Text, // literal text, already escaped for where it goes
        Hex, // ${hex:N}: N hex digits (the top 4N bits of one 64-bit draw), 1 <= N <= 16
        Digits, // ${digits:N}: N decimal digits, the first one non-zero, 1 <= N <= 30
        Int, // ${int:LO..HI}: a decimal integer in [LO, HI]
        NextMinute, // ${next_minute}: the next whole UTC minute, "2026-01-05T10:43:00Z"
    };
    struct Part
    {
        Slot slot = Slot::Text;
        std::string text;
        std::int64_t a = 0; // Hex, Digits: N; Int: LO
        std::int64_t b = 0; // Int: HI
    };

    void write(NdjsonLineWriter &w, Xoshiro256 &rng, std::int64_t timeMs) const;

    std::vector<Part> parts;
};

struct SimProvider
{
    std::string name; // escaped for a JSON string, like every name here
    int latencyMs = 0;
    int latencySpreadMs = 0;
    SimTemplate limitMessage; // the provider's 429 text (inside a JSON string)
    SimTemplate failureMessage; // the provider's 502 text (inside a JSON string)
    SimTemplate result; // the "data" of a successful call (JSON text)
    std::vector<std::string> tools;
};

struct SimCatalog
{
    std::vector<SimProvider> providers;
    // Per Scalekit client, in the order the loader was given: a weight per provider.
    std::vector<std::vector<int>> clientProviders;
    std::vector<int> incidentProviders; // indices into providers, in turn

    // Reads and checks a catalog: every field known and present, names unique, every
    // provider with tools, every one of `clients` (the model's Scalekit clients) with a
    // provider mix. On failure returns nullopt and sets *error to what is wrong and where.
    static std::optional<SimCatalog> fromJson(
        const QByteArray &json, const std::vector<std::string> &clients, QString *error);
    // The same from a file (":/sim/catalog.json" is the compiled-in one); *error names it.
    static std::optional<SimCatalog> fromFile(
        const QString &path, const std::vector<std::string> &clients, QString *error);
};
