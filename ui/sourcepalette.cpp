#include "sourcepalette.h"

namespace SourcePalette {

QColor color(Source source)
{
    return source == Source::None ? QColor() : QColor::fromRgba(sourceRgb(source));
}

QColor requestsColor(bool dark)
{
    return dark ? QColor(0xE8, 0xE8, 0xE8) : QColor(0x20, 0x20, 0x20);
}

QColor textOn(Source source)
{
    return source == Source::Unclassified ? QColor(Qt::black) : QColor(Qt::white);
}

QString label(Source source)
{
    switch (source) {
    case Source::RateLimited:
        return QStringLiteral("RATE_LIMITED");
    case Source::ToolError:
        return QStringLiteral("TOOL_ERROR");
    case Source::Unclassified:
        return QStringLiteral("UNCLASSIFIED");
    case Source::None:
        break;
    }
    return QStringLiteral("not rejected");
}

} // namespace SourcePalette
