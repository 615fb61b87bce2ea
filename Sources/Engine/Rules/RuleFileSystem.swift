#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a path of a rules directory cannot be read: the `errno` of the call that failed, and
/// whether the path itself is a symbolic link (so that `ENOENT` reads "dangling").
package struct RuleFileProblem: Error, Sendable, Equatable {
    /// The `errno` value.
    package let code: Int32
    /// The path is a symbolic link (its target is what failed).
    package let isSymbolicLink: Bool

    package init(code: Int32, isSymbolicLink: Bool = false) {
        self.code = code
        self.isSymbolicLink = isSymbolicLink
    }

    /// The reason in words, with the `errno` name: `permission denied (EACCES)`,
    /// `dangling symbolic link: its target does not exist (ENOENT)`.
    package var reason: String {
        switch code {
        case ENOENT where isSymbolicLink: return "dangling symbolic link: its target does not exist (ENOENT)"
        case ENOENT: return "no such file or folder (ENOENT)"
        case ELOOP: return "symbolic link loop: too many levels of symbolic links (ELOOP)"
        case EACCES: return "permission denied (EACCES)"
        case EPERM: return "operation not permitted (EPERM)"
        case ENOTDIR: return "a path component is not a folder (ENOTDIR)"
        case ENAMETOOLONG: return "name too long (ENAMETOOLONG)"
        case EIO: return "input/output error (EIO)"
        case EMFILE, ENFILE: return "too many open files (\(code == EMFILE ? "EMFILE" : "ENFILE"))"
        default:
            guard let text = strerror(code) else { return "error \(code)" }
            return String(cString: text).lowercased() + " (errno \(code))"
        }
    }
}

/// What a path of a rules directory is, symbolic links followed.
package enum RuleFileKind: Sendable, Equatable {
    case file
    /// A folder, with its device and inode to notice a link back to a folder being walked.
    case folder(device: UInt64, inode: UInt64)
    /// A FIFO, socket or device, named for messages (`a FIFO`).
    case other(String)
}

/// The file system as the rules loader reads it. The loader never opens anything but a
/// regular file, and turns every failure into a diagnostic naming the path and the reason.
/// Tests substitute failures that they cannot cause (a permission denied, as root).
package protocol RuleFileSystem: Sendable {
    /// What is at `path`, following symbolic links; `nil` when nothing is there (not even a
    /// dangling link).
    func kind(of path: String) throws(RuleFileProblem) -> RuleFileKind?
    /// The names in a folder, `.` and `..` left out.
    func names(inFolder path: String) throws(RuleFileProblem) -> [[UInt8]]
    /// A regular file's bytes, at most `limit` + 1 of them.
    func contents(ofFile path: String, limit: Int) throws(RuleFileProblem) -> [UInt8]
}

/// The real file system, through POSIX calls whose `errno` is reported as it is.
package struct POSIXRuleFileSystem: RuleFileSystem {
    package init() {}

    package func kind(of path: String) throws(RuleFileProblem) -> RuleFileKind? {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw RuleFileProblem(code: code)
        }
        let isLink = (link.st_mode & S_IFMT) == S_IFLNK
        var target = stat()
        guard stat(path, &target) == 0 else { throw RuleFileProblem(code: errno, isSymbolicLink: isLink) }
        switch target.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder(device: UInt64(target.st_dev), inode: UInt64(target.st_ino))
        case S_IFIFO: return .other("a FIFO")
        case S_IFSOCK: return .other("a socket")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        default: return .other("not a regular file")
        }
    }

    package func names(inFolder path: String) throws(RuleFileProblem) -> [[UInt8]] {
        guard let folder = opendir(path) else { throw RuleFileProblem(code: errno) }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw RuleFileProblem(code: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
    }

    package func contents(ofFile path: String, limit: Int) throws(RuleFileProblem) -> [UInt8] {
        // O_NONBLOCK: a FIFO swapped in after `kind(of:)` must not block the loader.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw RuleFileProblem(code: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw RuleFileProblem(code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw RuleFileProblem(code: EINVAL) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuleFileProblem(code: errno)
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}

/// The rule files of a directory, read: `program.yaml` (if present) and every `*.yaml`/`*.yml`
/// under `partners/`, recursively, symbolic links followed. Whatever cannot be read — a
/// folder or file without permission, a dangling link, a link loop, a FIFO named `*.yaml`, a
/// file that is not UTF-8 — is a diagnostic naming it and why, never silently skipped.
struct RuleDirectoryReader {
    let directory: String
    let fileSystem: any RuleFileSystem
    private(set) var sources: [RuleSource] = []
    private(set) var diagnostics: [Diagnostic] = []

    init(directory: String, fileSystem: any RuleFileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Reads everything; `false` when `directory` itself is not a readable rules directory.
    mutating func read() -> Bool {
        do throws(RuleFileProblem) {
            guard case .folder = try fileSystem.kind(of: directory) else {
                report(directory, "not a rules directory")
                return false
            }
        } catch {
            report(directory, "not a rules directory: \(error.reason)")
            return false
        }
        do throws(RuleFileProblem) {
            switch try fileSystem.kind(of: path("program.yaml")) {
            case nil: break
            case .file: readFile("program.yaml")
            case .folder: report(path("program.yaml"), "cannot read the file: it is a folder")
            case .other(let what): report(path("program.yaml"), "cannot read the file: it is \(what), not a regular file")
            }
        } catch {
            report(path("program.yaml"), "cannot read the file: \(error.reason)")
        }
        do throws(RuleFileProblem) {
            switch try fileSystem.kind(of: path("partners")) {
            case nil: break
            case .folder(let device, let inode): walk("partners", ancestors: [FolderID(device: device, inode: inode)])
            case .file, .other: report(path("partners"), "cannot read the folder: it is not a folder")
            }
        } catch {
            report(path("partners"), "cannot read the folder: \(error.reason)")
        }
        return true
    }

    private struct FolderID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private func path(_ relative: String) -> String { RuleLoader.join(directory, relative) }

    private mutating func report(_ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: path, line: 1, column: 1, context: nil, message: message))
    }

    private static func isRuleFileName(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    private mutating func walk(_ folder: String, ancestors: Set<FolderID>) {
        let names: [[UInt8]]
        do throws(RuleFileProblem) {
            names = try fileSystem.names(inFolder: path(folder))
        } catch {
            report(path(folder), "cannot read the folder: \(error.reason)")
            return
        }
        for bytes in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = Echo.clipped(String(decoding: bytes, as: UTF8.self))
                report(path(folder), "cannot read the folder: the name '\(shown)' is not valid UTF-8")
                continue
            }
            let relative = folder + "/" + name
            do throws(RuleFileProblem) {
                switch try fileSystem.kind(of: path(relative)) {
                case nil: continue  // removed while listing
                case .file:
                    if RuleDirectoryReader.isRuleFileName(name) { readFile(relative) }
                case .folder(let device, let inode):
                    let id = FolderID(device: device, inode: inode)
                    guard !ancestors.contains(id) else {
                        report(
                            path(relative),
                            "cannot read the folder: symbolic link loop: it leads back to a folder that contains it")
                        continue
                    }
                    walk(relative, ancestors: ancestors.union([id]))
                case .other(let what):
                    if RuleDirectoryReader.isRuleFileName(name) {
                        report(path(relative), "cannot read the file: it is \(what), not a regular file")
                    }
                }
            } catch {
                // Unknown kind: it may be a rule file or a folder of them.
                let what = RuleDirectoryReader.isRuleFileName(name) ? "the file" : "it"
                report(path(relative), "cannot read \(what): \(error.reason)")
            }
        }
    }

    private mutating func readFile(_ relative: String) {
        let bytes: [UInt8]
        do throws(RuleFileProblem) {
            bytes = try fileSystem.contents(ofFile: path(relative), limit: RuleLoader.maximumFileBytes)
        } catch {
            report(path(relative), "cannot read the file: \(error.code == EINVAL ? "it is not a regular file" : error.reason)")
            return
        }
        guard bytes.count <= RuleLoader.maximumFileBytes else {
            report(path(relative), "the file is larger than \(RuleLoader.maximumFileBytes >> 20) MiB; rule files are small")
            return
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let byte = RuleDirectoryReader.firstInvalidUTF8(bytes) + 1
            report(path(relative), "cannot read the file: not valid UTF-8 (byte \(byte))")
            return
        }
        sources.append(RuleSource(relativePath: relative, displayPath: path(relative), text: text))
    }

    /// The 0-based offset of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
