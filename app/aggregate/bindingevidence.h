#pragma once

#include "decode/limitwords.h"
#include "store/eventstore.h"

#include <array>
#include <climits>
#include <cstdint>

// What limits.md §5 weighs of one incident's rejections (incidents/binding.h), gathered from its
// events or, minute by minute, in a MinuteRollup (issue 22): what the words of the rejections
// name, and what their headers said was at 0.
struct BindingEvidence
{
    static constexpr std::size_t kAxes = 5; // LimitAxis
    static constexpr std::size_t kHeaderAxes = 4; // requests, tokens, input, output tokens
    // rejections whose words name each axis, and the words of the earliest of them (at equal
    // times the one added first)
    std::array<std::int64_t, kAxes> wordVotes {};
    std::array<LimitWords, kAxes> wordExample {};
    std::array<std::int64_t, kAxes> exampleMs { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX,
        INT64_MAX };
    // rejections whose headers reported remaining 0 on each axis; the earliest rejection's
    // (EventStore::remainingZeroAxes) and the window its response reported per axis (-1: none)
    std::array<std::int64_t, kHeaderAxes> zeroVotes {};
    std::int64_t firstMs = INT64_MAX; // INT64_MAX: no rejection added
    std::uint8_t firstZero = 0;
    std::array<std::int64_t, kHeaderAxes> firstWindowS { -1, -1, -1, -1 };

    // Adds rejection i, whose message reads as `words`, in any order.
    void addRejection(const EventStore &store, std::size_t i, const LimitWords &words);
    // Adds the evidence of other rejections (another minute of an incident).
    void merge(const BindingEvidence &other);
};
