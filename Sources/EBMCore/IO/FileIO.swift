import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic whole-file writes, reporting failures as `FileFormatError`.
///
/// POSIX calls rather than `Data(contentsOf:)`/`Data.write(options: .atomic)` so that the
/// messages are one `strerror` line and so that a failed write provably removes its temporary
/// file.
public enum FileIO {
    /// The bytes of the file at `url`.
    public static func readAll(_ url: URL, format: String) throws -> [UInt8] {
        func fail(_ what: String) -> FileFormatError {
            FileFormatError(format: format, file: url.lastPathComponent, problem: "\(what): \(errnoMessage())")
        }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("cannot stat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileFormatError(format: format, file: url.lastPathComponent, problem: "is not a regular file")
        }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("cannot read")
            }
            // The file shrank while we read it; what we have is not the file we measured.
            guard n > 0 else { throw fail("cannot read (file changed while reading)") }
            done += n
        }
        return bytes
    }

    /// Replaces the file at `url` with `bytes` atomically: readers see the old file or the
    /// complete new one, never a prefix. On failure nothing is left behind, not even the
    /// temporary file.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL, format: String) throws {
        let name = url.lastPathComponent
        let directory = url.deletingLastPathComponent().path
        // Same directory as the target so that rename(2) cannot cross file systems.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        func fail(_ what: String) -> FileFormatError {
            FileFormatError(format: format, file: name, problem: "\(what): \(errnoMessage())")
        }

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("cannot create a file in \(directory)") }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temporary) }
        }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("cannot write")
            }
            done += n
        }
        // Flush before the rename, or a crash could leave the new name pointing at an empty file.
        guard fsync(fd) == 0 else { throw fail("cannot flush") }
        closed = true
        guard close(fd) == 0 else { throw fail("cannot close") }
        guard rename(temporary, url.path) == 0 else { throw fail("cannot replace \(url.path)") }
        renamed = true
    }

    private static func errnoMessage() -> String { String(cString: strerror(errno)) }
}
