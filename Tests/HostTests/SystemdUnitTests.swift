import Foundation
import Testing

/// `deploy/cashback.service` as systemd judges it: hardened to an exposure of at most 2.5 out
/// of 10 (`systemd-analyze security`), with the limits the service relies on.
@Suite struct SystemdUnitTests {
    static let unit = CashbackBinary.repositoryRoot.appendingPathComponent("deploy/cashback.service")

    @Test(.enabled(if: systemdAnalyzer != nil, "needs systemd-analyze"))
    func exposureIsAtMostTwoAndAHalf() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(systemdAnalyzer))
        process.arguments = ["security", "--offline=true", Self.unit.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(text)")
        let score = try #require(line.split(separator: " ").compactMap { Decimal(string: String($0)) }.first, "\(line)")
        #expect(score <= 2.5, "\(line)")
    }

    @Test func declaresItsStateDirectoryUmaskAndFileLimit() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        for setting in ["StateDirectory=cashback", "ConfigurationDirectory=cashback", "UMask=0077", "LimitNOFILE=65536"] {
            #expect(text.contains("\n\(setting)\n"), "\(setting)")
        }
    }
}

/// systemd's analyzer, where the machine has it (Debian's `systemd` package).
private let systemdAnalyzer = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}
