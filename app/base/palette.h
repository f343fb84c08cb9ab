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
