#include "sourcepalette.h"

namespace SourcePalette {

QColor color(RejectionSource source)
{
    return source == RejectionSource::None ? QColor() : QColor::fromRgba(sourceRgb(source));
}

QColor requestsColor(bool dark)
{
    return dark ? QColor(0xE8, 0xE8, 0xE8) : QColor(0x20, 0x20, 0x20);
}

QColor textOn(RejectionSource source)
{
    return source == RejectionSource::Unclassified ? QColor(Qt::black) : QColor(Qt::white);
}

QString label(RejectionSource source)
{
    switch (source) {
    case RejectionSource::RateLimited:
        return QStringLiteral("RATE_LIMITED");
    case RejectionSource::ToolError:
        return QStringLiteral("TOOL_ERROR");
    case RejectionSource::Unclassified:
        return QStringLiteral("UNCLASSIFIED");
    case RejectionSource::None:
        break;
    }
    return QStringLiteral("not rejected");
}

} // namespace SourcePalette
