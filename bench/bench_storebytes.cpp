// bench_storebytes: the store's bytes per event on a simulated LLM log (issue 18: a 1M-record
// log with usage fields and three scopes takes <= 56 bytes per event).
//
//   bench_storebytes [--records N]
//
// Simulates N records twice with seed 1 into a temporary NDJSON file and loads each with the
// summarize loader (built-in rules) into an EventStore, then prints EventStore::bytesUsed() /
// size():
// - baseline: bench_summarize's file (default traffic options: Scalekit tool calls with a few
//   Skytells predictions, no usage fields);
// - LLM: the bundled demo's traffic model (--rpm 320 --limit 600 --openai-rpm 200): Scalekit,
//   Skytells and OpenAI chat completions with `usage` (the token columns exist).
// Exit status: 0 the LLM log is within the target, 1 it is not or a step failed, 2 usage.
#include "aggregate/scopes.h"
#include "rules/ruleset.h"
#include "sim/simulationwriter.h"
#include "sim/simulator.h"
#include "sources/loader.h"
#include "store/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

namespace {

constexpr double kTargetBytesPerEvent = 56.0;

struct Measured
{
    std::size_t events = 0;
    std::size_t bytes = 0;
    std::size_t withTokens = 0;
    std::size_t scopes = 0;
    bool ok = false;
};

Measured measure(const SimulatorOptions &opts, const QString &file, QTextStream &out)
{
    Measured m;
    QElapsedTimer timer;
    timer.start();
    TrafficSimulator sim(opts);
    SimulationWriteResult res;
    QString error;
    if (!writeSimulation(sim, file, &res, &error)) {
        QTextStream(stderr) << "bench_storebytes: " << error << "\n";
        return m;
    }
    out << "  simulated " << res.records << " records (" << QString::number(res.bytes / 1e6, 'f', 1)
        << " MB) in " << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s" << Qt::endl;
    const RuleSet rules = RuleSet::builtIn();
    EventStore store;
    Loader loader(store, rules);
    timer.restart();
    loader.load(file);
    QFile::remove(file);
    m.events = store.size();
    m.bytes = store.bytesUsed();
    for (std::size_t i = 0; i < store.size(); ++i) {
        if (store.totalTokens(i) > 0)
            ++m.withTokens;
    }
    m.scopes = ScopeIndex::build(store, ScopeBy::Host).size(); // after bytesUsed()
    m.ok = m.events == res.records;
    out << "  loaded " << m.events << " events in "
        << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s; " << m.withTokens
        << " with tokens; " << m.scopes << " scopes; store "
        << QString::number(m.bytes / 1e6, 'f', 1) << " MB = "
        << QString::number(double(m.bytes) / double(qMax<std::size_t>(1, m.events)), 'f', 1)
        << " bytes/event" << Qt::endl;
    if (!m.ok)
        QTextStream(stderr) << "bench_storebytes: loaded " << m.events << " of " << res.records
                            << " records\n";
    return m;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_storebytes"));
    QTextStream out(stdout);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The store's bytes per event on simulated logs, with and without LLM "
                       "usage fields."));
    parser.addHelpOption();
    const QCommandLineOption recordsOpt(QStringLiteral("records"),
        QStringLiteral("Records to simulate (default 1000000)."), QStringLiteral("N"),
        QStringLiteral("1000000"));
    parser.addOption(recordsOpt);
    parser.process(app);
    bool ok = false;
    const qint64 records = parser.value(recordsOpt).toLongLong(&ok);
    if (!ok || records < 1) {
        QTextStream(stderr) << "bench_storebytes: --records needs a positive integer\n";
        return 2;
    }
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return 1;
    const QString file = scratch.filePath(QStringLiteral("bench.ndjson"));

    SimulatorOptions baseline;
    baseline.seed = 1;
    baseline.records = records;
    out << "baseline (bench_summarize's file: Scalekit + Skytells, no usage):" << Qt::endl;
    const Measured base = measure(baseline, file, out);

    SimulatorOptions llm = baseline;
    llm.meanRpm = 320;
    llm.limitRpm = 600;
    llm.openaiRpm = 200;
    out << "LLM log (the demo's model: Scalekit + Skytells + OpenAI with usage):" << Qt::endl;
    const Measured withTokens = measure(llm, file, out);
    if (!base.ok || !withTokens.ok)
        return 1;

    const double perEvent = double(withTokens.bytes) / double(withTokens.events);
    const bool pass
        = withTokens.withTokens > 0 && withTokens.scopes == 3 && perEvent <= kTargetBytesPerEvent;
    out << (pass ? "PASS" : "FAIL") << ": " << QString::number(perEvent, 'f', 1)
        << " bytes/event with usage fields (target <= " << kTargetBytesPerEvent << "; baseline "
        << QString::number(double(base.bytes) / double(base.events), 'f', 1) << ")" << Qt::endl;
    return pass ? 0 : 1;
}
