// test_file_io.cpp — atomic writes and capped reads against the inputs of issue 16 point 5: symbolic links,
// device nodes, directories, stale FILE.tmp-PID temporaries, unwritable folders. Not a crash test.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "core/file_io.h"

using namespace difflab;
namespace fs = std::filesystem;

namespace {

// A fresh folder per test case, removed at the end.
struct TempFolder {
  fs::path path;
  explicit TempFolder(const std::string& name)
      : path(fs::temp_directory_path() / ("difflab-file-io-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an atomic write through a symbolic link replaces the link's target and keeps the link") {
  TempFolder dir("symlink");
  write_file_atomically(dir / "target.txt", "old");
  fs::create_symlink("target.txt", dir / "link.txt");  // relative, as `ln -s` makes them
  write_file_atomically(dir / "link.txt", "new");
  CHECK(fs::is_symlink(dir / "link.txt"));
  CHECK(read_file(dir / "target.txt") == "new");
  CHECK(read_file(dir / "link.txt") == "new");
  // A chain of links, and a dangling link (its target is created).
  fs::create_symlink(dir / "link.txt", dir / "link2.txt");
  write_file_atomically(dir / "link2.txt", "chain");
  CHECK(read_file(dir / "target.txt") == "chain");
  fs::create_symlink("later.txt", dir / "dangling.txt");
  write_file_atomically(dir / "dangling.txt", "made");
  CHECK(fs::is_symlink(dir / "dangling.txt"));
  CHECK(read_file(dir / "later.txt") == "made");
}

TEST_CASE("an atomic write refuses a device, a directory or a FIFO and leaves it as it was") {
  TempFolder dir("special");
  if (fs::exists("/dev/full")) {
    // As root the old code replaced /dev/full with a regular file; a link to it is refused the same way.
    CHECK(message_of([] { write_file_atomically("/dev/full", "x"); }) ==
          "cannot write /dev/full: it is a character device, not a regular file (refusing to replace it)");
    CHECK(fs::is_character_file("/dev/full"));
    fs::create_symlink("/dev/full", dir / "full-link");
    CHECK(message_of([&] { write_file_atomically(dir / "full-link", "x"); }).find("a character device") !=
          std::string::npos);
    CHECK(message_of([] { check_writable_output("/dev/full"); }).find("it is a character device") !=
          std::string::npos);
  }
  fs::create_directory(dir / "sub");
  CHECK(message_of([&] { write_file_atomically(dir / "sub", "x"); }).find("it is a directory") !=
        std::string::npos);
  CHECK(fs::is_directory(dir / "sub"));
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  CHECK(message_of([&] { write_file_atomically(dir / "fifo", "x"); }).find("a FIFO") != std::string::npos);
  CHECK(fs::is_fifo(dir / "fifo"));
  for (const auto& e : fs::directory_iterator(dir.path))  // no temporary left behind
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("a FILE.tmp-PID left by a killed writer is removed by the next write, a live writer's is kept") {
  TempFolder dir("stale");
  // PID 2^22 + 1 is above Linux's default pid_max (4194304), so no process has it.
  const std::string stale = dir / "out.csv.tmp-4194305";
  const std::string live = dir / ("out.csv.tmp-" + std::to_string(::getppid()));
  const std::string other = dir / "other.csv.tmp-4194305";
  std::ofstream(stale) << "half a file";
  std::ofstream(live) << "someone else is writing";
  std::ofstream(other) << "another file's";
  write_file_atomically(dir / "out.csv", "x,y\n");
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));
  CHECK_FALSE(fs::exists(dir / ("out.csv.tmp-" + std::to_string(::getpid()))));
  CHECK(read_file(dir / "out.csv") == "x,y\n");
}

TEST_CASE("an atomic write keeps the replaced file's permissions") {
  TempFolder dir("mode");
  write_file_atomically(dir / "f", "a");
  fs::permissions(dir / "f", fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(dir / "f", "b");
  CHECK((fs::status(dir / "f").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("check_writable_output finds a bad --out before any work, and creates nothing") {
  TempFolder dir("check");
  CHECK_NOTHROW(check_writable_output(dir / "new.ckpt"));
  CHECK_FALSE(fs::exists(dir / "new.ckpt"));
  CHECK(message_of([&] { check_writable_output(dir.path.string()); }).find("it is a directory") !=
        std::string::npos);
  CHECK(message_of([&] { check_writable_output(dir / "missing/x.ckpt"); }).find("does not exist") !=
        std::string::npos);
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directory(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    CHECK(message_of([&] { check_writable_output(dir / "ro/x.ckpt"); }).find("is not writable") !=
          std::string::npos);
    fs::permissions(dir / "ro", fs::perms::owner_all);
  }
}

TEST_CASE("read_file names a directory as such and stops at its size limit") {
  TempFolder dir("read");
  CHECK(message_of([&] { read_file(dir.path.string()); }) ==
        "cannot read " + dir.path.string() + ": it is a directory, not a file");
  write_file_atomically(dir / "ten", "0123456789");
  CHECK(read_file(dir / "ten", 10) == "0123456789");
  CHECK(message_of([&] { read_file(dir / "ten", 9); }).find("more than the 9-byte limit") !=
        std::string::npos);
  // A device that never ends is cut off at the limit instead of filling memory.
  if (fs::exists("/dev/zero"))
    CHECK(message_of([] { read_file("/dev/zero", 1 << 20); }).find("more than the 1048576-byte limit") !=
          std::string::npos);
}
