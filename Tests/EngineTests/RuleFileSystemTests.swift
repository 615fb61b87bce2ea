import BuiltinPlugins
import Engine
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The rules loader's I/O errors through a substituted file system: failures that tests running
/// as root cannot cause for real (permission denied, I/O errors) become diagnostics naming the
/// path and the `errno` reason (issue 8, B).
@Suite struct RuleFileSystemTests {
    /// The real file system, except that the given paths fail with the given `errno`.
    struct FailingFileSystem: RuleFileSystem {
        let real = POSIXRuleFileSystem()
        var kindFailures: [String: Int32] = [:]
        var listingFailures: [String: Int32] = [:]
        var readFailures: [String: Int32] = [:]

        func kind(of path: String) throws(RuleFileProblem) -> RuleFileKind? {
            if let code = kindFailures[path] { throw RuleFileProblem(code: code) }
            return try real.kind(of: path)
        }

        func names(inFolder path: String) throws(RuleFileProblem) -> [[UInt8]] {
            if let code = listingFailures[path] { throw RuleFileProblem(code: code) }
            return try real.names(inFolder: path)
        }

        func contents(ofFile path: String, limit: Int) throws(RuleFileProblem) -> [UInt8] {
            if let code = readFailures[path] { throw RuleFileProblem(code: code) }
            return try real.contents(ofFile: path, limit: limit)
        }
    }

    static let partner = "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - { id: base, reward: { percentage: 5% } }\n"

    /// A rules directory with `program.yaml`, `partners/shop.yaml` and `partners/more/two.yaml`.
    static func directory() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cashback-fs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/partners/more", withIntermediateDirectories: true)
        try Data("currency: EUR\n".utf8).write(to: URL(fileURLWithPath: root + "/program.yaml"))
        try Data(partner.utf8).write(to: URL(fileURLWithPath: root + "/partners/shop.yaml"))
        try Data(partner.replacingOccurrences(of: "shop", with: "two").replacingOccurrences(of: "M1", with: "M2").utf8)
            .write(to: URL(fileURLWithPath: root + "/partners/more/two.yaml"))
        return root
    }

    static func load(_ root: String, _ fileSystem: FailingFileSystem) -> RuleLoader.Outcome {
        RuleLoader(registry: .builtin).load(directory: root, fileSystem: fileSystem)
    }

    @Test(arguments: [
        (EACCES, false, "permission denied (EACCES)"),
        (ELOOP, false, "symbolic link loop: too many levels of symbolic links (ELOOP)"),
        (ENOENT, true, "dangling symbolic link: its target does not exist (ENOENT)"),
        (ENOENT, false, "no such file or folder (ENOENT)"),
        (EIO, false, "input/output error (EIO)"), (EPERM, false, "operation not permitted (EPERM)"),
    ])
    func errnoValuesReadAsTheirReason(code: Int32, isLink: Bool, reason: String) {
        #expect(RuleFileProblem(code: code, isSymbolicLink: isLink).reason == reason)
    }

    @Test func anyOtherErrnoReadsAsTheSystemSaysIt() {
        let reason = RuleFileProblem(code: EROFS).reason
        #expect(reason.hasSuffix("(errno \(EROFS))"))
        #expect(reason.lowercased().contains("read-only"), "\(reason)")
    }

    @Test func theRealDirectoryLoadsWithBothPartners() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = RuleFileSystemTests.load(root, FailingFileSystem())
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        #expect(outcome.files == ["partners/more/two.yaml", "partners/shop.yaml", "program.yaml"])
    }

    @Test func aPartnersFolderThatCannotBeListedIsAnErrorNotZeroPartners() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = RuleFileSystemTests.load(root, FailingFileSystem(listingFailures: [root + "/partners": EACCES]))
        #expect(outcome.rules == nil)
        #expect(
            outcome.diagnostics.map(\.description) == [
                "\(root)/partners:1:1: error: cannot read the folder: permission denied (EACCES)"
            ])
    }

    @Test func aSubfolderThatCannotBeListedIsAnError() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = RuleFileSystemTests.load(root, FailingFileSystem(listingFailures: [root + "/partners/more": EACCES]))
        #expect(outcome.rules == nil)
        #expect(
            outcome.diagnostics.map(\.description) == [
                "\(root)/partners/more:1:1: error: cannot read the folder: permission denied (EACCES)"
            ])
    }

    @Test func filesThatCannotBeReadAreErrorsEachWithItsReason() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = RuleFileSystemTests.load(
            root,
            FailingFileSystem(
                kindFailures: [root + "/partners/more/two.yaml": EACCES],
                readFailures: [root + "/partners/shop.yaml": EACCES, root + "/program.yaml": EIO]))
        #expect(outcome.rules == nil)
        #expect(
            outcome.diagnostics.map(\.description) == [
                "\(root)/program.yaml:1:1: error: cannot read the file: input/output error (EIO)",
                "\(root)/partners/more/two.yaml:1:1: error: cannot read the file: permission denied (EACCES)",
                "\(root)/partners/shop.yaml:1:1: error: cannot read the file: permission denied (EACCES)",
            ])
    }

    @Test func aRulesDirectoryThatCannotBeExaminedSaysWhy() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = RuleFileSystemTests.load(root, FailingFileSystem(kindFailures: [root: EACCES]))
        #expect(
            outcome.diagnostics.map(\.description) == ["\(root):1:1: error: not a rules directory: permission denied (EACCES)"])
        let missing = RuleFileSystemTests.load(root + "/nope", FailingFileSystem())
        #expect(missing.diagnostics.map(\.description) == ["\(root)/nope:1:1: error: not a rules directory"])
    }

    @Test func aHugeFileIsReadOnlyUpToTheLimit() throws {
        let root = try RuleFileSystemTests.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: RuleFileProblem(code: EINVAL), "a device is not a regular file") {
            try POSIXRuleFileSystem().contents(ofFile: "/dev/zero", limit: 1000)
        }
        try Data(repeating: 0x23, count: RuleLoader.maximumFileBytes + 10).write(
            to: URL(fileURLWithPath: root + "/partners/big.yaml"))
        let read = try POSIXRuleFileSystem().contents(ofFile: root + "/partners/big.yaml", limit: 100)
        #expect(read.count > 100 && read.count <= 100 + 64 * 1024)
        let outcome = RuleFileSystemTests.load(root, FailingFileSystem())
        #expect(
            outcome.diagnostics.map(\.description) == [
                "\(root)/partners/big.yaml:1:1: error: the file is larger than 1 MiB; rule files are small"
            ])
    }
}
