#pragma once

// Runs the real `ratescope` binary (tests that see the program as scripts do).

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

struct BinaryRun
{
    int exitCode = -1; // -2: it did not exit normally (a crash)
    QByteArray out;
    QString err;
};

inline BinaryRun runBinary(const QStringList &args, const QByteArray &stdinData = {},
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(RATESCOPE_BINARY), args);
    if (!p.waitForStarted())
        qFatal("cannot start ratescope");
    p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(timeoutMs);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
        QString::fromUtf8(p.readAllStandardError()) };
}

// `ratescope summarize --format FORMAT [-o OUTPUT] INPUT...`: the report is standard output, or
// OUTPUT's contents when one is given (then `fileRead` says whether it could be read, and
// standard output should be empty).
struct ReportRun : BinaryRun
{
    QByteArray report;
    bool fileRead = false;
};

inline ReportRun runSummarizeReport(
    const QString &format, const QString &output, const QStringList &inputs)
{
    QStringList args { QStringLiteral("summarize"), QStringLiteral("--format"), format };
    if (!output.isEmpty())
        args << QStringLiteral("-o") << output;
    ReportRun r { runBinary(args + inputs), {}, false };
    if (output.isEmpty()) {
        r.report = r.out;
    } else {
        QFile f(output);
        r.fileRead = f.open(QIODevice::ReadOnly);
        r.report = f.readAll();
    }
    return r;
}
