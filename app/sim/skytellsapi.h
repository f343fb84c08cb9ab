#pragma once

#include "sim/ndjsonlinewriter.h"
#include "sim/prng.h"

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

// The Skytells prediction API as the traffic simulator answers it (sim/simulator.h): the
// account's rolling-window limit (only served requests count), the predictions in flight and
// the text of each answer. Which client asks when, and how it retries, is the simulator's.
class SkytellsApi
{
public:
    struct Prediction
    {
        std::array<char, 36> uuid;
        std::int64_t completeMs;
        std::uint8_t model; // 0 truefusion-pro, 1 truefusion, 2 truefusion-edge
    };

    SkytellsApi(int limit, int windowS);

    // A new prediction with a version-4 UUID from two draws of rng; returns its slot.
    std::uint32_t create(Xoshiro256 &rng, int model, std::int64_t completeMs);
    Prediction &prediction(std::uint32_t slot) { return m_predictions[slot]; }
    void release(std::uint32_t slot) { m_free.push_back(slot); }

    // The rolling window: true when a request at t is served; otherwise *retryAfterS is set.
    bool admit(std::int64_t t, int *retryAfterS);

    // The record from the URL on: `","url":"…","status":` (poll: the prediction's URL).
    void writeTarget(NdjsonLineWriter &w, const Prediction *poll) const;
    // The rest of the record, from the status to the closing brace; each draws the duration.
    void writeRejected(NdjsonLineWriter &w, Xoshiro256 &rng, int retryAfterS) const;
    void writeCreated(NdjsonLineWriter &w, Xoshiro256 &rng, const Prediction &p) const;
    void writeSucceeded(NdjsonLineWriter &w, Xoshiro256 &rng, const Prediction &p) const;
    void writeProcessing(NdjsonLineWriter &w, Xoshiro256 &rng) const;

private:
    void writeLimitHeaders(NdjsonLineWriter &w) const;

    int m_limit;
    int m_windowS;
    std::deque<std::int64_t> m_served; // times of served requests in the window
    std::vector<Prediction> m_predictions;
    std::vector<std::uint32_t> m_free;
};
