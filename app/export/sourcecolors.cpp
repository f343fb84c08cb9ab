#include "export/sourcecolors.h"

std::uint32_t sourceRgb(Source source)
{
    switch (source) {
    case Source::RateLimited:
        return 0xFFD55E00; // vermillion
    case Source::ToolError:
        return 0xFF0072B2; // blue
    case Source::Unclassified:
        return 0xFF999999; // grey
    case Source::None:
        break;
    }
    return 0xFF000000;
}
