// Help ▸ Keyboard shortcuts is built from the window's own actions, buttons and shortcuts:
// every key sequence the window answers to is listed, as it reports it, next to its text.
#include "charttoolbar.h"
#include "legendbar.h"
#include "mainwindow.h"
#include "model/session.h"
#include "theme.h"
#include "uisettings.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QRegularExpression>
#include <QShortcut>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

namespace {

// The help's rows: each key sequence (as shown) with the text of its row.
QMultiMap<QString, QString> helpRows(const QString &html)
{
    QMultiMap<QString, QString> rows;
    static const QRegularExpression row(QStringLiteral("<tr><td>(.*?)</td><td>(.*?)</td></tr>"));
    for (const QRegularExpressionMatch &m : row.globalMatch(html)) {
        for (const QString &keys : m.captured(1).split(QStringLiteral(" / ")))
            rows.insert(keys, m.captured(2));
    }
    return rows;
}

QString shown(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText).toHtmlEscaped();
}

} // namespace

class TestUiShortcuts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void helpListsEveryAction();
    void helpListsTheLegendAndTableKeys();
    void helpFollowsAChangedShortcut();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<Theme> m_theme;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestUiShortcuts::init()
{
    m_settings = std::make_unique<UiSettings>(m_dir.filePath(QStringLiteral("ui.ini")));
    m_theme = std::make_unique<Theme>(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings, *m_theme);
}

void TestUiShortcuts::cleanup()
{
    m_window.reset();
    m_session.reset();
    m_theme.reset();
    m_settings.reset();
}

void TestUiShortcuts::helpListsEveryAction()
{
    const QMultiMap<QString, QString> rows = helpRows(m_window->shortcutHelp());
    int checked = 0;
    for (const QAction *a : m_window->findChildren<QAction *>()) {
        for (const QKeySequence &keys : a->shortcuts()) {
            const QStringList texts = rows.values(shown(keys));
            const bool listed = std::any_of(texts.begin(), texts.end(),
                [&](const QString &t) { return t.contains(a->iconText().toHtmlEscaped()); });
            QVERIFY2(listed, qPrintable(QStringLiteral("%1 (%2)").arg(shown(keys), a->text())));
            ++checked;
        }
    }
    QVERIFY(checked >= 20); // File, Watch, Export, View and Help have that many
}

void TestUiShortcuts::helpListsTheLegendAndTableKeys()
{
    const QMultiMap<QString, QString> rows = helpRows(m_window->shortcutHelp());
    int buttons = 0;
    for (const QAbstractButton *b : m_window->legend()->findChildren<QAbstractButton *>()) {
        if (b->shortcut().isEmpty())
            continue;
        QVERIFY2(rows.value(shown(b->shortcut())).contains(b->text().toHtmlEscaped()),
            qPrintable(shown(b->shortcut())));
        ++buttons;
    }
    QCOMPARE(buttons, 4); // Ctrl+1 … Ctrl+4
    const QList<QShortcut *> shortcuts = m_window->findChildren<QShortcut *>();
    QVERIFY(!shortcuts.isEmpty()); // Esc in the table
    for (const QShortcut *s : shortcuts)
        QVERIFY2(rows.values(shown(s->key())).contains(s->whatsThis().toHtmlEscaped()),
            qPrintable(shown(s->key())));
}

void TestUiShortcuts::helpFollowsAChangedShortcut()
{
    QAction *utc = m_window->chartToolBar()->utcAction();
    const QString before = shown(utc->shortcut());
    QVERIFY(helpRows(m_window->shortcutHelp()).contains(before));
    utc->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+T")));
    const QMultiMap<QString, QString> rows = helpRows(m_window->shortcutHelp());
    QVERIFY(!rows.contains(before));
    QVERIFY(rows.value(shown(utc->shortcut())).contains(utc->iconText()));
}

QTEST_MAIN(TestUiShortcuts)
#include "tst_ui_shortcuts.moc"
