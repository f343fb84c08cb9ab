// The portable build's decoders give the same events whichever SIMD kernel simdjson picks at
// start-up. simdjson 3.0's On-Demand parser takes stage 1 (structural indexing, UTF-8
// validation) and string unescaping from simdjson::get_active_implementation(), chosen by CPU
// detection; this test makes each kernel this CPU can run the active one in turn, reads every
// fixture and the demo traffic, and compares each event field by field with the first kernel.
#include "testutil.h"

#include <QDirIterator>

#include <simdjson.h>

namespace {

// Why a line was refused, without simdjson's own reason: for invalid JSON the fallback kernel
// can name another error than the SIMD ones ("invalid UTF-8" against "invalid JSON: bad
// string"), as the kernels check in another order. Which lines are refused must agree.
QString kind(const QString &message) { return message.section(QStringLiteral(" (line"), 0, 0); }

// Every field of every event and every input report, one line each.
QStringList dump(const Loaded &l)
{
    QStringList out;
    const EventStore &s = *l.store;
    for (std::size_t i = 0; i < s.size(); ++i) {
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                    .arg(s.timeMs(i))
                    .arg(s.status(i))
                    .arg(int(s.source(i)))
                    .arg(s.flags(i))
                    .arg(QString::fromStdString(std::string(s.method(i))),
                        QString::fromStdString(std::string(s.endpoint(i))),
                        QString::fromStdString(std::string(s.tool(i))),
                        QString::fromStdString(std::string(s.provider(i))),
                        QString::fromStdString(std::string(s.client(i))))
                + QStringLiteral(" | %1 %2 %3 %4 %5 %6 %7 %8")
                      .arg(s.serverLimit(i))
                      .arg(double(s.durationMs(i)))
                      .arg(s.file(i))
                      .arg(s.line(i))
                      .arg(s.offset(i))
                      .arg(s.retryAfterMs(i))
                      .arg(QString::fromStdString(std::string(s.message(i))),
                          QString::fromStdString(std::string(s.errorCode(i))));
    }
    for (const InputReport &r : l.reports) {
        out << QStringLiteral("input %1 %2 %3 %4 %5 %6")
                   .arg(r.path, r.format)
                   .arg(r.records)
                   .arg(r.skipped)
                   .arg(r.duplicates)
                   .arg(kind(r.fatal));
        for (const LocatedError &e : r.errors)
            out << QStringLiteral("  error at line %1").arg(e.line);
    }
    return out;
}

QStringList inputs()
{
    QStringList files { QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") };
    QDirIterator it(
        QStringLiteral(RATESCOPE_FIXTURE_DIR), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

} // namespace

class TestSimdKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyKernelReadsTheSameEvents()
    {
        const simdjson::implementation *original = simdjson::get_active_implementation();
        QStringList kernels;
        for (const simdjson::implementation *impl : simdjson::get_available_implementations()) {
            if (impl->supported_by_runtime_system())
                kernels << QString::fromStdString(impl->name());
        }
        // fallback runs everywhere; on x86-64 every CPU since 2010 also runs westmere.
        QVERIFY2(kernels.contains(QStringLiteral("fallback")), qPrintable(kernels.join(' ')));
        QVERIFY2(kernels.size() >= 2, qPrintable(kernels.join(' ')));
        qInfo("kernels on this CPU: %s; active at start-up: %s", qPrintable(kernels.join(' ')),
            original->name().c_str());

        const QStringList files = inputs();
        QVERIFY(files.size() > 100);
        QStringList first;
        QString firstName;
        std::size_t events = 0;
        for (const QString &name : kernels) {
            simdjson::get_active_implementation()
                = simdjson::get_available_implementations()[name.toStdString()];
            QCOMPARE(QString::fromStdString(simdjson::get_active_implementation()->name()), name);
            // One file per load, so each file's events are compared apart from the others'
            // duplicates; chunks of 64 KiB so the parallel NDJSON path runs on several chunks.
            QStringList all, from;
            for (const QString &file : files) {
                LoadOptions options;
                options.chunkBytes = 64 << 10;
                const QStringList lines = dump(loadFiles({ file }, options));
                all += lines;
                for (qsizetype i = 0; i < lines.size(); ++i)
                    from << file;
            }
            if (first.isEmpty()) {
                first = all;
                firstName = name;
                events = std::size_t(all.size());
                continue;
            }
            QCOMPARE(all.size(), first.size());
            for (int i = 0; i < all.size(); ++i) {
                if (all[i] != first[i])
                    QFAIL(qPrintable(QStringLiteral("%1 and %2 differ on %3:\n  %4\n  %5")
                                         .arg(firstName, name, from[i], first[i], all[i])));
            }
        }
        simdjson::get_active_implementation() = original;
        QVERIFY(events > 10000); // the demo alone has more
    }
};

QTEST_GUILESS_MAIN(TestSimdKernels)
#include "tst_simdkernels.moc"
