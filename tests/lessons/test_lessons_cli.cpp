// test_lessons_cli.cpp — `difflab lessons check|list` run in-process on temporary files: output and exit
// codes. Not the parser's details (test_lesson_parser.cpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lessons/lessons_cli.h"

namespace fs = std::filesystem;

namespace {

struct Result {
  int code = 0;
  std::string out, err;
};

Result run(std::vector<std::string> args) {
  args.insert(args.begin(), {"difflab", "lessons"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  Result r;
  r.code = difflab::lessons_cli(static_cast<int>(args.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A scratch folder removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fs::temp_directory_path() / name) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("lessons check exits 0 on a clean file and prints a summary") {
  TempDir dir("difflab_cli_clean");
  const std::string file =
      dir.write("good.md", "---\nmarp: true\n---\n# Hola\n\n<!-- difflab: panel=train T=100 -->\n");
  const Result r = run({"check", file});
  CHECK(r.code == 0);
  CHECK(r.out == "1 file checked: 0 errors, 0 warnings\n");
}

TEST_CASE("lessons check exits 1 and prints file:line: error: when a file has an error") {
  TempDir dir("difflab_cli_bad");
  const std::string good = dir.write("good.md", "# Hola\n");
  const std::string bad = dir.write("bad.md", "# Uno\n\n<!-- difflab: panel=train depth=9 -->\n");
  const Result r = run({"check", good, bad});
  CHECK(r.code == 1);
  CHECK(r.out.find(bad + ":3: error: panel 'train': depth=9 is outside 1 … 8\n") != std::string::npos);
  CHECK(r.out.find("2 files checked: 1 error, 0 warnings\n") != std::string::npos);
}

TEST_CASE("lessons check: warnings alone keep exit 0, a missing file is an error") {
  TempDir dir("difflab_cli_warn");
  const std::string file = dir.write("w.md", "# Uno\n\n![foto](no-such.png)\n\n$\\foo$\n");
  const Result r = run({"check", file});
  CHECK(r.code == 0);
  CHECK(r.out.find(file + ":3: warning: image not found: no-such.png") != std::string::npos);
  CHECK(r.out.find(file + ":5: warning: math: unknown LaTeX command \\foo") != std::string::npos);
  CHECK(r.out.find("0 errors, 2 warnings") != std::string::npos);
  CHECK(run({"check", (dir.path / "missing.md").string()}).code == 1);
}

TEST_CASE("lessons check with no files checks the whole lessons folder, twins included") {
  const Result r = run({"check", "--dir", std::string(DIFFLAB_SOURCE_DIR) + "/lessons"});
  CHECK(r.code == 0);
  CHECK(r.out.find("0 errors, 0 warnings") != std::string::npos);

  TempDir dir("difflab_cli_twins");
  dir.write("00-intro.es.md", "# Uno\n\n---\n\n# Dos\n");
  dir.write("00-intro.en.md", "# One\n");
  dir.write("01-solo.es.md", "# Solo\n");
  dir.write("notes.md", "# not a lesson name\n");
  const Result twins = run({"check", "--dir", dir.path.string()});
  CHECK(twins.code == 0);
  CHECK(twins.out.find("00-intro.es.md: warning: 2 slides, but its twin") != std::string::npos);
  CHECK(twins.out.find("01-solo.es.md: warning: has no twin in 'en'") != std::string::npos);
  CHECK(twins.out.find("notes.md: warning: not a lesson file name") != std::string::npos);
  const Result folder = run({"check", dir.path.string()});  // a folder argument is the same as --dir
  CHECK(folder.code == twins.code);
  CHECK(folder.out == twins.out);
}

TEST_CASE("lessons list prints every lesson with its titles") {
  const Result r = run({"list", "--dir", std::string(DIFFLAB_SOURCE_DIR) + "/lessons"});
  CHECK(r.code == 0);
  CHECK(r.out.find("00  welcome\n") != std::string::npos);
  CHECK(r.out.find("es  Bienvenida: Diffusion Lab  (00-welcome.es.md)") != std::string::npos);
  CHECK(r.out.find("en  Generative models  (01-generative-models.en.md)") != std::string::npos);
}

TEST_CASE("help exits 0, bad arguments exit 2 with a message") {
  CHECK(run({"--help"}).code == 0);
  CHECK(run({"check", "--help"}).out.find("usage: difflab lessons check") != std::string::npos);
  CHECK(run({"list", "--help"}).code == 0);
  const Result none = run({});
  CHECK(none.code == 2);
  CHECK(none.err.find("missing subcommand") != std::string::npos);
  CHECK(run({"frobnicate"}).code == 2);
  CHECK(run({"check", "--bogus"}).code == 2);
  CHECK(run({"check", "--dir"}).code == 2);
  CHECK(run({"list", "extra"}).code == 2);
}

TEST_CASE("lessons check fails on an empty file, a folder, a binary file and a folder with no lessons") {
  TempDir dir("difflab_cli_empty");
  const std::string empty = dir.write("empty.md", "");
  Result r = run({"check", empty});
  CHECK(r.code == 1);
  CHECK(r.out.find(empty + ": error: the file is empty") != std::string::npos);
  r = run({"check", dir.path.string()});  // a folder is checked as --dir: its empty.md is an error
  CHECK(r.code == 1);
  CHECK(r.out.find(empty + ": error: the file is empty") != std::string::npos);
  TempDir bare("difflab_cli_bare");
  r = run({"check", bare.path.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("no lesson files (NN-slug.LANG.md) in " + bare.path.string()) != std::string::npos);
  const std::string binary = dir.write("bin.md", std::string("# A\n\x89PNG\r\n\x1a\n") + '\0' + "x\n");
  r = run({"check", binary});
  CHECK(r.code == 1);
  CHECK(r.out.find(binary + ":2: error: invalid UTF-8 at byte 1") != std::string::npos);
  CHECK(r.out.find(binary + ":4: error: NUL byte at column 1") != std::string::npos);
  const std::string dollar = dir.write("d.md", "# A\n\nel costo $x sin cerrar\n");
  r = run({"check", dollar});
  CHECK(r.code == 0);
  CHECK(r.out.find(dollar + ":3: warning: '$' opens a formula that is never closed") != std::string::npos);
  TempDir none("difflab_cli_none");
  r = run({"check", "--dir", none.path.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("no lesson files") != std::string::npos);
}

TEST_CASE("lessons check gives speaker notes the slide text's LaTeX warnings, at the note's own line") {
  TempDir dir("difflab_cli_notes");
  // Line 6 (the second line of a two-line note) has a raw \frac; line 8 a '$' never closed and a raw x_T;
  // the note on line 9 writes both as math and is clean.
  const std::string file =
      dir.write("n.md",
                "# Uno\n\nText.\n\n<!-- Say that\nthe weight is \\frac{1}{2} here. -->\n\n"
                "<!-- Start from $x_T and stop. -->\n"
                "<!-- Fine: $\\frac{1}{2}$ and $x_T$. -->\n");
  const Result r = run({"check", file});
  CHECK(r.code == 0);
  CHECK(r.out.find(file + ":6: warning: speaker note: LaTeX left in the text: '\\frac{1}{2}'") !=
        std::string::npos);
  CHECK(r.out.find(file + ":8: warning: speaker note: '$' opens a formula that is never closed") !=
        std::string::npos);
  CHECK(r.out.find(file + ":8: warning: speaker note: LaTeX left in the text: 'x_T'") != std::string::npos);
  CHECK(r.out.find(":9:") == std::string::npos);
  CHECK(r.out.find("0 errors, 3 warnings") != std::string::npos);
}
