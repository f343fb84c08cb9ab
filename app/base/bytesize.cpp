#include "base/bytesize.h"

#include <QRegularExpression>

#include <cmath>

std::optional<std::uint64_t> parseByteSize(const QString &text, QString *error)
{
    static const QRegularExpression grammar(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]i?b?|b)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = grammar.match(text);
    const QString suffix = m.captured(2).toLower();
    // "kb" would read as 1000 elsewhere (coreutils): only K, KiB (and B) are taken
    if (!m.hasMatch() || (suffix.size() == 2 && suffix.endsWith(QLatin1Char('b')))) {
        *error = QStringLiteral("expected a size in bytes, with K, M, G, T or KiB, MiB, GiB, TiB");
        return std::nullopt;
    }
    int shift = 0;
    if (!suffix.isEmpty() && suffix != QLatin1String("b"))
        shift = 10 * (1 + int(QStringLiteral("kmgt").indexOf(suffix.front())));
    const double value = std::ldexp(m.captured(1).toDouble(), shift);
    if (!(value >= 1) || value >= std::ldexp(1.0, 62) || value != std::floor(value)) {
        *error = value < 1                 ? QStringLiteral("expected at least one byte")
            : value >= std::ldexp(1.0, 62) ? QStringLiteral("too large")
                                           : QStringLiteral("not a whole number of bytes");
        return std::nullopt;
    }
    return std::uint64_t(value);
}

QString byteSizeText(std::uint64_t bytes)
{
    static const char *const kUnits[] = { "KiB", "MiB", "GiB", "TiB" };
    for (int k = 3; k >= 0; --k) {
        const std::uint64_t unit = std::uint64_t(1) << (10 * (k + 1));
        if (bytes < unit)
            continue;
        const double v = double(bytes) / double(unit);
        if (bytes % unit == 0)
            return QStringLiteral("%1 %2").arg(bytes / unit).arg(QLatin1String(kUnits[k]));
        if (std::fmod(v * 10, 1.0) == 0)
            return QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(kUnits[k]));
    }
    return bytes == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(bytes);
}
