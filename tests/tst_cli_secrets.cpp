// End to end: a HAR and an NDJSON log seeded with 30 secrets in every shape
// (headers, cookies, query parameters, form bodies, JSON keys, free text, `Name: value` text)
// leave none in any report the real `ratescope summarize` writes, nor in the event table,
// the incidents table, the detail pane or the table's clipboard copy.
#include "export/redactor.h"
#include "model/eventdetail.h"
#include "model/eventtablemodel.h"
#include "model/filteredview.h"
#include "model/incidentmodel.h"
#include "model/tablecopy.h"
#include "runbinary.h"
#include "store/rawrecordreader.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace {

// tests/fixtures/secrets/PROVENANCE.md
const char *const kSecrets[] = {
    "sec01-urlpass-Hd8",
    "sec02-query-Zp4",
    "sec03-bearer-Qm2x",
    "sec04-xapikey-Lw9",
    "sec05-cookiehdr-Rt6",
    "sec06-harcookie-Vb3",
    "sec07-jsonbody-Jn5",
    "sec08-setcookie-Ku7",
    "sec09-respcookie-Ga2",
    "sec10-freetext-Pq8",
    "sec11-freetext-Xs3",
    "sec12-freetext-Mc6",
    "sec13-jsonkey-Tf4",
    "sec14-query-Nd2",
    "sec15-form-Jw5",
    "sec16-formparam-Ye1",
    "sec17-cookietext-Bw5",
    "sec18-cookietext-Hy9",
    "sec19-nametext-Ur1",
    "sec20-ndquery-Wc4",
    "sec21-toolhdr-Fa8",
    "sec22-provhdr-Ke2",
    "sec23-client-Op7",
    "sec24-ndhdr-Uy6",
    "sec25-ndcookie-Ii8",
    "sec26-msgcookie-Dj3",
    "sec27-ndjsonkey-Lz5",
    "sec28-said-Qa1",
    "sec29-setck-Rf4",
    "sec30 quoted Tg5",
};
constexpr int kSecretCount = int(sizeof(kSecrets) / sizeof(kSecrets[0]));

QStringList inputs()
{
    return { fixture(QStringLiteral("secrets/secrets30.har")),
        fixture(QStringLiteral("secrets/secrets30.ndjson")) };
}

// The secrets found in text, also with its white space removed (a PDF's text may break a
// line inside one).
QStringList leaks(const QString &text)
{
    QString squeezed = text;
    squeezed.remove(QRegularExpression(QStringLiteral("\\s")));
    QStringList found;
    for (const char *s : kSecrets) {
        const QString secret = QString::fromUtf8(s);
        if (text.contains(secret) || squeezed.contains(QString(secret).remove(QLatin1Char(' '))))
            found << secret;
    }
    return found;
}

} // namespace

class TestCliSecrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theFixturesHoldEverySecret();
    void noSecretInAnyReport_data();
    void noSecretInAnyReport();
    void noSecretInTheTablesOrTheirCopy();
    void noSecretInTheDetailPane();
};

void TestCliSecrets::theFixturesHoldEverySecret()
{
    QString all;
    for (const QString &path : inputs()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        all += QString::fromUtf8(f.readAll());
    }
    QCOMPARE(leaks(all).size(), kSecretCount); // 30 seeded
}

void TestCliSecrets::noSecretInAnyReport_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("file"); // empty: standard output
    QTest::addRow("json on stdout") << "json" << QString();
    QTest::addRow("md on stdout") << "md" << QString();
    QTest::addRow("csv on stdout") << "csv" << QString();
    QTest::addRow("json to a file") << "json"
                                    << "r.json";
    QTest::addRow("md to a file") << "md"
                                  << "r.md";
    QTest::addRow("html to a file") << "html"
                                    << "r.html";
    QTest::addRow("csv to a file") << "csv"
                                   << "r.csv";
    QTest::addRow("pdf to a file") << "pdf"
                                   << "r.pdf";
}

void TestCliSecrets::noSecretInAnyReport()
{
    QFETCH(QString, format);
    QFETCH(QString, file);
    QTemporaryDir dir;
    const ReportRun r
        = runSummarizeReport(format, file.isEmpty() ? QString() : dir.filePath(file), inputs());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(leaks(r.err).isEmpty(), qPrintable(r.err));
    if (!file.isEmpty()) {
        QVERIFY(r.out.isEmpty());
        QVERIFY(r.fileRead);
    }
    const QByteArray &report = r.report;
    QString text = QString::fromUtf8(report);
    if (format == QLatin1String("pdf")) {
        QVERIFY(report.startsWith("%PDF-"));
        // the PDF's text is compressed: read it back as text
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read");
        QProcess p;
        p.start(pdftotext, { dir.filePath(file), QStringLiteral("-") });
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        text = QString::fromUtf8(p.readAllStandardOutput());
    }
    const QStringList leaked = leaks(text);
    QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(QLatin1String(", "))));
    if (format == QLatin1String("json")) { // the report is about the seeded records
        const QJsonObject j = QJsonDocument::fromJson(report).object();
        QCOMPARE(j.value(QStringLiteral("requests")).toInt(), 6);
        QVERIFY(text.contains(QLatin1String("upstream said: access_token=[REDACTED]")));
    }
    if (format != QLatin1String("csv"))
        QVERIFY(text.contains(QLatin1String("[REDACTED]")));
}

void TestCliSecrets::noSecretInTheTablesOrTheirCopy()
{
    Loaded l = loadFiles(inputs());
    QCOMPARE(int(l.store->size()), 6);
    std::shared_ptr<const EventStore> store(std::move(l.store));
    EventTableModel events;
    QAbstractItemModelTester eventTester(&events);
    IncidentModel incidents;
    QAbstractItemModelTester incidentTester(&incidents);
    const auto view = buildFilteredView(store, FilterState {}, 5, 1, {});
    events.setView(view);
    incidents.setView(view);
    QCOMPARE(events.rowCount(), 6);
    QVERIFY(incidents.rowCount() > 0);
    for (const QAbstractItemModel *model : { static_cast<const QAbstractItemModel *>(&events),
             static_cast<const QAbstractItemModel *>(&incidents) }) {
        QString cells;
        QModelIndexList all;
        for (int row = 0; row < model->rowCount(); ++row) {
            for (int column = 0; column < model->columnCount(); ++column) {
                const QModelIndex index = model->index(row, column);
                all << index;
                for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole) })
                    cells += model->data(index, role).toString() + QLatin1Char('\n');
            }
        }
        QVERIFY2(leaks(cells).isEmpty(), qPrintable(leaks(cells).join(QLatin1String(", "))));
        QVERIFY(cells.contains(QLatin1String("[REDACTED]")));
        // what Ctrl+C puts on the clipboard
        const QString copied = tableCopyText(*model, all);
        QVERIFY2(leaks(copied).isEmpty(), qPrintable(leaks(copied).join(QLatin1String(", "))));
        QCOMPARE(copied.count(QLatin1Char('\n')), model->rowCount() - 1);
    }
    // the message column is there, redacted, not dropped
    QString messages;
    for (int row = 0; row < events.rowCount(); ++row)
        messages += events.index(row, EventTableModel::MessageColumn).data().toString();
    QVERIFY2(messages.contains(QLatin1String("upstream said: access_token=[REDACTED]")),
        qPrintable(messages));
}

void TestCliSecrets::noSecretInTheDetailPane()
{
    Loaded l = loadFiles(inputs());
    const RuleSet rules = RuleSet::builtIn();
    const Redactor redactor = Redactor::builtIn();
    for (std::size_t e = 0; e < l.store->size(); ++e) {
        EventDetailInfo info = describeEvent(*l.store, e, rules);
        redactInputText(info, redactor); // what DetailLoader shows at once
        QString error;
        const QByteArray raw = RawRecordReader::read(*l.store, e, &error);
        QVERIFY2(!raw.isEmpty(), qPrintable(error));
        attachRawRecord(info, raw, redactor); // then with the raw record
        const QString shown = QStringList { info.message, info.errorCode, info.tool, info.provider,
            info.connection, info.method, info.endpoint, info.file, info.raw }
                                  .join(QLatin1Char('\n'));
        QVERIFY2(leaks(shown).isEmpty(), qPrintable(shown));
    }
}

QTEST_GUILESS_MAIN(TestCliSecrets)
#include "tst_cli_secrets.moc"
