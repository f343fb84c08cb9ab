#include "model/rawlineloader.h"

#include "model/threadpriority.h"
#include "store/rawrecordreader.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

RawLineLoader::RawLineLoader(QObject *parent)
    : QObject(parent)
    , m_redactor(std::make_shared<const Redactor>(Redactor::builtIn()))
{
    m_pool.setMaxThreadCount(1);
}

RawLineLoader::~RawLineLoader() { m_pool.waitForDone(); }

void RawLineLoader::request(const QString &path, quint64 line)
{
    const quint64 gen = ++m_generation;
    QtConcurrent::run(&m_pool, [path, line, redactor = m_redactor] {
        lowerThreadPriority();
        RawLine out;
        out.path = path;
        out.line = line;
        const QByteArray raw = RawRecordReader::readLine(path, line, &out.error, &out.cut);
        if (out.error.isEmpty())
            out.text = QString::fromStdString(redactor->text(raw.toStdString()));
        return out;
    }).then(this, [this, gen](const RawLine &line) {
        if (gen == m_generation) // a newer request wins
            Q_EMIT lineReady(line);
    });
}

void RawLineLoader::clear() { ++m_generation; }
