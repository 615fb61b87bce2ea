import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tmpfs of a few megabytes mounted for one test (Linux, with permission to mount).
struct SmallFilesystem {
    let path: String

    init(at path: String, megabytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(megabytes)m") == 0 else {
            throw RawHTTPConnection.Failure.system("mount", errno)
        }
        self.path = path
    }

    /// Makes the filesystem read-only.
    func remountReadOnly() throws {
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), nil) == 0 else {
            throw RawHTTPConnection.Failure.system("remount", errno)
        }
    }

    func unmount() { umount2(path, Int32(MNT_DETACH)) }

    /// Whether this process may mount (tried once on a scratch folder).
    static let canMount: Bool = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cashback-mount-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let filesystem = try? SmallFilesystem(at: path, megabytes: 1) else { return false }
        filesystem.unmount()
        return true
    }()
}
