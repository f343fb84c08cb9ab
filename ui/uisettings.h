#pragma once

#include "export/summary.h"
#include "theme.h"

#include <QByteArray>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QSettings;

// Everything the window remembers between runs (QSettings lives in ui/ only). Screenshot
// runs and tests pass a settings file of their own so the user's state is never touched.
class UiSettings
{
public:
    UiSettings(); // the user's settings (organisation RateScope, application RateScope)
    explicit UiSettings(const QString &iniPath);
    ~UiSettings();

    // The configured limits, remembered per API scope in --limit's grammar ("api.x.com:600",
    // "100/10s"), with the one for every scope without its own.
    std::vector<LimitEntry> limits() const;
    void setLimits(const std::vector<LimitEntry> &limits);
    // The limit for every scope without its own (nullopt: none). Setting it forgets the
    // scopes' own limits.
    std::optional<LimitSpec> limit() const;
    void setLimit(std::optional<LimitSpec> limit);
    void setLimitPerMinute(qint64 limit); // N/60s; 0: none
    ThemeMode theme() const;
    void setTheme(ThemeMode mode);
    bool requestsAsBars() const;
    void setRequestsAsBars(bool bars);
    bool utc() const;
    void setUtc(bool utc);
    qint64 fixedBucketMs() const;
    void setFixedBucketMs(qint64 ms);
    QStringList recentFiles() const;
    void addRecentFile(const QString &path);
    void clearRecentFiles();
    QByteArray value(const QString &key) const;
    void setValue(const QString &key, const QByteArray &value);

private:
    std::unique_ptr<QSettings> m_settings;
};
