#pragma once

// The window's password prompt for a table (issue 21): a small dialog that names the table,
// says why the server refused (its words, no password in them) and reads the password
// hidden. What is typed is handed to the caller and kept nowhere else (no settings, no log).

#include "enginechartfeed.h"

class QWidget;

// A PasswordPrompt showing the dialog over `parent`.
PasswordPrompt passwordDialog(QWidget *parent);
