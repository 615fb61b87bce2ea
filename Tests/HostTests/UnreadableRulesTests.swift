import Engine
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A rule file or folder that cannot be read is an error naming it and why, for `lint`,
/// `dry-run` and the service's reload alike; nothing under `partners/` vanishes silently
/// (issue 8, B).
@Suite struct UnreadableRulesTests {
    static let partner = "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - { id: base, reward: { percentage: 5% } }\n"

    /// A valid rules directory with one partner, in a fresh temporary directory.
    static func rulesDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("rules/program.yaml", "currency: EUR\n")
        try directory.write("rules/partners/shop.yaml", partner)
        return directory
    }

    static func lint(_ directory: TemporaryDirectory) throws -> CashbackBinary.Result {
        try CashbackBinary.run(["lint", "rules"], in: directory.url)
    }

    static func symlink(_ target: String, at path: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    @Test func aDanglingSymlinkIsAnErrorNamingItAndWhy() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        try UnreadableRulesTests.symlink("/nonexistent/fnac.yaml", at: directory.path("rules/partners/fnac.yaml"))
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners/fnac.yaml:1:1: error: cannot read the file: dangling symbolic link"),
            "\(result.stdout)")
        #expect(result.stdout.contains("ENOENT"))
        #expect(!result.stdout.contains("ok:"))
    }

    @Test func symlinkLoopsOfFilesAndFoldersAreErrors() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        try UnreadableRulesTests.symlink("loop.yaml", at: directory.path("rules/partners/loop.yaml"))
        try directory.write(
            "rules/partners/sub/ok.yaml",
            UnreadableRulesTests.partner.replacingOccurrences(of: "shop", with: "sub").replacingOccurrences(of: "M1", with: "M2"))
        try UnreadableRulesTests.symlink("..", at: directory.path("rules/partners/sub/up"))
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners/loop.yaml:1:1: error: cannot read the file: symbolic link loop"),
            "\(result.stdout)")
        #expect(result.stdout.contains("ELOOP"))
        #expect(
            result.stdout.contains("rules/partners/sub/up:1:1: error: cannot read the folder: symbolic link loop"),
            "\(result.stdout)")
    }

    @Test func aFileThatIsNotUTF8IsAnErrorWithTheOffendingByte() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        try Data([0x70, 0x61, 0x72, 0x74, 0x6E, 0x65, 0x72, 0x3A, 0x20, 0xFF, 0x0A]).write(
            to: directory.url.appendingPathComponent("rules/partners/latin1.yaml"))
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners/latin1.yaml:1:1: error: cannot read the file: not valid UTF-8 (byte 10)"),
            "\(result.stdout)")
    }

    @Test func aFIFOOrAFolderWhereAFileBelongsIsAnErrorAndNothingBlocks() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        #expect(mkfifo(directory.path("rules/partners/pipe.yaml"), 0o644) == 0)
        try FileManager.default.removeItem(atPath: directory.path("rules/program.yaml"))
        try FileManager.default.createDirectory(atPath: directory.path("rules/program.yaml"), withIntermediateDirectories: false)
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners/pipe.yaml:1:1: error: cannot read the file: it is a FIFO, not a regular file"),
            "\(result.stdout)")
        #expect(result.stdout.contains("rules/program.yaml:1:1: error: cannot read the file: it is a folder"), "\(result.stdout)")
    }

    @Test func partnersThatIsNotAFolderIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("rules/partners", UnreadableRulesTests.partner)
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners:1:1: error: cannot read the folder: it is not a folder"), "\(result.stdout)")
    }

    @Test func symlinksThatResolveStillLoad() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        try directory.write(
            "elsewhere/other/two.yaml",
            UnreadableRulesTests.partner.replacingOccurrences(of: "shop", with: "two").replacingOccurrences(of: "M1", with: "M2"))
        try UnreadableRulesTests.symlink(directory.path("elsewhere/other"), at: directory.path("rules/partners/linked"))
        try directory.write("rules/partners/notes.txt", "not a rule file\n")
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("2 partners"), "\(result.stdout)")
    }

    @Test(.enabled(if: getuid() != 0, "root reads files whatever their mode"))
    func unreadableFoldersAndFilesAreErrorsForLintAndDryRun() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer {
            chmod(directory.path("rules/partners/locked"), 0o755)
            chmod(directory.path("rules/partners/secret.yaml"), 0o644)
            directory.remove()
        }
        try directory.write("rules/partners/locked/inner.yaml", UnreadableRulesTests.partner)
        try directory.write("rules/partners/secret.yaml", UnreadableRulesTests.partner)
        #expect(chmod(directory.path("rules/partners/locked"), 0) == 0)
        #expect(chmod(directory.path("rules/partners/secret.yaml"), 0) == 0)
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners/locked:1:1: error: cannot read the folder: permission denied (EACCES)"),
            "\(result.stdout)")
        #expect(
            result.stdout.contains("rules/partners/secret.yaml:1:1: error: cannot read the file: permission denied (EACCES)"),
            "\(result.stdout)")
        let dryRun = try CashbackBinary.run(["dry-run", "--rules", "rules", "-"], in: directory.url, input: "")
        #expect(dryRun.status == 1)
        #expect(dryRun.stderr.contains("permission denied"))
    }

    @Test(.enabled(if: getuid() != 0, "root reads folders whatever their mode"))
    func anUnreadablePartnersFolderIsNotZeroPartners() throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer {
            chmod(directory.path("rules/partners"), 0o755)
            directory.remove()
        }
        #expect(chmod(directory.path("rules/partners"), 0) == 0)
        let result = try UnreadableRulesTests.lint(directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("rules/partners:1:1: error: cannot read the folder: permission denied (EACCES)"),
            "\(result.stdout)")
        #expect(!result.stdout.contains("0 partners"))
    }

    @Test func reloadRefusesRulesWithAnUnreadableFileAndKeepsServing() async throws {
        let directory = try UnreadableRulesTests.rulesDirectory()
        defer { directory.remove() }
        try directory.write("admin-token", "admin-t0k3n")
        let service = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", "a.sqlite", "--admin-token-file", "admin-token"])
        let accepted = try await service.request("POST", "/v1/rules/reload", token: "admin-t0k3n")
        #expect(accepted.status == 200, "\(accepted.body)")
        try UnreadableRulesTests.symlink("/nonexistent", at: directory.path("rules/partners/zz.yaml"))
        let refused = try await service.request("POST", "/v1/rules/reload", token: "admin-t0k3n")
        #expect(refused.status == 422, "\(refused.body)")
        #expect(
            refused.body.contains("rules/partners/zz.yaml:1:1: error: cannot read the file: dangling symbolic link"),
            "\(refused.body)")
        let ready = try await service.request("GET", "/readyz")
        #expect(ready.status == 200, "the old rules keep serving")
        #expect(service.terminate() == 0)
    }
}
