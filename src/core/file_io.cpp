// file_io.cpp — capped whole-file reads and atomic writes (see file_io.h).
// Not buffered streaming: files here are small (checkpoints, CSVs, PNGs); limits.h bounds them.
#include "core/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace difflab {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string folder_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Removes FOLDER/BASE.tmp-PID files whose PID is not a running process (left by a killed writer).
void remove_stale_temporaries(const std::string& folder, const std::string& base) {
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  const std::string prefix = base + ".tmp-";
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    ::unlink((folder + "/" + name).c_str());
  }
  ::closedir(dir);
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error("cannot read " + path + ": it is a directory, not a file");
  }
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw std::runtime_error("cannot read " + path + ": " + std::to_string(st.st_size) +
                             " bytes, more than the " + std::to_string(max_bytes) +
                             "-byte limit for this kind of file");
  }
  std::string bytes;
  if (S_ISREG(st.st_mode)) bytes.reserve(static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      throw std::runtime_error("cannot read " + path + ": " + reason);
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > max_bytes) {  // a pipe or device that never ends
      ::close(fd);
      throw std::runtime_error("cannot read " + path + ": more than the " + std::to_string(max_bytes) +
                               "-byte limit for this kind of file");
    }
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

std::string resolve_write_target(const std::string& path) {
  std::string target = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return target;
    // A link to something that is not a regular file (/dev/stdout → a pipe) is judged by what it points
    // to: the caller's stat() names the kind and refuses it.
    struct stat pointed {};
    if (::stat(target.c_str(), &pointed) == 0 && !S_ISREG(pointed.st_mode)) return target;
    std::string link(4096, '\0');
    const ssize_t n = ::readlink(target.c_str(), link.data(), link.size());
    if (n <= 0 || static_cast<size_t>(n) >= link.size())
      throw std::runtime_error("cannot write " + path + ": cannot read the symbolic link " + target);
    link.resize(static_cast<size_t>(n));
    target = link[0] == '/' ? link : folder_of(target) + "/" + link;
  }
  throw std::runtime_error("cannot write " + path + ": too many levels of symbolic links");
}

void check_writable_output(const std::string& path) {
  if (path.empty()) throw std::runtime_error("cannot write an empty file name");
  const std::string target = resolve_write_target(path);
  const std::string shown = target == path ? path : path + " (→ " + target + ")";
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw std::runtime_error("cannot write " + shown + ": it is " + kind_of(st.st_mode) +
                             "; give a file name to write the result to");
  const std::string folder = folder_of(target);
  struct stat folder_st {};
  if (::stat(folder.c_str(), &folder_st) != 0)
    throw std::runtime_error("cannot write " + shown + ": the folder " + folder + " does not exist");
  if (!S_ISDIR(folder_st.st_mode))
    throw std::runtime_error("cannot write " + shown + ": " + folder + " is not a folder");
  if (::access(folder.c_str(), W_OK) != 0)
    throw std::runtime_error("cannot write " + shown + ": the folder " + folder + " is not writable");
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  if (path.empty()) throw std::runtime_error("cannot write an empty file name");
  const std::string target = resolve_write_target(path);
  const std::string shown = target == path ? path : path + " (→ " + target + ")";
  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode))
    throw std::runtime_error("cannot write " + shown + ": it is " + kind_of(st.st_mode) +
                             ", not a regular file (refusing to replace it)");
  const std::string folder = folder_of(target);
  remove_stale_temporaries(folder, base_of(target));
  const std::string temporary = target + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    check_writable_output(path);  // names a missing or read-only folder when that is the cause
    throw std::runtime_error("cannot write " + shown + ": " + reason);
  }
  if (exists) (void)::fchmod(fd, st.st_mode & 07777);  // keep the replaced file's permissions
  bool ok = write_all(fd, bytes.data(), bytes.size()) && ::fsync(fd) == 0;
  int saved = errno;
  if (::close(fd) != 0 && ok) ok = false, saved = errno;
  if (ok && std::rename(temporary.c_str(), target.c_str()) != 0) ok = false, saved = errno;
  if (!ok) {
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot write " + shown + ": " + std::strerror(saved));
  }
  // The rename is durable only once the folder's entry is on disk.
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace difflab
