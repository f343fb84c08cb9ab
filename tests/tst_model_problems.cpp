// The Problems panel's model (widget-free): every "FILE:LINE: reason" the CLI
// prints for real fixtures with bad lines, the duplicates per input, the count of skipped
// lines, and the raw line of a row read back from the file; and the table's and detail's marks
// for a time without a zone and a request without a response.
#include "model/eventdetail.h"
#include "model/eventtablemodel.h"
#include "model/filteredview.h"
#include "model/problemmodel.h"
#include "model/rawlineloader.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

class TestModelProblems : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsWhatSummarizePrints_data();
    void listsWhatSummarizePrints();
    void rawLineOfARow_data();
    void rawLineOfARow();
    void newerRawLineRequestWins();
    void liveRowsAreNotReadBack();
    void flagsAreShown_data();
    void flagsAreShown();

private:
    QTemporaryDir m_dir;
};

void TestModelProblems::listsWhatSummarizePrints_data()
{
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<int>("rows");
    QTest::addColumn<qint64>("skipped");
    QTest::addColumn<qint64>("duplicates");
    QTest::addColumn<QString>("summary");
    const auto f = [](const char *name) { return fixture(QLatin1String(name)); };
    QTest::addRow("gateway mix: a bad line and a duplicate id")
        << QStringList { f("gateway_mix.ndjson") } << 2 << qint64(1) << qint64(1)
        << "1 line skipped, 1 duplicate record";
    QTest::addRow("lines that are not records (8 of them)")
        << QStringList { f("torture/lines-that-are-not-records.ndjson") } << 8 << qint64(8)
        << qint64(0) << "8 lines skipped";
    QTest::addRow("HAR with broken entries")
        << QStringList { f("torture/har-with-broken-entries.har") } << 3 << qint64(3) << qint64(0)
        << "3 lines skipped";
    QTest::addRow("gzip cut in half: the cut line and the read error")
        << QStringList { f("torture/gzip-cut-in-half.ndjson.gz") } << 2 << qint64(1) << qint64(0)
        << "1 line skipped";
    QTest::addRow("two inputs, one not a log (its lines count as skipped)")
        << QStringList { f("torture/last-line-cut-short.ndjson"), f("torture/prose.txt") } << 2
        << qint64(4) << qint64(0) << "4 lines skipped, 1 input not read in 2 inputs";
    QTest::addRow("the same file twice: its bad lines for each") << QStringList {
        f("torture/two-objects-on-one-line.ndjson"), f("torture/two-objects-on-one-line.ndjson")
    } << 4 << qint64(4) << qint64(0) << "4 lines skipped in 2 inputs";
    QTest::addRow("a clean file") << QStringList { f("torture/blank-lines.ndjson") } << 0
                                  << qint64(0) << qint64(0)
                                  << "No problems: every line of every input was read";
}

// The rows are the lines `ratescope summarize` writes on standard error, word for word (the
// real binary), plus one row per input with duplicates.
void TestModelProblems::listsWhatSummarizePrints()
{
    QFETCH(QStringList, inputs);
    QFETCH(int, rows);
    QFETCH(qint64, skipped);
    QFETCH(qint64, duplicates);
    QFETCH(QString, summary);

    ProblemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy said(&model, &ProblemModel::summaryChanged);
    Loaded l = loadFiles(inputs);
    model.setReports(l.reports, true);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.skippedLines(), skipped);
    QCOMPARE(model.duplicates(), duplicates);
    if (!summary.isEmpty())
        QCOMPARE(model.summaryText(), summary);
    QCOMPARE(said.size(), 1);
    QCOMPARE(said.front().front().toString(), model.summaryText());

    QStringList listed, duplicateRows;
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto kind
            = InputProblem::Kind(model.index(r, 0).data(ProblemModel::KindRole).toInt());
        const QString text = model.index(r, 0).data(Qt::ToolTipRole).toString();
        (kind == InputProblem::Kind::Duplicates ? duplicateRows : listed) << text;
        if (kind == InputProblem::Kind::BadRecord)
            QVERIFY(model.index(r, ProblemModel::LineColumn).data().toULongLong() > 0);
    }
    QCOMPARE(duplicateRows.size(), duplicates > 0 ? 1 : 0);

    QProcess p;
    p.start(QStringLiteral(RATESCOPE_BINARY),
        QStringList {
            QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json") }
            + inputs);
    QVERIFY(p.waitForFinished(60000));
    QStringList printed = QString::fromUtf8(p.readAllStandardError()).split(QLatin1Char('\n'));
    printed.removeAll(QString());
    QCOMPARE(listed, printed);

    // the same reports again (a live snapshot with nothing new): no reset
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setReports(l.reports, true);
    QCOMPARE(reset.size(), 0);
}

void TestModelProblems::rawLineOfARow_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("expected"); // the line as it is in the file
    QTest::addRow("NDJSON: a JSON string")
        << "torture/lines-that-are-not-records.ndjson" << 0 << "\"a string\"";
    QTest::addRow("NDJSON: the fourth bad line")
        << "torture/lines-that-are-not-records.ndjson" << 3 << "true";
    QTest::addRow("NDJSON: a last line cut short, no newline")
        << "torture/last-line-cut-short.ndjson" << 0
        << "{\"timestamp\":\"2026-01-05T10:00:04.000Z\",";
    QTest::addRow("HAR: the line an entry without a time starts on")
        << "torture/har-with-broken-entries.har" << 1 << "@HAR";
    QTest::addRow("CRLF line ends are not shown") << "@crlf" << 0 << "{not json";
    QTest::addRow("gzip: the line in the inflated text") << "@gz" << 0 << "{not json";
    QTest::addRow("a secret in the bad line is redacted")
        << "@secret" << 0 << "{broken Authorization: Bearer [REDACTED]";
}

void TestModelProblems::rawLineOfARow()
{
    QFETCH(QString, input);
    QFETCH(int, row);
    QFETCH(QString, expected);
    const QByteArray good = R"({"timestamp":"2026-01-05T10:00:00Z","status":200})";
    QString path = fixture(input);
    if (input == QLatin1String("@crlf"))
        path = writeFile(QDir(m_dir.path()), QStringLiteral("crlf.ndjson"),
            good + "\r\n{not json\r\n" + good + "\r\n");
    else if (input == QLatin1String("@secret"))
        path = writeFile(QDir(m_dir.path()), QStringLiteral("secret.ndjson"),
            good + "\n{broken Authorization: Bearer s3cr3t-t0ken-value\n");
    else if (input == QLatin1String("@gz")) {
        QProcess gz;
        const QString plain = writeFile(QDir(m_dir.path()), QStringLiteral("bad.ndjson"),
            good + "\n" + good + "\n{not json\n" + good + "\n");
        gz.start(QStringLiteral("gzip"), { QStringLiteral("-kf"), plain });
        QVERIFY(gz.waitForFinished(10000) && gz.exitCode() == 0);
        path = plain + QStringLiteral(".gz");
    }
    Loaded l = loadFiles({ path });
    ProblemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setReports(l.reports, true);
    QVERIFY(row < model.rowCount());
    const QModelIndex index = model.index(row, 0);
    QVERIFY(index.data(ProblemModel::CanReadLineRole).toBool());
    if (expected == QLatin1String("@HAR")) { // the entry's first line, whatever it holds
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        expected = QString::fromUtf8(
            lines.at(qsizetype(index.data(ProblemModel::LineRole).toULongLong() - 1)));
    }

    RawLineLoader loader;
    QSignalSpy ready(&loader, &RawLineLoader::lineReady);
    loader.request(index.data(ProblemModel::PathRole).toString(),
        index.data(ProblemModel::LineRole).toULongLong());
    QVERIFY(ready.count() > 0 || ready.wait(10000));
    const RawLine line = ready.front().front().value<RawLine>();
    QCOMPARE(line.error, QString());
    QCOMPARE(line.text, expected);
    QCOMPARE(line.line, index.data(ProblemModel::LineRole).toULongLong());
}

void TestModelProblems::newerRawLineRequestWins()
{
    const QString path = fixture(QStringLiteral("torture/lines-that-are-not-records.ndjson"));
    RawLineLoader loader;
    QSignalSpy ready(&loader, &RawLineLoader::lineReady);
    loader.request(path, 2);
    loader.request(path, 9);
    // the spy may have the signal before wait() runs (style.md: count first)
    QVERIFY(ready.size() > 0 || ready.wait(10000));
    QCOMPARE(ready.size(), 1);
    QCOMPARE(ready.front().front().value<RawLine>().line, quint64(9));
    QCOMPARE(ready.front().front().value<RawLine>().text, QStringLiteral("[{\"status\":200}]"));

    loader.request(m_dir.filePath(QStringLiteral("gone.ndjson")), 1);
    QVERIFY(ready.size() > 1 || ready.wait(10000));
    QVERIFY(!ready.back().front().value<RawLine>().error.isEmpty());
}

void TestModelProblems::liveRowsAreNotReadBack()
{
    InputReport r;
    r.path = QStringLiteral("tcp://127.0.0.1:9099");
    r.addError(2, QStringLiteral("invalid JSON"));
    ProblemModel model;
    model.setReports({ r }, false);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(!model.index(0, 0).data(ProblemModel::CanReadLineRole).toBool());
    QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString(),
        QStringLiteral("tcp://127.0.0.1:9099:2: invalid JSON"));
}

void TestModelProblems::flagsAreShown_data()
{
    QTest::addColumn<int>("line"); // of gateway_mix.ndjson
    QTest::addColumn<QString>("time");
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("noZone");
    QTest::addColumn<bool>("noResponse");
    QTest::addRow("a time without a zone, read as UTC") << 25 << "(no zone)"
                                                        << "529" << true << false;
    QTest::addRow("status 0: no response") << 26 << ""
                                           << "no response" << false << true;
    QTest::addRow("an ordinary record") << 1 << ""
                                        << "" << false << false;
}

void TestModelProblems::flagsAreShown()
{
    QFETCH(int, line);
    QFETCH(QString, time);
    QFETCH(QString, status);
    QFETCH(bool, noZone);
    QFETCH(bool, noResponse);
    Loaded l = loadFiles({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    std::shared_ptr<const EventStore> store(std::move(l.store));
    int event = -1;
    for (std::size_t i = 0; i < store->size(); ++i)
        event = store->line(i) == std::uint32_t(line) ? int(i) : event;
    QVERIFY(event >= 0);

    EventTableModel table;
    QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
    table.setView(buildFilteredView(store, FilterState {}, 5, 0, {}));
    const int row = table.rowOfEvent(event);
    QVERIFY(row >= 0);
    const QString timeCell = table.index(row, EventTableModel::TimeColumn).data().toString();
    const QString statusCell = table.index(row, EventTableModel::StatusColumn).data().toString();
    QCOMPARE(timeCell.endsWith(QLatin1String(" (no zone)")), noZone);
    if (!time.isEmpty())
        QVERIFY2(timeCell.contains(time), qPrintable(timeCell));
    if (!status.isEmpty())
        QCOMPARE(statusCell, status);
    QCOMPARE(table.index(row, EventTableModel::TimeColumn).data(Qt::ToolTipRole).isValid(), noZone);

    const EventDetailInfo info = describeEvent(*store, std::size_t(event), RuleSet::builtIn());
    QCOMPARE(info.timeNoZone, noZone);
    QCOMPARE(info.noResponse, noResponse);
}

QTEST_GUILESS_MAIN(TestModelProblems)
#include "tst_model_problems.moc"
