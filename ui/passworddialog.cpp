#include "passworddialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QVBoxLayout>

PasswordPrompt passwordDialog(QWidget *parent)
{
    return [window = QPointer<QWidget>(parent)](
               const QString &target, QString why) -> std::optional<QString> {
        if (why.startsWith(target + QStringLiteral(": "))) // named once, above it
            why.remove(0, target.size() + 2);
        QDialog dialog(window);
        dialog.setWindowTitle(QDialog::tr("Password for the table"));
        auto *layout = new QVBoxLayout(&dialog);
        auto *label = new QLabel(
            QDialog::tr("<b>%1</b><br><br>%2<br><br>Password (kept for this window only):")
                .arg(target.toHtmlEscaped(), why.toHtmlEscaped()),
            &dialog);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *edit = new QLineEdit(&dialog);
        edit->setObjectName(QStringLiteral("password"));
        edit->setEchoMode(QLineEdit::Password);
        auto *buttons
            = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(label);
        layout->addWidget(edit);
        layout->addWidget(buttons);
        dialog.setMinimumWidth(480);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        QString password = edit->text();
        edit->clear();
        return password;
    };
}
