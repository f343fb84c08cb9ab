#pragma once

// Helpers shared by the core tests (header-only; each test is its own executable).

#include "base/limitspec.h"
#include "incidents/incidentfinder.h"
#include "io/bytesource.h"
#include "rules/ruleset.h"
#include "sim/simulator.h"
#include "sources/loader.h"
#include "store/eventstore.h"

#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPointF>
#include <QString>
#include <QUrl>
#include <QtTest>

#include <map>
#include <memory>
#include <utility>
#include <vector>

inline QString fixture(const QString &name)
{
    return QStringLiteral(RATESCOPE_FIXTURE_DIR "/") + name;
}

// One NDJSON log of every real gateway response of tests/fixtures/gateways/ (a record per
// file, one per second), in cases.json's order.
inline QByteArray gatewayCasesLog()
{
    QFile list(fixture(QStringLiteral("gateways/cases.json")));
    if (!list.open(QIODevice::ReadOnly))
        qFatal("missing gateways/cases.json");
    QByteArray log;
    for (const QJsonValue &v : QJsonDocument::fromJson(list.readAll()).array()) {
        QFile f(fixture(QStringLiteral("gateways/") + v[QStringLiteral("file")].toString()));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing gateway fixture");
        log += f.readAll().trimmed() + '\n';
    }
    return log;
}

inline QString writeFile(const QDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// The simulator's traffic for `options` as an NDJSON file `name` in dir.
inline QString simulatedFile(const QDir &dir, const QString &name, const SimulatorOptions &options)
{
    TrafficSimulator sim(options);
    QByteArray text;
    SimRecord r;
    while (sim.next(r)) {
        text.append(r.line.data(), qsizetype(r.line.size()));
        text.append('\n');
    }
    return writeFile(dir, name, text);
}

// The fenced code block that follows the line `<!-- example: NAME -->` in a document of the
// source tree (README.md, docs/…): the worked examples the tests run as written. Fails the
// test (qFatal) when the marker or its block is missing.
inline QByteArray documentedExample(const QString &document, const QByteArray &name)
{
    QFile f(QStringLiteral(RATESCOPE_SOURCE_DIR "/") + document);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(document));
    const QByteArray text = f.readAll();
    const QByteArray marker = "<!-- example: " + name + " -->";
    const qsizetype at = text.indexOf(marker);
    const qsizetype open = at < 0 ? -1 : text.indexOf("```", at + marker.size());
    const qsizetype body = open < 0 ? -1 : text.indexOf('\n', open);
    const qsizetype close = body < 0 ? -1 : text.indexOf("\n```", body);
    if (close < 0)
        qFatal("%s: no code block after %s", qPrintable(document), marker.constData());
    return text.mid(body + 1, close - body);
}

// Everything one load produced.
struct Loaded
{
    std::unique_ptr<EventStore> store = std::make_unique<EventStore>();
    std::vector<InputReport> reports;
};

// The smallest request limit any response of the store reported, whatever its window; -1: none.
inline int smallestReportedLimit(const EventStore &store)
{
    int smallest = -1;
    for (std::size_t i = 0; i < store.size(); ++i) {
        if (store.serverLimit(i) > 0 && (smallest < 0 || store.serverLimit(i) < smallest))
            smallest = store.serverLimit(i);
    }
    return smallest;
}

// The whole text of a file as RateScope reads it (gzip inflated); *error says why not.
inline QByteArray readInflated(const QString &path, QString *error)
{
    QByteArray text;
    auto source = ByteSource::open(path, error);
    if (!source)
        return text;
    char buf[1 << 16];
    for (std::int64_t n; (n = source->read(buf, sizeof buf)) > 0;)
        text.append(buf, n);
    return text;
}

// A --limit entry the test writes itself: a typo stops the test.
// The records of a gzip-compressed NDJSON log whose url's host is `host`, with their
// timestamps in ms, read with QJsonDocument (a reading independent of RateScope's decoder).
inline std::vector<std::pair<qint64, QJsonObject>> recordsOfHost(
    const QString &path, const QString &host)
{
    std::vector<std::pair<qint64, QJsonObject>> out;
    QString error;
    const QByteArray text = readInflated(path, &error);
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (QUrl(o.value(QLatin1String("url")).toString()).host() != host)
            continue;
        out.emplace_back(
            QDateTime::fromString(o.value(QLatin1String("timestamp")).toString(), Qt::ISODateWithMs)
                .toMSecsSinceEpoch(),
            o);
    }
    return out;
}

inline LimitEntry limitEntry(const char *text)
{
    QString error;
    const auto e = parseLimitEntry(QString::fromLatin1(text), &error);
    if (!e)
        qFatal("%s", qPrintable(error));
    return *e;
}

// A chart's step series ((start, v), (end, v) pairs; equal neighbours merged) read back per
// bucket: the height over [t, t + bucket), keyed by t. Empty when it is not a step series.
inline std::map<qint64, double> steps(const QList<QPointF> &points, qint64 bucketMs)
{
    std::map<qint64, double> out;
    for (qsizetype i = 0; i + 1 < points.size(); i += 2) {
        const QPointF a = points[i], b = points[i + 1];
        if (a.y() != b.y())
            return {};
        for (qint64 t = qint64(a.x()); t < qint64(b.x()); t += bucketMs)
            out[t] = a.y();
    }
    return out;
}

inline Loaded loadFiles(const QStringList &paths, LoadOptions options = {})
{
    static const RuleSet rules = RuleSet::builtIn();
    Loaded out;
    Loader loader(*out.store, rules, std::move(options));
    for (const QString &p : paths)
        out.reports.push_back(loader.load(p));
    return out;
}

inline int countSource(const EventStore &store, RejectionSource s)
{
    int n = 0;
    for (std::size_t i = 0; i < store.size(); ++i)
        n += store.source(i) == s;
    return n;
}

// Every field of event i (its origin's line and byte offset, not the file's path) as one line
// of text: events of two stores compared field by field.
inline QString eventFields(const EventStore &s, std::size_t i)
{
    const auto text
        = [](std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); };
    const ReportedTokenLimits &t = s.reportedTokens(i);
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
               .arg(s.timeMs(i))
               .arg(s.status(i))
               .arg(int(s.source(i)))
               .arg(s.flags(i))
               .arg(text(s.method(i)), text(s.endpoint(i)), text(s.tool(i)), text(s.provider(i)),
                   text(s.client(i)))
        + QStringLiteral(" | %1 %2 %3 %4 %5 %6 %7 %8 %9")
              .arg(text(s.model(i)), text(s.message(i)), text(s.errorCode(i)))
              .arg(int(s.category(i)))
              .arg(text(s.categoryRule(i)), text(s.gatewayRule(i)))
              .arg(s.retryAfterMs(i))
              .arg(s.serverLimit(i))
              .arg(s.serverWindowS(i))
        + QStringLiteral(" | %1 %2 %3 %4 %5 %6 %7 %8 %9")
              .arg(double(s.durationMs(i)))
              .arg(s.inputTokens(i))
              .arg(s.outputTokens(i))
              .arg(s.totalTokens(i))
              .arg(t.limit[0])
              .arg(t.limit[1])
              .arg(t.limit[2])
              .arg(s.line(i))
              .arg(s.offset(i));
}

// An incident's figures on one line (scope, start..end, requests, rejections by source, peak,
// top tools and providers), for comparing the incidents of two paths.
inline QString incidentText(const Incident &in)
{
    QStringList tops;
    for (const auto *list : { &in.topTools, &in.topProviders }) {
        for (const NamedCount &t : *list)
            tops << QStringLiteral("%1=%2").arg(QString::fromStdString(t.name)).arg(t.count);
        tops << QStringLiteral(";");
    }
    return QStringLiteral("%1 %2..%3 requests %4 rejected %5/%6/%7 peak %8 tops %9")
        .arg(QString::fromStdString(in.scope))
        .arg(in.startMs)
        .arg(in.endMs)
        .arg(in.requests)
        .arg(in.rejected[0])
        .arg(in.rejected[1])
        .arg(in.rejected[2])
        .arg(in.peakRpm)
        .arg(tops.join(QLatin1Char(',')));
}
