#pragma once

#include "export/redactor.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

// A skipped line of an input, read back for the Problems panel: the file is read from its
// start up to the line (inflated when .gz), so in a worker; only the newest request is
// delivered. The text goes through the built-in Redactor, as the detail pane's raw record.
struct RawLine
{
    QString path;
    quint64 line = 0;
    QString text; // redacted; empty with an error
    bool cut = false; // longer than RawRecordReader::kMaxLineBytes: only its start
    QString error; // why it could not be read (file gone, changed, not a file)
};
Q_DECLARE_METATYPE(RawLine)

class RawLineLoader : public QObject
{
    Q_OBJECT
public:
    explicit RawLineLoader(QObject *parent = nullptr);
    ~RawLineLoader() override;

public Q_SLOTS:
    void request(const QString &path, quint64 line);
    void clear(); // drops what is still being read

Q_SIGNALS:
    void lineReady(const RawLine &line);

private:
    std::shared_ptr<const Redactor> m_redactor;
    quint64 m_generation = 0;
    QThreadPool m_pool; // one thread, below the GUI thread's priority
};
