#pragma once

#include "base/rejectionsource.h"

#include <cstdint>

// The one palette of RateScope, as 0xAARRGGBB (a QRgb, without needing QtGui): Okabe–Ito
// colours, safe for the common colour-vision deficiencies. The window (ui/sourcepalette.h
// makes QColors of them), the report chart and the HTML report's chips all read this table.
namespace Palette {

constexpr std::uint32_t kRateLimited = 0xFFD55E00; // vermillion
constexpr std::uint32_t kToolError = 0xFF0072B2; // blue
constexpr std::uint32_t kUnclassified = 0xFF999999; // grey
constexpr std::uint32_t kLimit = 0xFF009E73; // bluish green: the configured limit
constexpr std::uint32_t kServerLimit = 0xFFCC79A7; // reddish purple: the limit the server reported
constexpr std::uint32_t kOverLimit = 0xFFF0E442; // yellow: buckets over the limit (as a band)
// The categories of limits.md §7, drawn hatched: a QUOTA rejection over its source's colour,
// the answers that are no rejection in colours of their own.
constexpr std::uint32_t kQuota = 0xFF000000; // black hatching (white on a dark background)
constexpr std::uint32_t kOverloaded = 0xFF56B4E9; // sky blue
constexpr std::uint32_t kHiddenThrottle = 0xFFE69F00; // orange: a 429 in disguise

} // namespace Palette

// The colour of a rejection source; opaque black for RejectionSource::None.
constexpr std::uint32_t sourceRgb(RejectionSource source)
{
    switch (source) {
    case RejectionSource::RateLimited:
        return Palette::kRateLimited;
    case RejectionSource::ToolError:
        return Palette::kToolError;
    case RejectionSource::Unclassified:
        return Palette::kUnclassified;
    case RejectionSource::None:
        break;
    }
    return 0xFF000000;
}

// The colour of a category of limits.md §7; opaque black for ThrottleCategory::None.
constexpr std::uint32_t categoryRgb(ThrottleCategory category)
{
    switch (category) {
    case ThrottleCategory::Quota:
        return Palette::kQuota;
    case ThrottleCategory::Overloaded:
        return Palette::kOverloaded;
    case ThrottleCategory::HiddenThrottle:
        return Palette::kHiddenThrottle;
    case ThrottleCategory::None:
        break;
    }
    return 0xFF000000;
}
