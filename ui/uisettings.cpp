#include "uisettings.h"

#include <QFileInfo>
#include <QSettings>

namespace {
constexpr int kMaxRecent = 10;
}

UiSettings::UiSettings()
    : m_settings(
        std::make_unique<QSettings>(QStringLiteral("RateScope"), QStringLiteral("RateScope")))
{
}

UiSettings::UiSettings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
}

UiSettings::~UiSettings() = default;

std::optional<LimitSpec> UiSettings::limit() const
{
    // "chart/limit" holds --limit's text; older versions kept an integer per minute. A limit
    // nobody set is none (older versions showed 600).
    const QString text = m_settings->contains(QStringLiteral("chart/limit"))
        ? m_settings->value(QStringLiteral("chart/limit")).toString()
        : m_settings->value(QStringLiteral("chart/limitPerMinute"), 0).toString();
    QString error;
    return parseLimitSpec(text, &error); // "", "0" or garbage: none
}

void UiSettings::setLimit(std::optional<LimitSpec> limit)
{
    std::vector<LimitEntry> limits;
    if (limit)
        limits.push_back({ QString(), LimitAxis::Requests, *limit });
    setLimits(limits);
}

std::vector<LimitEntry> UiSettings::limits() const
{
    std::vector<LimitEntry> out;
    if (const std::optional<LimitSpec> every = limit())
        out.push_back({ QString(), LimitAxis::Requests, *every });
    const QStringList scoped
        = m_settings->value(QStringLiteral("chart/scopeLimits")).toStringList();
    for (const QString &text : scoped) {
        QString error;
        if (const auto entry = parseLimitEntry(text, &error);
            entry && (!entry->scope.isEmpty() || entry->axis != LimitAxis::Requests))
            out.push_back(*entry); // an entry this version cannot read is skipped
    }
    return out;
}

void UiSettings::setLimits(const std::vector<LimitEntry> &limits)
{
    QString every = QStringLiteral("0");
    QStringList scoped;
    for (const LimitEntry &e : limits) {
        if (e.scope.isEmpty() && e.axis == LimitAxis::Requests)
            every = limitSpecText(e.spec);
        else
            scoped << limitEntryText(e);
    }
    m_settings->setValue(QStringLiteral("chart/limit"), every);
    m_settings->setValue(QStringLiteral("chart/scopeLimits"), scoped);
}

void UiSettings::setLimitPerMinute(qint64 limit)
{
    LimitSpec spec;
    spec.requests = limit;
    spec.windowS = 60;
    setLimit(limit > 0 ? std::optional<LimitSpec>(spec) : std::nullopt);
}

ThemeMode UiSettings::theme() const
{
    return themeModeFromString(m_settings->value(QStringLiteral("view/theme")).toString());
}

void UiSettings::setTheme(ThemeMode mode)
{
    m_settings->setValue(QStringLiteral("view/theme"), themeModeName(mode));
}

bool UiSettings::utc() const
{
    return m_settings->value(QStringLiteral("view/utc"), true).toBool();
}

void UiSettings::setUtc(bool utc) { m_settings->setValue(QStringLiteral("view/utc"), utc); }

bool UiSettings::requestsAsBars() const
{
    return m_settings->value(QStringLiteral("chart/bars"), false).toBool();
}

void UiSettings::setRequestsAsBars(bool bars)
{
    m_settings->setValue(QStringLiteral("chart/bars"), bars);
}

qint64 UiSettings::fixedBucketMs() const
{
    return m_settings->value(QStringLiteral("chart/fixedBucketMs"), 0).toLongLong();
}

void UiSettings::setFixedBucketMs(qint64 ms)
{
    m_settings->setValue(QStringLiteral("chart/fixedBucketMs"), ms);
}

QStringList UiSettings::recentFiles() const
{
    return m_settings->value(QStringLiteral("files/recent")).toStringList();
}

void UiSettings::addRecentFile(const QString &path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList list = recentFiles();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent)
        list.removeLast();
    m_settings->setValue(QStringLiteral("files/recent"), list);
}

void UiSettings::clearRecentFiles() { m_settings->remove(QStringLiteral("files/recent")); }

QByteArray UiSettings::value(const QString &key) const
{
    return m_settings->value(key).toByteArray();
}

void UiSettings::setValue(const QString &key, const QByteArray &value)
{
    m_settings->setValue(key, value);
}
