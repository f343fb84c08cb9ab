#include "sourcepalette.h"

#include <QObject>

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

QColor categoryColor(ThrottleCategory category, bool dark)
{
    if (category == ThrottleCategory::None)
        return QColor();
    if (category == ThrottleCategory::Quota)
        return dark ? QColor(Qt::white) : QColor(Qt::black);
    return QColor::fromRgba(categoryRgb(category));
}

QBrush categoryBrush(ThrottleCategory category, bool dark)
{
    switch (category) {
    case ThrottleCategory::Quota:
        return QBrush(categoryColor(category, dark), Qt::BDiagPattern);
    case ThrottleCategory::Overloaded:
        return QBrush(categoryColor(category, dark), Qt::Dense4Pattern);
    case ThrottleCategory::HiddenThrottle:
        return QBrush(categoryColor(category, dark), Qt::FDiagPattern);
    case ThrottleCategory::None:
        break;
    }
    return QBrush();
}

QString categoryLabel(ThrottleCategory category)
{
    switch (category) {
    case ThrottleCategory::Quota:
        return QObject::tr("QUOTA (out of quota or credit)");
    case ThrottleCategory::Overloaded:
        return QObject::tr("OVERLOADED (the service's trouble)");
    case ThrottleCategory::HiddenThrottle:
        return QObject::tr("HIDDEN_THROTTLE (a 429 behind another status)");
    case ThrottleCategory::None:
        break;
    }
    return QString();
}

} // namespace SourcePalette
