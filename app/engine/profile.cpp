#include "engine/profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

// "metadata.error_information.error_code" → column "metadata", path [error_information,
// error_code]. A column name holds no dot (quote-free identifiers only).
FieldSource sourceFromText(const QString &text)
{
    FieldSource s;
    QStringList parts = text.split(QLatin1Char('.'));
    s.column = parts.takeFirst();
    s.path = parts;
    return s;
}

QStringList formatColumns(const QString &format)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{([^{}]+)\\}"));
    QStringList out;
    for (auto it = placeholder.globalMatch(format); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool readSource(const QJsonValue &v, const QString &where, FieldSource &out, QString *error)
{
    if (v.isString()) {
        out = sourceFromText(v.toString());
        if (out.column.isEmpty())
            return fail(error, QStringLiteral("%1: empty column name").arg(where));
        return true;
    }
    if (!v.isObject())
        return fail(error, QStringLiteral("%1: expected a column name or an object").arg(where));
    const QJsonObject o = v.toObject();
    static const QStringList known { QStringLiteral("column"), QStringLiteral("path"),
        QStringLiteral("format"), QStringLiteral("value"), QStringLiteral("map"),
        QStringLiteral("pattern") };
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(error, QStringLiteral("%1.%2: unknown key").arg(where, it.key()));
    }
    out.column = o.value(QStringLiteral("column")).toString();
    if (o.contains(QStringLiteral("path"))) {
        const QString path = o.value(QStringLiteral("path")).toString();
        if (path.isEmpty())
            return fail(error, QStringLiteral("%1.path: expected a.b.c").arg(where));
        out.path = path.split(QLatin1Char('.'));
    }
    out.format = o.value(QStringLiteral("format")).toString();
    if (o.contains(QStringLiteral("value")))
        out.value = o.value(QStringLiteral("value"));
    const int kinds = int(!out.column.isEmpty()) + int(!out.format.isEmpty())
        + int(o.contains(QStringLiteral("value")));
    if (kinds != 1)
        return fail(
            error, QStringLiteral("%1: give exactly one of column, format and value").arg(where));
    if (!out.format.isEmpty() && formatColumns(out.format).isEmpty())
        return fail(error, QStringLiteral("%1.format: names no {COLUMN}").arg(where));
    if (o.contains(QStringLiteral("map"))) {
        const QJsonValue m = o.value(QStringLiteral("map"));
        if (!m.isObject())
            return fail(error, QStringLiteral("%1.map: expected an object").arg(where));
        const QJsonObject mo = m.toObject();
        for (auto it = mo.begin(); it != mo.end(); ++it)
            out.map.insert(it.key(), it.value());
    }
    if (o.contains(QStringLiteral("pattern"))) {
        out.pattern = o.value(QStringLiteral("pattern")).toString();
        if (!QRegularExpression(out.pattern).isValid())
            return fail(error, QStringLiteral("%1.pattern: invalid regular expression").arg(where));
    }
    return true;
}

} // namespace

QStringList FieldSource::columns() const
{
    if (!column.isEmpty())
        return { column };
    if (!format.isEmpty())
        return formatColumns(format);
    return {};
}

QStringList profileFieldNames()
{
    return { QStringLiteral("time"), QStringLiteral("end_time"), QStringLiteral("id"),
        QStringLiteral("status"), QStringLiteral("url"), QStringLiteral("host"),
        QStringLiteral("method"), QStringLiteral("error_code"), QStringLiteral("error_message"),
        QStringLiteral("error_type"), QStringLiteral("tool"), QStringLiteral("provider"),
        QStringLiteral("client"), QStringLiteral("model"), QStringLiteral("input_tokens"),
        QStringLiteral("output_tokens"), QStringLiteral("total_tokens"),
        QStringLiteral("duration_ms") };
}

QStringList pushedEventColumns()
{
    return { QStringLiteral("id"), QStringLiteral("time"), QStringLiteral("status"),
        QStringLiteral("source"), QStringLiteral("flags"), QStringLiteral("method"),
        QStringLiteral("scope"), QStringLiteral("endpoint"), QStringLiteral("tool"),
        QStringLiteral("provider"), QStringLiteral("client"), QStringLiteral("model"),
        QStringLiteral("message"), QStringLiteral("error_code"), QStringLiteral("category"),
        QStringLiteral("category_rule"), QStringLiteral("gateway_rule"),
        QStringLiteral("retry_after_ms"), QStringLiteral("server_limit"),
        QStringLiteral("server_window_s"), QStringLiteral("duration_ms"),
        QStringLiteral("input_tokens"), QStringLiteral("output_tokens"),
        QStringLiteral("total_tokens"), QStringLiteral("reported_tokens") };
}

QStringList Profile::columns() const
{
    if (rows == Rows::Events)
        return pushedEventColumns();
    QStringList out;
    for (const QString &field : profileFieldNames()) {
        for (const FieldSource &s : fields.value(field)) {
            for (const QString &c : s.columns()) {
                if (!out.contains(c))
                    out << c;
            }
        }
    }
    return out;
}

namespace {
QString plainColumn(const Profile &p, const QString &field)
{
    if (p.rows == Profile::Rows::Events)
        return field;
    const std::vector<FieldSource> &s = p.fields.value(field);
    if (s.size() != 1 || s[0].column.isEmpty() || !s[0].path.isEmpty() || !s[0].map.isEmpty()
        || !s[0].pattern.isEmpty())
        return {};
    return s[0].column;
}
} // namespace

QString Profile::timeColumn() const { return plainColumn(*this, QStringLiteral("time")); }

QString Profile::idColumn() const { return plainColumn(*this, QStringLiteral("id")); }

bool Profile::bindTo(const QStringList &tableColumns, QString *error)
{
    if (rows == Rows::Events) {
        for (const QString &c : pushedEventColumns()) {
            if (!tableColumns.contains(c))
                return fail(error,
                    QStringLiteral("the table lacks the column \"%1\" of a table `ratescope "
                                   "push` writes (profile %2)")
                        .arg(c, name));
        }
        return true;
    }
    const std::vector<FieldSource> timeSources = fields.value(QStringLiteral("time"));
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        std::vector<FieldSource> kept;
        for (const FieldSource &s : it.value()) {
            bool all = true;
            for (const QString &c : s.columns())
                all = all && tableColumns.contains(c);
            if (all)
                kept.push_back(s);
        }
        it.value() = std::move(kept);
    }
    if (fields.value(QStringLiteral("time")).empty()) {
        QStringList wanted;
        for (const FieldSource &s : timeSources)
            wanted << s.columns();
        return fail(error,
            QStringLiteral("the table has no time column \"%1\" (profile %2; its columns: %3)")
                .arg(wanted.join(QStringLiteral("\", \"")), name,
                    tableColumns.join(QStringLiteral(", "))));
    }
    return true;
}

QStringList builtInProfiles()
{
    QStringList names;
    for (const QFileInfo &fi :
        QDir(QStringLiteral(":/profiles")).entryInfoList({ QStringLiteral("*.json") }, QDir::Files))
        names << fi.completeBaseName();
    names.sort();
    return names;
}

std::optional<Profile> profileFromJson(
    const QByteArray &json, const QString &origin, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1: not a JSON object (%2 at byte %3)")
                         .arg(origin, pe.errorString())
                         .arg(pe.offset);
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    static const QStringList known { QStringLiteral("name"), QStringLiteral("engine"),
        QStringLiteral("table"), QStringLiteral("description"), QStringLiteral("seen_in"),
        QStringLiteral("rows"), QStringLiteral("fields") };
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key())) {
            fail(error, QStringLiteral("%1: %2: unknown key").arg(origin, it.key()));
            return std::nullopt;
        }
    }
    Profile p;
    p.name = o.value(QStringLiteral("name")).toString();
    p.engine = o.value(QStringLiteral("engine")).toString(QStringLiteral("any"));
    p.table = o.value(QStringLiteral("table")).toString();
    p.description = o.value(QStringLiteral("description")).toString();
    p.seenIn = o.value(QStringLiteral("seen_in")).toString();
    const QString rows = o.value(QStringLiteral("rows")).toString(QStringLiteral("records"));
    if (p.name.isEmpty()) {
        fail(error, QStringLiteral("%1: name: missing").arg(origin));
        return std::nullopt;
    }
    if (rows == QLatin1String("events")) {
        p.rows = Profile::Rows::Events;
        if (o.contains(QStringLiteral("fields"))) {
            fail(error,
                QStringLiteral("%1: fields: an events profile reads the columns push writes")
                    .arg(origin));
            return std::nullopt;
        }
        return p;
    }
    if (rows != QLatin1String("records")) {
        fail(error, QStringLiteral("%1: rows: expected records or events").arg(origin));
        return std::nullopt;
    }
    const QJsonObject fields = o.value(QStringLiteral("fields")).toObject();
    const QStringList names = profileFieldNames();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString where = QStringLiteral("%1: fields.%2").arg(origin, it.key());
        if (!names.contains(it.key())) {
            fail(error,
                QStringLiteral("%1: unknown field (known: %2)")
                    .arg(where, names.join(QStringLiteral(", "))));
            return std::nullopt;
        }
        std::vector<FieldSource> sources;
        const QJsonArray list
            = it.value().isArray() ? it.value().toArray() : QJsonArray { it.value() };
        for (int i = 0; i < list.size(); ++i) {
            FieldSource s;
            if (!readSource(list[i],
                    it.value().isArray() ? QStringLiteral("%1[%2]").arg(where).arg(i) : where, s,
                    error))
                return std::nullopt;
            sources.push_back(std::move(s));
        }
        p.fields.insert(it.key(), std::move(sources));
    }
    if (p.fields.value(QStringLiteral("time")).empty()) {
        fail(error,
            QStringLiteral("%1: fields.time: missing (every request has a time)").arg(origin));
        return std::nullopt;
    }
    return p;
}

std::optional<Profile> loadProfile(const QString &nameOrPath, QString *error)
{
    const bool isPath = nameOrPath.contains(QLatin1Char('/'))
        || nameOrPath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    QFile f(isPath ? nameOrPath : QStringLiteral(":/profiles/%1.json").arg(nameOrPath));
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = isPath ? QStringLiteral("%1: %2").arg(nameOrPath, f.errorString())
                            : QStringLiteral("unknown profile \"%1\" (built in: %2)")
                                  .arg(nameOrPath, builtInProfiles().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return profileFromJson(f.readAll(), isPath ? nameOrPath : nameOrPath, error);
}

Profile profileFromMap(const QMap<QString, QString> &map)
{
    Profile p;
    p.name = QStringLiteral("--map");
    for (auto it = map.begin(); it != map.end(); ++it)
        p.fields.insert(it.key(), { sourceFromText(it.value()) });
    return p;
}
