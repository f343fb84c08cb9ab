// bench_cassette: peak RSS of `ratescope summarize` reading a big YAML cassette (target:
// a 50 MB cassette stays under 3x its size in RSS). The cassette is vcrpy-shaped, like
// crewAI's: each interaction's response body is a JSON document holding a base64 image,
// deflate-compressed and stored as a `!!binary` block, ~1 MB of YAML per interaction.
//
//   bench_cassette [--mb 50] [--ratescope PATH]
//
// The peak RSS comes from wait4() on the summarize child; a one-interaction cassette gives the
// fixed cost (program, Qt, rules) beside it. Exit status: 0 under 3x, 1 over or a child failed.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace {

QByteArray interaction(int i, QRandomGenerator &rng)
{
    QByteArray image(700 * 1024, '\0');
    for (char &c : image)
        c = char(rng.bounded(256));
    const QByteArray body = "{\"id\":\"resp_" + QByteArray::number(i)
        + "\",\"data\":[{\"b64_json\":\"" + image.toBase64()
        + "\"}],\"usage\":{\"total_tokens\":" + QByteArray::number(1000 + i) + "}}";
    const QByteArray stored = qCompress(body, 6).mid(4).toBase64(); // a zlib stream
    QByteArray out = "- request:\n    body: '{\"model\": \"gpt-image-1\"}'\n    headers:\n      "
                     "content-type:\n"
                     "      - application/json\n    method: POST\n    uri: "
                     "https://api.openai.com/v1/images/generations\n"
                     "  response:\n    body:\n      string: !!binary |\n";
    for (qsizetype p = 0; p < stored.size(); p += 76)
        out += "        " + stored.mid(p, 76) + "\n";
    out += "    headers:\n      Content-Encoding:\n      - deflate\n      Date:\n      - Tue, 02 "
           "Apr 2024 14:"
        + QByteArray::number(10 + i / 60).rightJustified(2, '0') + ":"
        + QByteArray::number(i % 60).rightJustified(2, '0')
        + " GMT\n      x-ratelimit-limit-requests:\n      - '500'\n    status:\n      code: 200\n  "
          "    message: OK\n";
    return out;
}

struct Run
{
    bool ok = false;
    long maxRssKb = 0;
    double seconds = 0;
    double cpuSeconds = 0; // user + system
};

double now()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

Run summarize(const QString &ratescope, const QString &file)
{
    std::vector<std::string> args { ratescope.toStdString(), "summarize", "--format", "json",
        file.toStdString() };
    std::vector<char *> argv;
    for (std::string &s : args)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    Run run;
    pid_t pid = 0;
    const double t0 = now();
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return run;
    rusage usage {};
    int status = 0;
    if (wait4(pid, &status, 0, &usage) != pid)
        return run;
    run.seconds = now() - t0;
    run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    run.maxRssKb = usage.ru_maxrss;
    run.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("mb"), QStringLiteral("Cassette size in MB (default 50)."),
        QStringLiteral("N"), QStringLiteral("50") });
    parser.addOption({ QStringLiteral("ratescope"), QStringLiteral("The program to run."),
        QStringLiteral("PATH"),
        QCoreApplication::applicationDirPath() + QStringLiteral("/ratescope") });
    parser.process(app);
    QTextStream out(stdout);
    const qint64 target = parser.value(QStringLiteral("mb")).toLongLong() * 1000 * 1000;
    const QString ratescope = parser.value(QStringLiteral("ratescope"));

    QTemporaryDir dir;
    QRandomGenerator rng(15);
    const QString small = dir.filePath(QStringLiteral("one.yaml")),
                  big = dir.filePath(QStringLiteral("big.yaml"));
    QFile f(small), g(big);
    if (!f.open(QIODevice::WriteOnly) || !g.open(QIODevice::WriteOnly))
        return 1;
    f.write("interactions:\n" + interaction(0, rng) + "version: 1\n");
    f.close();
    g.write("interactions:\n");
    int n = 0;
    while (g.size() < target)
        g.write(interaction(n++, rng));
    g.write("version: 1\n");
    g.close();
    const double mb = double(QFile(big).size()) / 1e6;

    const Run base = summarize(ratescope, small);
    const Run run = summarize(ratescope, big);
    if (!base.ok || !run.ok) {
        out << "summarize failed\n";
        return 1;
    }
    const double rss = double(run.maxRssKb) * 1024 / 1e6;
    out << QStringLiteral("cassette: %1 MB, %2 interactions (!!binary, deflate, ~%3 KB each)\n")
               .arg(mb, 0, 'f', 1)
               .arg(n)
               .arg(qRound(mb * 1000 / n));
    out << QStringLiteral("summarize of one interaction: peak RSS %1 MB\n")
               .arg(double(base.maxRssKb) * 1024 / 1e6, 0, 'f', 1);
    out << QStringLiteral("summarize of the cassette: %1 s wall, %2 s CPU, peak RSS %3 MB = %4 x "
                          "the file (target < 3)\n")
               .arg(run.seconds, 0, 'f', 2)
               .arg(run.cpuSeconds, 0, 'f', 2)
               .arg(rss, 0, 'f', 1)
               .arg(rss / mb, 0, 'f', 2);
    return rss / mb < 3 ? 0 : 1;
}
