#pragma once

// Runs the real `ratescope` binary (tests that see the program as scripts do).

#include <QByteArray>
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
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
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
