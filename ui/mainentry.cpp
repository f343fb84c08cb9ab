#include "mainentry.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>

int runGui(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("RateScope"));
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("RateScope"), &window));
    window.resize(1200, 800);
    window.show();
    return app.exec();
}
